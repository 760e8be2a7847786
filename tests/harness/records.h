// ImportRecords rows the end-to-end tests seed personnel with: an agency and its units.
#ifndef SEIMBANG_TESTS_HARNESS_RECORDS_H_
#define SEIMBANG_TESTS_HARNESS_RECORDS_H_

#include <cstdint>
#include <string>

#include "seimbang/personnel/v1/personnel.pb.h"

namespace seimbang::testing {

// A city (kota) of province 73, Sulawesi Selatan.
personnel::v1::ImportRecordsRequest CityAgencyRecord(const std::string& code,
                                                     const std::string& name);

// An active unit of `agency`.
personnel::v1::ImportRecordsRequest UnitRecord(
    int64_t id, const std::string& agency, const std::string& name,
    personnel::v1::UnitKind kind = personnel::v1::UNIT_KIND_DINAS);

}  // namespace seimbang::testing

#endif  // SEIMBANG_TESTS_HARNESS_RECORDS_H_
