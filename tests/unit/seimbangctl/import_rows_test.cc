// CSV rows of the datagen files become the protobuf records the services import.
#include "tools/seimbangctl/import_rows.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tools/csv/columns.h"
#include "tools/csv/csv.h"

namespace seimbang::ctl {
namespace {
namespace pv1 = seimbang::personnel::v1;
namespace wv1 = seimbang::workload::v1;

// A record's fields, written "a|b|c".
std::vector<std::string> Record(absl::string_view fields) { return absl::StrSplit(fields, '|'); }

TEST(EmployeeFromCsv, ReadsEveryDocumentedColumn) {
  const std::vector<std::string>& h = csv::EmployeeColumns();
  std::vector<std::string> f = Record(
      "198501012010011001|Andi Baso, S.T.|pns|73.71|34|JF-TJJ-AP|III/b|s1|Teknik Sipil|"
      "jalan;jembatan|baik;sangat_baik|2020-03-01|Tamalate|-5.185|119.41|1985-01-01|male|"
      "2010-01|0|1|0|2027-06-30||1|seconded|2026-09-01");
  auto c = EmployeeFromCsv(CsvRow(h, f));
  ASSERT_TRUE(c.problems.empty()) << c.problems[0].column << ": " << c.problems[0].reason;
  const pv1::Employee& e = c.message;
  EXPECT_EQ(e.nip(), "198501012010011001");
  EXPECT_EQ(e.employment_type(), pv1::EMPLOYMENT_TYPE_PNS);
  EXPECT_EQ(e.unit_id(), 34);
  EXPECT_EQ(e.education_level(), pv1::EDUCATION_LEVEL_S1);
  ASSERT_EQ(e.competency_tags_size(), 2);
  EXPECT_EQ(e.competency_tags(1), "jembatan");
  EXPECT_EQ(e.performance_ratings(0), "baik");
  EXPECT_EQ(e.in_post_since().year(), 2020);
  EXPECT_DOUBLE_EQ(e.home_location().latitude(), -5.185);
  EXPECT_EQ(e.gender(), pv1::GENDER_MALE);
  EXPECT_EQ(e.appointment().month(), 1);
  EXPECT_TRUE(e.flags().judicial_process());
  EXPECT_FALSE(e.flags().disciplinary_process());
  EXPECT_EQ(e.flags().service_bond_until().day(), 30);
  EXPECT_FALSE(e.flags().has_leave_until());
  EXPECT_TRUE(e.flags().inspectorate_pending());
  EXPECT_EQ(e.employment_status(), pv1::EMPLOYMENT_STATUS_SECONDED);
  EXPECT_EQ(e.status_since().month(), 9);
}

// An employee row of the five required columns with `fields` has one problem: `column`, `reason`.
void ExpectOneEmployeeProblem(const std::vector<std::string>& fields, const std::string& column,
                              const std::string& reason) {
  std::vector<std::string> h = {"nip", "name", "employment_type", "unit_id", "position_code"};
  auto c = EmployeeFromCsv(CsvRow(h, fields));
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems[0].column, column);
  EXPECT_EQ(c.problems[0].reason, reason);
}

TEST(EmployeeFromCsv, ABadNumberNamesTheColumnAndTheValue) {
  ExpectOneEmployeeProblem({"198501012010011001", "A", "pns", "x12", "JF-TJJ-AP"}, "unit_id",
                           "'x12' is not a whole number");
}

TEST(EmployeeFromCsv, AnUnknownEnumValueIsRejected) {
  ExpectOneEmployeeProblem({"1", "A", "honorer", "1", "P"}, "employment_type",
                           "unknown value 'honorer'");
}

TEST(UnitFromCsv, ReadsKindLocationAndParent) {
  const std::vector<std::string>& h = csv::UnitColumns();
  std::vector<std::string> f = {"34",    "73.71",  "33", "Bidang Bina Marga", "dinas", "",
                                "-5.13", "119.42", "1",  "SIASN:73.71:34"};
  auto c = UnitFromCsv(CsvRow(h, f));
  ASSERT_TRUE(c.problems.empty());
  EXPECT_EQ(c.message.external_id(), "SIASN:73.71:34");
  EXPECT_EQ(c.message.id(), 34);
  EXPECT_EQ(c.message.parent_id(), 33);
  EXPECT_EQ(c.message.kind(), pv1::UNIT_KIND_DINAS);
  EXPECT_TRUE(c.message.active());
}

TEST(PositionFromCsv, ReadsKindLevelBandAndEducation) {
  std::vector<std::string> h = {"code",     "name",          "kind",
                                "level",    "job_family",    "rank_min",
                                "rank_max", "min_education", "retirement_age"};
  std::vector<std::string> f = Record(
      "JF-TJJ-AP|Teknik Jalan dan Jembatan Ahli Pertama|"
      "functional_expertise|ahli_pertama|civil_engineering|III/a|III/b|s1|0");
  auto c = PositionFromCsv(CsvRow(h, f));
  ASSERT_TRUE(c.problems.empty());
  EXPECT_EQ(c.message.kind(), pv1::POSITION_KIND_FUNCTIONAL_EXPERTISE);
  EXPECT_EQ(c.message.level(), pv1::FUNCTIONAL_LEVEL_AHLI_PERTAMA);
  EXPECT_EQ(c.message.min_education(), pv1::EDUCATION_LEVEL_S1);
  EXPECT_EQ(c.message.rank_max(), "III/b");
}

TEST(PositionFromCsv, ReadsThePelaksanaClass) {
  const std::vector<std::string>& h = csv::PositionColumns();
  // Every column but the last, pelaksana_class.
  const std::string clerk =
      "PL-KLEREK|Pengadministrasi "
      "Perkantoran|pelaksana|none|general_administration|II/a|III/b|sma|0|";
  auto klerek = PositionFromCsv(CsvRow(h, Record(clerk + "klerek")));
  ASSERT_TRUE(klerek.problems.empty());
  EXPECT_EQ(klerek.message.pelaksana_class(), pv1::PELAKSANA_CLASS_KLEREK);
  auto juru = PositionFromCsv(CsvRow(h, Record(clerk + "juru")));
  ASSERT_EQ(juru.problems.size(), 1u);
  EXPECT_EQ(juru.problems[0].column, "pelaksana_class");
}

TEST(WorkloadFromCsv, ADriverIsSetOnlyWhenItsKindIsGiven) {
  std::vector<std::string> h = {
      "agency_code", "unit_id", "position_code", "task_name",   "output_unit",
      "volume",      "period",  "norm_minutes",  "driver_kind", "driver_baseline_per_month"};
  auto driven =
      WorkloadFromCsv(CsvRow(h, {"73.71", "34", "JF-TJJ-AP", "Mengawasi", "laporan", "12.5", "week",
                                 "480", "infrastructure_projects", "9.5"}));
  ASSERT_TRUE(driven.problems.empty());
  EXPECT_EQ(driven.message.task().period(), wv1::PERIOD_WEEK);
  EXPECT_EQ(driven.message.task().driver().signal_kind(), wv1::SIGNAL_KIND_INFRASTRUCTURE_PROJECTS);
  EXPECT_DOUBLE_EQ(driven.message.task().driver().baseline_per_month(), 9.5);
  auto plain = WorkloadFromCsv(
      CsvRow(h, {"73.71", "34", "JF-TJJ-AP", "Menyusun", "laporan", "2", "month", "240", "", ""}));
  ASSERT_TRUE(plain.problems.empty());
  EXPECT_FALSE(plain.message.task().has_driver());
}

TEST(SignalFromCsv, ReadsMonthKindAndCount) {
  std::vector<std::string> h = {"agency_code", "unit_id", "year", "month", "kind", "count"};
  auto c = SignalFromCsv(CsvRow(h, {"73.71", "34", "2026", "10", "public_complaints", "57"}));
  ASSERT_TRUE(c.problems.empty());
  EXPECT_EQ(c.message.month().year(), 2026);
  EXPECT_EQ(c.message.kind(), wv1::SIGNAL_KIND_PUBLIC_COMPLAINTS);
  EXPECT_EQ(c.message.count(), 57);
}

}  // namespace
}  // namespace seimbang::ctl

namespace seimbang::ctl {
namespace {

// Dirty files: a record is refused as a whole when its shape is wrong, before
// any column is read, so one bad row can neither shift the columns of a good
// one nor break the import stream.
TEST(CsvRowShape, ARecordWithMoreOrFewerFieldsThanTheHeaderIsRefused) {
  const std::vector<std::string> header = {"nip", "name", "unit_id"};
  const std::vector<std::string> short_record = {"198501012010011001", "Andi"};
  std::vector<RowProblem> p = CsvRow(header, short_record).ShapeProblems();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].column, "");
  EXPECT_EQ(p[0].reason, "the record has 2 fields, the header 3");
  const std::vector<std::string> long_record = {"1", "2", "3", "4"};
  EXPECT_EQ(CsvRow(header, long_record).ShapeProblems()[0].reason,
            "the record has 4 fields, the header 3");
}

TEST(CsvRowShape, AFieldThatIsNotUtf8IsRefusedNamingItsColumn) {
  const std::vector<std::string> header = {"nip", "name"};
  for (const std::string& bad :
       {std::string("Ca\xff\xfeti"), std::string("\xc3"), std::string("\xe0\x80\x80"),
        std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
    const std::vector<std::string> record = {"198501012010011001", bad};
    std::vector<RowProblem> p = CsvRow(header, record).ShapeProblems();
    ASSERT_EQ(p.size(), 1u) << bad;
    EXPECT_EQ(p[0].column, "name");
    EXPECT_EQ(p[0].reason, "is not valid UTF-8 (save the file as UTF-8)");
  }
}

TEST(CsvRowShape, WellFormedUtf8IncludingIndonesianAndFourByteCharactersPasses) {
  const std::vector<std::string> header = {"name", "unit"};
  const std::vector<std::string> record = {"Andi Baso, S.T. \xc3\xa9\xe2\x82\xac",
                                           "Kel. Pa'batong \xf0\x9f\x8f\xa2"};
  EXPECT_TRUE(CsvRow(header, record).ShapeProblems().empty());
}

TEST(CsvRowShape, TheConvertersReportTheShapeProblemFirst) {
  const std::vector<std::string> header = {"code", "name", "kind", "province_code"};
  const std::vector<std::string> record = {"73.71", "Makassar"};
  auto c = AgencyFromCsv(CsvRow(header, record));
  ASSERT_FALSE(c.problems.empty());
  EXPECT_EQ(c.problems[0].reason, "the record has 2 fields, the header 4");
}

// Issue 15 item 6: `seimbangctl import` reads files saved by spreadsheets, which start with a
// UTF-8 byte-order mark; the mark is not part of the first column's name.
TEST(ImportFile, AUtf8ByteOrderMarkAtTheStartIsSkipped) {
  const std::string path = ::testing::TempDir() + "/bom-units.csv";
  for (const std::string header : {"id,agency_code,name,kind", "\"id\",agency_code,name,kind"}) {
    std::ofstream(path, std::ios::binary) << "\xEF\xBB\xBF" << header << "\r\n"
                                          << "7,73.71,Dinas Kesehatan,DINAS\r\n";
    auto reader = csv::Reader::Open(path);
    ASSERT_TRUE(reader.ok()) << reader.status();
    EXPECT_EQ((*reader)->header().at(0), "id");
    EXPECT_TRUE((*reader)->RequireColumns({"id", "agency_code", "name", "kind"}).ok());
    std::vector<std::string> fields;
    ASSERT_TRUE(*(*reader)->Next(fields));
    auto unit = UnitFromCsv(CsvRow((*reader)->header(), fields));
    EXPECT_TRUE(unit.problems.empty()) << unit.problems.at(0).reason;
    EXPECT_EQ(unit.message.id(), 7);
  }
  // Without a mark, and with bytes that only start like one, nothing is dropped.
  std::istringstream plain("id,name\n1,a\n");
  auto reader = csv::Reader::FromStream(plain);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->header().at(0), "id");
  std::istringstream almost("\xEF\xBBid,name\n");
  reader = csv::Reader::FromStream(almost);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->header().at(0), "\xEF\xBBid");
}

}  // namespace
}  // namespace seimbang::ctl
