// Translation between the contract and the ABK library, and run comparison.
#include "services/workload/convert.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/workload/digest.h"

namespace seimbang::workload {
namespace {

TEST(DefaultSettings, AreTheDomainDefaults) {
  const pb::Settings s = DefaultSettings("73.71");
  EXPECT_EQ(s.agency_code(), "73.71");
  EXPECT_EQ(s.effective_minutes_per_year(), 75000);
  EXPECT_EQ(s.period_factors().month(), 12);
  EXPECT_EQ(s.period_factors().week(), 50);
  EXPECT_EQ(s.period_factors().day(), 250);
  EXPECT_EQ(s.rounding(), pb::ROUNDING_NEAREST_HALF_UP);
  EXPECT_EQ(s.grade_bands().a_above(), 1.0);
  EXPECT_EQ(s.grade_bands().b_from(), 0.9);
  EXPECT_EQ(s.balanced_min(), 0.9);
  EXPECT_EQ(s.balanced_max(), 1.1);
  EXPECT_EQ(s.signal_window_months(), 12);
}

TEST(SignalWindow, EndsWithTheMonthOfAsOfAndSpansTheWindow) {
  EXPECT_EQ(SignalWindow(absl::CivilDay(2026, 3, 15), 12), std::make_pair(202504, 202603));
  EXPECT_EQ(SignalWindow(absl::CivilDay(2026, 3, 15), 1), std::make_pair(202603, 202603));
}

TEST(ToAbk, DriverGetsElasticityOneAndTheKindName) {
  StoredWorkload w;
  w.workload.set_unit_id(1);
  w.workload.set_position_code("P");
  w.job_family = "health";
  pb::Task* t = w.workload.add_tasks();
  t->set_period(pb::PERIOD_WEEK);
  t->mutable_driver()->set_signal_kind(pb::SIGNAL_KIND_PUBLIC_COMPLAINTS);
  t->mutable_driver()->set_baseline_per_month(40);
  const abk::Workload a = ToAbk(w);
  ASSERT_EQ(a.tasks.size(), 1u);
  EXPECT_EQ(a.job_family, "health");
  EXPECT_EQ(a.tasks[0].period, abk::Period::kWeek);
  ASSERT_TRUE(a.tasks[0].driver.has_value());
  EXPECT_EQ(a.tasks[0].driver->signal_kind, "public_complaints");
  EXPECT_EQ(a.tasks[0].driver->baseline_per_month, 40);
  EXPECT_EQ(a.tasks[0].driver->elasticity, 1);
}

pb::PositionRow Row(int64_t unit, std::string code, int need, int staff, double ej, pb::Grade g) {
  pb::PositionRow r;
  r.set_unit_id(unit);
  r.set_position_code(std::move(code));
  r.set_required_headcount(need);
  r.set_staff(staff);
  r.set_gap(staff - need);
  r.set_ej(ej);
  r.set_grade(g);
  return r;
}

TEST(DiffRows, ReportsOnlyRowsThatDifferIncludingRowsInOneRunOnly) {
  const std::vector<pb::PositionRow> base = {Row(1, "A", 2, 2, 1.0, pb::GRADE_B),
                                             Row(1, "B", 3, 1, 2.0, pb::GRADE_A),
                                             Row(2, "A", 1, 1, 0.5, pb::GRADE_D)};
  const std::vector<pb::PositionRow> other = {Row(1, "A", 2, 2, 1.0, pb::GRADE_B),
                                              Row(1, "B", 3, 2, 1.5, pb::GRADE_A),
                                              Row(3, "C", 1, 0, 0, pb::GRADE_UNSPECIFIED)};
  const std::vector<pb::RowDelta> d = DiffRows(base, other);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].unit_id(), 1);
  EXPECT_EQ(d[0].position_code(), "B");
  EXPECT_EQ(d[0].staff_delta(), 1);
  EXPECT_EQ(d[0].gap_delta(), 1);
  EXPECT_DOUBLE_EQ(d[0].ej_delta(), -0.5);
  EXPECT_EQ(d[1].unit_id(), 2);  // only in base: compared with an empty row
  EXPECT_EQ(d[1].staff_delta(), -1);
  EXPECT_EQ(d[1].base_grade(), pb::GRADE_D);
  EXPECT_EQ(d[1].other_grade(), pb::GRADE_UNSPECIFIED);
  EXPECT_EQ(d[2].unit_id(), 3);  // only in other
  EXPECT_EQ(d[2].required_headcount_delta(), 1);
  EXPECT_EQ(d[2].gap_delta(), -1);
}

TEST(InputVersion, ChangesWhenATaskOrSignalChanges) {
  StoredWorkload w;
  w.workload.set_unit_id(1);
  w.workload.set_position_code("P");
  w.workload.add_tasks()->set_volume(10);
  pb::DemandSignal s;
  s.set_unit_id(1);
  s.set_count(5);
  const std::string v1 = InputVersion({w}, {s});
  EXPECT_EQ(v1.size(), 64u);
  EXPECT_EQ(InputVersion({w}, {s}), v1);
  w.workload.mutable_tasks(0)->set_volume(10.0000001);
  EXPECT_NE(InputVersion({w}, {s}), v1);
  w.workload.mutable_tasks(0)->set_volume(10);
  s.set_count(6);
  EXPECT_NE(InputVersion({w}, {s}), v1);
}

// The version is the SHA-256 of one text line per workload, task and signal (fields split by
// 0x1f, doubles as exact %a): stored runs are compared by it, so the text may not change when
// the code that writes it does. Enough tasks to span several of the hash's 64 KiB chunks, and
// doubles whose %a is long, negative, subnormal or zero.
TEST(InputVersion, IsTheHashOfTheDocumentedText) {
  const double values[] = {10, 0.1, 1.0 / 3, -2.5e-310, 0, 123456789.987654321, 1e300};
  std::vector<StoredWorkload> workloads;
  std::string text;
  for (int u = 0; u < 900; ++u) {
    StoredWorkload w;
    w.workload.set_unit_id(1000 + u);
    w.workload.set_position_code(absl::StrCat("P", u % 17));
    w.job_family = u % 2 ? "kesehatan" : "";
    absl::StrAppend(&text, "W\x1f", w.workload.unit_id(), "\x1f", w.workload.position_code(),
                    "\x1f", w.job_family, "\x1f");
    for (int k = 0; k < u % 6; ++k) {
      pb::Task* t = w.workload.add_tasks();
      t->set_name(absl::StrCat("Menyusun laporan ", u, "/", k));
      t->set_output_unit(k % 2 ? "dokumen" : "");
      t->set_volume(values[(u + k) % 7]);
      t->set_period(static_cast<pb::Period>(1 + k % 3));
      t->set_norm_minutes(values[(u * 3 + k) % 7]);
      if (k % 2) {
        t->mutable_driver()->set_signal_kind(static_cast<pb::SignalKind>(1 + u % 3));
        t->mutable_driver()->set_baseline_per_month(values[(u + 2 * k) % 7]);
      }
      absl::StrAppend(&text, "T\x1f", t->name(), "\x1f", t->output_unit(), "\x1f",
                      absl::StrFormat("%a", t->volume()), "\x1f", t->period(), "\x1f",
                      absl::StrFormat("%a", t->norm_minutes()), "\x1f", t->driver().signal_kind(),
                      "\x1f", absl::StrFormat("%a", t->driver().baseline_per_month()), "\n");
    }
    workloads.push_back(std::move(w));
  }
  std::vector<pb::DemandSignal> signals(40);
  for (int i = 0; i < 40; ++i) {
    signals[i].set_unit_id(1000 + i);
    signals[i].set_kind(static_cast<pb::SignalKind>(1 + i % 3));
    signals[i].mutable_month()->set_year(2026);
    signals[i].mutable_month()->set_month(1 + i % 12);
    signals[i].set_count(i * 7);
    absl::StrAppend(&text, "S\x1f", signals[i].unit_id(), "\x1f", signals[i].kind(), "\x1f", 2026,
                    "\x1f", 1 + i % 12, "\x1f", i * 7, "\n");
  }
  ASSERT_GT(text.size(), 2u * 64 * 1024);
  EXPECT_EQ(InputVersion(workloads, signals), Sha256Hex(text));
  EXPECT_EQ(InputVersion({}, {}), Sha256Hex(""));
}

// AppendHexFloat is snprintf's %a to the byte, for every kind of double: the specials, every
// exponent (subnormals included) and random bit patterns.
TEST(AppendHexFloat, WritesWhatPrintfsPercentAWrites) {
  const auto printf_a = [](double v) {
    char buf[64];
    const int n = std::snprintf(buf, sizeof buf, "%a", v);
    return std::string(buf, static_cast<size_t>(n));
  };
  const auto from_bits = [](uint64_t bits) {
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  };
  std::vector<double> values = {0.0,
                                -0.0,
                                1.0,
                                -1.0,
                                0.1,
                                3.0,
                                1.0 / 3,
                                1e300,
                                -2.5e-310,
                                std::numeric_limits<double>::min(),
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::lowest(),
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::quiet_NaN(),
                                -std::numeric_limits<double>::quiet_NaN()};
  for (uint64_t exponent = 0; exponent <= 0x7ff; ++exponent) {
    values.push_back(from_bits(exponent << 52));
    values.push_back(from_bits((exponent << 52) | 1));
    values.push_back(from_bits((exponent << 52) | 0x8000000000000ULL));
    values.push_back(from_bits((uint64_t{1} << 63) | (exponent << 52) | 0xfffffffffffffULL));
  }
  std::mt19937_64 rng(20261204);
  for (int i = 0; i < 200000; ++i) values.push_back(from_bits(rng()));
  for (int i = 0; i < 1000; ++i) values.push_back(static_cast<double>(rng() % 100000) / 100);
  for (double v : values) {
    std::string got = "x";
    AppendHexFloat(v, got);
    ASSERT_EQ(got, "x" + printf_a(v));
  }
}

TEST(Sha256Hex, MatchesTheKnownDigestOfAbc) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// Issue 15 item 5: int64 figures of the analysis saturate into the contract's int32 fields
// (a need of 10^13 once came back negative).
TEST(Clamp32, SaturatesAtTheInt32Limits) {
  EXPECT_EQ(Clamp32(5), 5);
  EXPECT_EQ(Clamp32(-5), -5);
  EXPECT_EQ(Clamp32(int64_t{1} << 40), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(Clamp32(-(int64_t{1} << 40)), std::numeric_limits<int32_t>::min());
}

// Issue 15 item 5: a summary and rows at the limits carry no negative totals, and a
// comparison of extreme gaps does not wrap.
TEST(FillSummary, SaturatesHugeTotalsAndRowDeltasDoNotWrap) {
  abk::AnalysisResult r;
  r.agency.required_headcount = std::numeric_limits<int64_t>::max();
  r.agency.staff = int64_t{10000000000000};
  pb::AnalysisSummary s;
  FillSummary(r, s);
  EXPECT_EQ(s.total_need(), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(s.total_staff(), std::numeric_limits<int32_t>::max());

  pb::PositionRow low, high;
  low.set_unit_id(1);
  low.set_position_code("P");
  high = low;
  low.set_gap(std::numeric_limits<int32_t>::min());
  high.set_gap(std::numeric_limits<int32_t>::max());
  const std::vector<pb::RowDelta> d = DiffRows({low}, {high});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].gap_delta(), std::numeric_limits<int32_t>::max());
}

}  // namespace
}  // namespace seimbang::workload
