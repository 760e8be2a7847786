// CSV and decree text (page tokens: tests/unit/paging).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/transfer/export_text.h"

namespace seimbang::transfer {
namespace {

using ::testing::HasSubstr;

v1::Move Move() {
  v1::Move m;
  m.set_id("m000001");
  m.set_nip("199001012015011001");
  m.set_employee_name("Andi, S.Kep.");
  m.set_job_family("health");
  m.set_from_unit_name("Puskesmas A");
  m.set_from_position_code("JF-PK");
  m.set_to_unit_name("Puskesmas \"B\"");
  m.set_to_position_code("JF-PK");
  m.mutable_cost()->set_total(112.5);
  m.set_summary("Pindah.");
  return m;
}

TEST(Export, CsvHeaderNamesTheDocumentedColumns) {
  EXPECT_EQ(CsvHeader(),
            "move_id,nip,name,family,from_unit,from_position,to_unit,to_position,cost,summary\n");
}

TEST(Export, CsvQuotesCommasAndDoublesQuotes) {
  EXPECT_EQ(CsvLine(Move()),
            "m000001,199001012015011001,\"Andi, S.Kep.\",health,Puskesmas A,JF-PK,"
            "\"Puskesmas \"\"B\"\"\",JF-PK,112.50,Pindah.\n");
}

TEST(Export, DecreeDraftNamesPersonPlacesAndDate) {
  v1::PlanSummary plan;
  plan.set_id("p1");
  plan.set_agency_code("73.71");
  plan.mutable_effective_date()->set_year(2026);
  plan.mutable_effective_date()->set_month(2);
  plan.mutable_effective_date()->set_day(1);
  const std::string text = DecreeDraft(Move(), plan);
  EXPECT_THAT(text, HasSubstr("NIP 199001012015011001"));
  EXPECT_THAT(text, HasSubstr("dari Puskesmas A (jabatan JF-PK)"));
  EXPECT_THAT(text, HasSubstr("terhitung mulai tanggal 01-02-2026"));
}

}  // namespace
}  // namespace seimbang::transfer
