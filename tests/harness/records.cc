#include "tests/harness/records.h"

namespace seimbang::testing {

namespace ppb = ::seimbang::personnel::v1;

ppb::ImportRecordsRequest CityAgencyRecord(const std::string& code, const std::string& name) {
  ppb::ImportRecordsRequest r;
  ppb::Agency* a = r.mutable_agency();
  a->set_code(code);
  a->set_name(name);
  a->set_kind(ppb::AGENCY_KIND_CITY);
  a->set_province_code("73");
  return r;
}

ppb::ImportRecordsRequest UnitRecord(int64_t id, const std::string& agency, const std::string& name,
                                     ppb::UnitKind kind) {
  ppb::ImportRecordsRequest r;
  ppb::Unit* u = r.mutable_unit();
  u->set_id(id);
  u->set_agency_code(agency);
  u->set_name(name);
  u->set_kind(kind);
  u->set_active(true);
  return r;
}

}  // namespace seimbang::testing
