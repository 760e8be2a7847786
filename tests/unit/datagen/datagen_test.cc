// The makassar dataset as a specification: valid NIPs, plausible ranks, and the
// imbalance the demo tells (Dinas PU short of civil engineers, others with surplus).
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/numbers.h"
#include "common/domain/date.h"
#include "common/domain/nip.h"
#include "common/domain/rank.h"
#include "gtest/gtest.h"
#include "tools/csv/columns.h"
#include "tools/csv/csv.h"
#include "tools/datagen/generator.h"

namespace seimbang::datagen {
namespace {

namespace fs = std::filesystem;
using Row = std::map<std::string, std::string>;

std::vector<Row> ReadAll(const std::string& path) {
  auto reader = csv::Reader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status();
  std::vector<Row> rows;
  if (!reader.ok()) return rows;
  std::vector<std::string> f;
  while (*(*reader)->Next(f)) {
    Row r;
    for (size_t i = 0; i < f.size() && i < (*reader)->header().size(); ++i) {
      r[(*reader)->header()[i]] = f[i];
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string TempDir(const std::string& name) {
  return (fs::temp_directory_path() / ("seimbang-datagen-" + std::to_string(getpid()) + "-" + name))
      .string();
}

class MakassarDataset : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TempDir("makassar"));
    Options o;
    o.profile = Profile::kMakassar;
    o.seed = 1;
    o.out_dir = *dir_;
    auto counts = Generate(o);
    ASSERT_TRUE(counts.ok()) << counts.status();
    counts_ = *counts;
    units_ = new std::vector<Row>(ReadAll(*dir_ + "/units.csv"));
    positions_ = new std::vector<Row>(ReadAll(*dir_ + "/positions.csv"));
    employees_ = new std::vector<Row>(ReadAll(*dir_ + "/employees.csv"));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete units_;
    delete positions_;
    delete employees_;
  }

  static const Row& PositionOf(const std::string& code) {
    for (const auto& p : *positions_) {
      if (p.at("code") == code) return p;
    }
    static Row empty;
    return empty;
  }

  // Civil-engineering staff and need (FTE, signals applied as workload does) per top-level unit
  // name.
  static std::map<std::string, std::pair<int, double>> CivilEngineeringByOffice() {
    std::map<std::string, Row> units;
    for (const auto& u : *units_) units[u.at("id")] = u;
    auto top = [&](std::string id) {
      while (units[id].at("parent_id") != "0") id = units[id].at("parent_id");
      return units[id].at("name");
    };
    std::set<std::string> ce;
    for (const auto& p : *positions_) {
      if (p.at("job_family") == "civil_engineering") ce.insert(p.at("code"));
    }
    std::map<std::string, std::pair<int, double>> out;
    for (const auto& e : *employees_) {
      if (ce.count(e.at("position_code"))) out[top(e.at("unit_id"))].first++;
    }
    // Average of the 12 months ending with the as-of month (2026-10), as the analysis does.
    std::map<std::pair<std::string, std::string>, double> recent;
    for (const auto& s : ReadAll(*dir_ + "/signals.csv")) {
      int ym = std::stoi(s.at("year")) * 12 + std::stoi(s.at("month"));
      if (ym > 2025 * 12 + 10)
        recent[{s.at("unit_id"), s.at("kind")}] += std::stod(s.at("count")) / 12;
    }
    const std::map<std::string, double> factor = {
        {"year", 1}, {"month", 12}, {"week", 50}, {"day", 250}};
    for (const auto& w : ReadAll(*dir_ + "/workloads.csv")) {
      if (!ce.count(w.at("position_code"))) continue;
      double minutes =
          std::stod(w.at("volume")) * factor.at(w.at("period")) * std::stod(w.at("norm_minutes"));
      if (!w.at("driver_kind").empty()) {
        minutes *= recent[{w.at("unit_id"), w.at("driver_kind")}] /
                   std::stod(w.at("driver_baseline_per_month"));
      }
      out[top(w.at("unit_id"))].second += minutes / 75000.0;
    }
    return out;
  }

  static std::string* dir_;
  static Counts counts_;
  static std::vector<Row>* units_;
  static std::vector<Row>* positions_;
  static std::vector<Row>* employees_;
};
std::string* MakassarDataset::dir_ = nullptr;
Counts MakassarDataset::counts_;
std::vector<Row>* MakassarDataset::units_ = nullptr;
std::vector<Row>* MakassarDataset::positions_ = nullptr;
std::vector<Row>* MakassarDataset::employees_ = nullptr;

TEST_F(MakassarDataset, HasAboutTwentyThousandEmployeesOfKotaMakassar) {
  EXPECT_GE(counts_.employees, 18000);
  EXPECT_LE(counts_.employees, 22000);
  EXPECT_EQ(static_cast<int64_t>(employees_->size()), counts_.employees);
  for (const auto& e : *employees_) ASSERT_EQ(e.at("agency_code"), "73.71");
}

TEST_F(MakassarDataset, HasTheFifteenKecamatanAndTheirHundredFiftyThreeKelurahan) {
  int kecamatan = 0, kelurahan = 0;
  std::set<std::string> kec_names;
  for (const auto& u : *units_) {
    if (u.at("kind") == "kecamatan") ++kecamatan;
    if (u.at("kind") == "kelurahan") {
      ++kelurahan;
      kec_names.insert(u.at("kecamatan"));
    }
  }
  EXPECT_EQ(kecamatan, 15);
  EXPECT_EQ(kelurahan, 153);
  EXPECT_TRUE(kec_names.count("Kepulauan Sangkarrang"));
  EXPECT_TRUE(kec_names.count("Biringkanaya"));
}

TEST_F(MakassarDataset, EveryPnsNipIsAcceptedByParseNipAndAgreesWithTheRow) {
  int pns = 0;
  for (const auto& e : *employees_) {
    if (e.at("employment_type") != "pns") continue;
    ++pns;
    auto info = domain::ParseNip(e.at("nip"));
    ASSERT_TRUE(info.ok()) << e.at("nip") << ": " << info.status();
    ASSERT_EQ(domain::FormatDate(info->birth_date), e.at("birth_date")) << e.at("nip");
    ASSERT_EQ(info->gender == domain::Gender::kMale ? "male" : "female", e.at("gender"));
    char ym[8];
    std::snprintf(ym, sizeof ym, "%04d-%02d", info->appointment_year, info->appointment_month);
    ASSERT_EQ(ym, e.at("appointment")) << e.at("nip");
  }
  EXPECT_GT(pns, 15000);
}

TEST_F(MakassarDataset, EmployeeNumbersAreUniqueAndPppkNumbersHaveEighteenDigits) {
  std::set<std::string> seen;
  int pppk = 0;
  for (const auto& e : *employees_) {
    ASSERT_TRUE(seen.insert(e.at("nip")).second) << "duplicate " << e.at("nip");
    if (e.at("employment_type") == "pppk") {
      ++pppk;
      ASSERT_TRUE(domain::ValidateEmployeeNumber(domain::EmploymentType::kPppk, e.at("nip")).ok());
    }
  }
  EXPECT_GT(pppk, 100);
}

// Tolerance: real registers are messy, so about 1.5% of PNS are deliberately one
// rank above their band; at least 97% must be inside it.
TEST_F(MakassarDataset, AtLeastNinetySevenPercentOfPnsRanksAreInsideTheirPositionBand) {
  int in_band = 0, pns = 0;
  for (const auto& e : *employees_) {
    if (e.at("employment_type") != "pns") continue;
    ++pns;
    const Row& p = PositionOf(e.at("position_code"));
    ASSERT_FALSE(p.empty()) << e.at("position_code");
    auto rank = domain::ParseRank(e.at("rank"));
    ASSERT_TRUE(rank.ok()) << e.at("rank");
    auto lo = domain::ParseRank(p.at("rank_min").empty() ? "I/a" : p.at("rank_min"));
    auto hi = domain::ParseRank(p.at("rank_max").empty() ? "IV/e" : p.at("rank_max"));
    if (domain::InBand(*rank, *lo, *hi)) ++in_band;
  }
  EXPECT_GE(in_band, pns * 97 / 100);
  EXPECT_LT(in_band, pns);  // the messy 1.5% exist
}

TEST_F(MakassarDataset, HoldersOfExpertisePostsHaveAtLeastABachelorsDegree) {
  for (const auto& e : *employees_) {
    const Row& p = PositionOf(e.at("position_code"));
    if (p.at("kind") == "functional_expertise") {
      ASSERT_TRUE(e.at("education_level") == "s1" || e.at("education_level") == "s2")
          << e.at("nip") << " " << e.at("education_level");
    }
  }
}

TEST_F(MakassarDataset, NobodyHasReachedRetirementAgeByTheAsOfDateButSomeAreClose) {
  int close = 0;
  for (const auto& e : *employees_) {
    const Row& p = PositionOf(e.at("position_code"));
    int bup = (p.at("kind") == "jpt_pratama" || p.at("level") == "ahli_madya") ? 60 : 58;
    auto birth = domain::ParseDate(e.at("birth_date"));
    ASSERT_TRUE(birth.ok());
    domain::Date retire = domain::RetirementDate(*birth, bup);
    ASSERT_GT(retire, (domain::Date{2026, 10, 31})) << e.at("nip");
    if (retire < domain::Date{2027, 10, 31}) ++close;
  }
  EXPECT_GT(close, 100);
}

TEST_F(MakassarDataset, TimeInPostIsSpreadOverZeroToTenYears) {
  int under2 = 0, over5 = 0;
  for (const auto& e : *employees_) {
    auto d = domain::ParseDate(e.at("in_post_since"));
    ASSERT_TRUE(d.ok());
    int months = domain::MonthsBetween(*d, {2026, 10, 31});
    ASSERT_GE(months, 0);
    ASSERT_LE(months, 120);
    if (months < 24) ++under2;
    if (months > 60) ++over5;
  }
  EXPECT_GT(under2, 1000);
  EXPECT_GT(over5, 1000);
}

TEST_F(MakassarDataset, DinasPekerjaanUmumNeedsFarMoreCivilEngineersThanItHas) {
  auto by_office = CivilEngineeringByOffice();
  auto [staff, need] = by_office.at("Dinas Pekerjaan Umum");
  EXPECT_GT(staff, 60);
  EXPECT_GT(need, staff * 1.4) << "staff " << staff << " need " << need;
}

TEST_F(MakassarDataset, OtherOfficesHoldSurplusCivilEngineers) {
  auto by_office = CivilEngineeringByOffice();
  double surplus = 0;
  for (const char* office : {"Dinas Penataan Ruang", "Dinas Perhubungan", "Sekretariat Daerah"}) {
    auto [staff, need] = by_office.at(office);
    EXPECT_LT(need, staff * 0.7) << office << ": staff " << staff << " need " << need;
    surplus += staff - need;
  }
  EXPECT_GT(surplus, 25);
}

TEST_F(MakassarDataset, DemandSignalsCoverTwentyFourMonthsUpToTheAsOfMonth) {
  std::set<int> months;
  for (const auto& s : ReadAll(*dir_ + "/signals.csv")) {
    months.insert(std::stoi(s.at("year")) * 12 + std::stoi(s.at("month")) - 1);
  }
  ASSERT_EQ(months.size(), 24u);
  EXPECT_EQ(*months.rbegin(), 2026 * 12 + 9);
  EXPECT_EQ(*months.begin(), 2024 * 12 + 10);
}

TEST(Datagen, FilesStartWithTheDocumentedHeaders) {
  std::string dir = TempDir("headers");
  Options o;
  o.out_dir = dir;
  ASSERT_TRUE(Generate(o).ok());
  EXPECT_EQ(Slurp(dir + "/agencies.csv").substr(0, 29), "code,name,kind,province_code\n");
  EXPECT_EQ(ReadAll(dir + "/units.csv").front().size(), csv::UnitColumns().size());
  std::ifstream in(dir + "/workloads.csv");
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header,
            "agency_code,unit_id,position_code,task_name,output_unit,volume,period,norm_minutes,"
            "driver_kind,driver_baseline_per_month");
  std::ifstream sig(dir + "/signals.csv");
  std::getline(sig, header);
  EXPECT_EQ(header, "agency_code,unit_id,year,month,kind,count");
  fs::remove_all(dir);
}

TEST(Datagen, TheSameSeedGivesByteIdenticalFilesAndAnotherSeedDoesNot) {
  std::string a = TempDir("a"), b = TempDir("b"), c = TempDir("c");
  Options o;
  o.out_dir = a;
  ASSERT_TRUE(Generate(o).ok());
  o.out_dir = b;
  ASSERT_TRUE(Generate(o).ok());
  o.out_dir = c;
  o.seed = 2;
  ASSERT_TRUE(Generate(o).ok());
  for (const char* f : {"agencies.csv", "units.csv", "positions.csv", "employees.csv",
                        "workloads.csv", "signals.csv"}) {
    EXPECT_EQ(Slurp(a + "/" + f), Slurp(b + "/" + f)) << f;
  }
  EXPECT_NE(Slurp(a + "/employees.csv"), Slurp(c + "/employees.csv"));
  for (const auto& d : {a, b, c}) fs::remove_all(d);
}

TEST(Datagen, UnknownProfileIsRejectedWithTheChoices) {
  EXPECT_EQ(ParseProfile("jakarta").status().message(),
            "unknown profile 'jakarta': use makassar, province or national");
  EXPECT_EQ(*ParseProfile("national"), Profile::kNational);
}

TEST(Datagen, StartingRankFollowsEducation) {
  EXPECT_EQ(StartRankOrdinal("sma"), 5);  // II/a
  EXPECT_EQ(StartRankOrdinal("d3"), 7);   // II/c
  EXPECT_EQ(StartRankOrdinal("s1"), 9);   // III/a
  EXPECT_EQ(StartRankOrdinal("s2"), 10);  // III/b
}

}  // namespace
}  // namespace seimbang::datagen
