// The workload repository on both engines: the same behaviour on SQLite and MariaDB.
#include "services/workload/repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "services/workload/migrations.h"
#include "tests/harness/workload_records.h"
#include "tests/support/test_db.h"

namespace seimbang::workload {
namespace {

using ::testing::ElementsAre;

class WorkloadRepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<db::Pool>> pool =
        testsupport::FreshMigratedPool(GetParam(), "workload_repo", "workload", Migrations);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    absl::StatusOr<db::PooledConnection> conn = pool_->Acquire();
    ASSERT_TRUE(conn.ok());
    conn_ = std::make_unique<db::PooledConnection>(*std::move(conn));
  }
  db::Connection& conn() { return conn_->get(); }

  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<db::PooledConnection> conn_;
};

pb::Workload MakeWorkload(int64_t unit, const std::string& code, double volume) {
  pb::Workload w;
  w.set_agency_code("73.71");
  w.set_unit_id(unit);
  w.set_position_code(code);
  pb::Task* t = w.add_tasks();
  t->set_name("Menyusun laporan");
  t->set_output_unit("laporan");
  t->set_volume(volume);
  t->set_period(pb::PERIOD_MONTH);
  t->set_norm_minutes(90);
  pb::Task* d = w.add_tasks();
  d->set_name("Menanggapi pengaduan");
  d->set_volume(100);
  d->set_period(pb::PERIOD_YEAR);
  d->set_norm_minutes(30);
  d->mutable_driver()->set_signal_kind(pb::SIGNAL_KIND_PUBLIC_COMPLAINTS);
  d->mutable_driver()->set_baseline_per_month(8);
  return w;
}

TEST_P(WorkloadRepositoryTest, EmptyEtagCreatesAndStoresTasksInOrder) {
  auto put =
      Repository::PutWorkload(conn(), MakeWorkload(5, "P1", 10), "finance", std::string(), 1000);
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->second, WriteOutcome::kInserted);
  EXPECT_EQ(put->first.workload.etag(), "1");
  auto got = Repository::GetWorkload(conn(), 5, "P1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->job_family, "finance");
  EXPECT_EQ((*got)->workload.update_time_ms(), 1000);
  ASSERT_EQ((*got)->workload.tasks_size(), 2);
  EXPECT_EQ((*got)->workload.tasks(0).name(), "Menyusun laporan");
  EXPECT_EQ((*got)->workload.tasks(1).driver().signal_kind(), pb::SIGNAL_KIND_PUBLIC_COMPLAINTS);
  EXPECT_EQ((*got)->workload.tasks(1).driver().baseline_per_month(), 8);
  EXPECT_FALSE((*got)->workload.tasks(0).has_driver());
}

TEST_P(WorkloadRepositoryTest, EtagRulesCreateReplaceAndStale) {
  ASSERT_TRUE(
      Repository::PutWorkload(conn(), MakeWorkload(5, "P1", 10), "f", std::string(), 1).ok());
  auto again = Repository::PutWorkload(conn(), MakeWorkload(5, "P1", 11), "f", std::string(), 2);
  EXPECT_TRUE(absl::IsAlreadyExists(again.status())) << again.status();
  auto replaced =
      Repository::PutWorkload(conn(), MakeWorkload(5, "P1", 11), "f", std::string("1"), 3);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_EQ(replaced->second, WriteOutcome::kUpdated);
  EXPECT_EQ(replaced->first.workload.etag(), "2");
  auto stale = Repository::PutWorkload(conn(), MakeWorkload(5, "P1", 12), "f", std::string("1"), 4);
  EXPECT_TRUE(absl::IsAborted(stale.status()));
  auto same = Repository::PutWorkload(conn(), MakeWorkload(5, "P1", 11), "f", std::nullopt, 5);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->second, WriteOutcome::kUnchanged);
  EXPECT_EQ(same->first.workload.etag(), "2");
  auto got = Repository::GetWorkload(conn(), 5, "P1");
  EXPECT_EQ((*got)->workload.tasks(0).volume(), 11);
}

// PutWorkloads (ImportWorkload's batches) does what PutWorkload without an etag does one by one:
// a new key inserted at version 1, an identical one unchanged (etag and time kept), a changed
// one updated (version + 1, tasks replaced in order), a job family alone counting as a change;
// a dry run decides the same and writes nothing.
TEST_P(WorkloadRepositoryTest, PutWorkloadsIsPutWorkloadOneByOne) {
  for (const auto& [unit, volume] : {std::pair{1, 10.0}, std::pair{2, 20.0}, std::pair{3, 30.0}}) {
    ASSERT_TRUE(
        Repository::PutWorkload(conn(), MakeWorkload(unit, "P1", volume), "f", std::nullopt, 100)
            .ok());
  }
  auto stored = [](int64_t unit, double volume, const std::string& family) {
    StoredWorkload w;
    w.workload = MakeWorkload(unit, "P1", volume);
    w.job_family = family;
    return w;
  };
  StoredWorkload longer = stored(4, 40, "g");  // new, three tasks
  longer.workload.add_tasks()->set_name("Tugas ketiga");
  const std::vector<StoredWorkload> batch = {stored(1, 10, "f"), stored(2, 21, "f"),
                                             stored(3, 30, "g"), longer};
  auto dry = Repository::PutWorkloads(conn(), batch, 200, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_THAT(*dry, ElementsAre(WriteOutcome::kUnchanged, WriteOutcome::kUpdated,
                                WriteOutcome::kUpdated, WriteOutcome::kInserted));
  auto absent = Repository::GetWorkload(conn(), 4, "P1");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  EXPECT_EQ((**Repository::GetWorkload(conn(), 2, "P1")).workload.etag(), "1");

  auto put = Repository::PutWorkloads(conn(), batch, 200);
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(*put, *dry);
  auto got = [&](int64_t unit) { return **Repository::GetWorkload(conn(), unit, "P1"); };
  EXPECT_EQ(got(1).workload.etag(), "1");
  EXPECT_EQ(got(1).workload.update_time_ms(), 100);
  EXPECT_EQ(got(2).workload.etag(), "2");
  EXPECT_EQ(got(2).workload.update_time_ms(), 200);
  ASSERT_EQ(got(2).workload.tasks_size(), 2);
  EXPECT_EQ(got(2).workload.tasks(0).volume(), 21);
  EXPECT_EQ(got(2).workload.tasks(1).driver().baseline_per_month(), 8);
  EXPECT_EQ(got(3).workload.etag(), "2");
  EXPECT_EQ(got(3).job_family, "g");
  EXPECT_EQ(got(4).workload.etag(), "1");
  ASSERT_EQ(got(4).workload.tasks_size(), 3);
  EXPECT_EQ(got(4).workload.tasks(2).name(), "Tugas ketiga");
  EXPECT_EQ(got(4).job_family, "g");
  auto none = Repository::PutWorkloads(conn(), {}, 300);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());
}

TEST_P(WorkloadRepositoryTest, ListPagesByKeyAndLoadAttachesTasks) {
  for (int unit : {3, 1, 2}) {
    for (const char* code : {"B", "A"}) {
      ASSERT_TRUE(
          Repository::PutWorkload(conn(), MakeWorkload(unit, code, unit), "f", std::nullopt, 1)
              .ok());
    }
  }
  auto first = Repository::ListWorkloads(conn(), "73.71", 0, std::nullopt, 4);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 4u);
  EXPECT_EQ((*first)[3].workload.unit_id(), 2);
  EXPECT_EQ((*first)[3].workload.position_code(), "B");
  EXPECT_EQ((*first)[3].workload.tasks_size(), 2);
  auto rest = Repository::ListWorkloads(conn(), "73.71", 0, WorkloadKey{2, "B"}, 4);
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ((*rest)[0].workload.unit_id(), 3);
  auto other_agency = Repository::ListWorkloads(conn(), "73.72", 0, std::nullopt, 10);
  EXPECT_TRUE(other_agency->empty());
  auto all = Repository::LoadWorkloads(conn(), "73.71");
  ASSERT_EQ(all->size(), 6u);
  for (const StoredWorkload& w : *all) {
    EXPECT_EQ(w.workload.tasks_size(), 2);
    EXPECT_EQ(w.workload.tasks(0).volume(), w.workload.unit_id());
  }
}

pb::DemandSignal Signal(int64_t unit, int year, int month, int64_t count) {
  return testing::ComplaintsSignal("73.71", unit, year, month, count);
}

TEST_P(WorkloadRepositoryTest, ALaterSignalForTheSameKeyReplacesIt) {
  ASSERT_TRUE(Repository::UpsertSignals(
                  conn(), {Signal(1, 2026, 1, 5), Signal(1, 2026, 2, 7), Signal(1, 2026, 1, 9)}, 1)
                  .ok());
  ASSERT_TRUE(Repository::UpsertSignals(conn(), {Signal(1, 2026, 2, 3)}, 2).ok());
  SignalFilter f;
  f.agency_code = "73.71";
  auto all = Repository::ListSignals(conn(), f, std::nullopt, -1);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].count(), 9);
  EXPECT_EQ((*all)[1].count(), 3);
  f.from_month_key = 202602;
  auto window = Repository::ListSignals(conn(), f, std::nullopt, -1);
  ASSERT_EQ(window->size(), 1u);
  EXPECT_EQ(window->front().month().month(), 2);
}

TEST_P(WorkloadRepositoryTest, SettingsAreAbsentUntilPutThenVersioned) {
  EXPECT_FALSE(Repository::GetSettings(conn(), "73.71")->has_value());
  pb::Settings s;
  s.set_agency_code("73.71");
  s.set_effective_minutes_per_year(72000);
  s.set_rounding(pb::ROUNDING_CEILING);
  s.set_signal_window_months(6);
  auto put = Repository::PutSettings(conn(), s, "", 1);
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->etag(), "1");
  auto got = Repository::GetSettings(conn(), "73.71");
  EXPECT_EQ((*got)->effective_minutes_per_year(), 72000);
  EXPECT_EQ((*got)->rounding(), pb::ROUNDING_CEILING);
  EXPECT_EQ((*got)->signal_window_months(), 6);
  EXPECT_TRUE(absl::IsAborted(Repository::PutSettings(conn(), s, "7", 2).status()));
  EXPECT_EQ(Repository::PutSettings(conn(), s, "1", 2)->etag(), "2");
}

TEST_P(WorkloadRepositoryTest, RunsAreStoredWithAllRowsAndReadBackFiltered) {
  pb::AnalysisSummary s;
  s.set_run_id("run-a");
  s.set_agency_code("73.71");
  s.mutable_as_of()->set_year(2026);
  s.mutable_as_of()->set_month(3);
  s.mutable_as_of()->set_day(1);
  s.set_total_need(1234);
  std::vector<pb::PositionRow> rows;
  for (int i = 0; i < 600; ++i) {  // more than one multi-row INSERT chunk
    pb::PositionRow r;
    r.set_unit_id(1 + i / 10);
    r.set_position_code(absl::StrCat("P", i % 10));
    r.set_gap(i % 3 - 1);
    r.set_grade(i % 2 ? pb::GRADE_A : pb::GRADE_C);
    r.set_ej(0.5 + i);
    r.set_has_workload(true);
    rows.push_back(r);
  }
  pb::UnitRow u;
  u.set_unit_id(1);
  u.set_eu(0.75);
  auto pk = Repository::InsertRun(conn(), s, rows, {u});
  ASSERT_TRUE(pk.ok()) << pk.status();
  auto found = Repository::FindRun(conn(), "run-a");
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->summary.total_need(), 1234);
  auto all = Repository::ListRunRows(conn(), *pk, {}, std::nullopt, -1);
  EXPECT_EQ(all->size(), 600u);
  auto under = Repository::ListRunRows(conn(), *pk, RowFilter{0, 0, -1}, std::nullopt, -1);
  EXPECT_EQ(under->size(), 200u);
  auto unit_a =
      Repository::ListRunRows(conn(), *pk, RowFilter{2, pb::GRADE_A, 0}, std::nullopt, -1);
  ASSERT_EQ(unit_a->size(), 5u);
  EXPECT_EQ(unit_a->front().position_code(), "P1");
  EXPECT_DOUBLE_EQ(unit_a->front().ej(), 11.5);
  auto units = Repository::ListRunUnits(conn(), *pk);
  ASSERT_EQ(units->size(), 1u);
  EXPECT_EQ(units->front().eu(), 0.75);
  s.set_run_id("run-b");
  ASSERT_TRUE(Repository::InsertRun(conn(), s, {}, {}).ok());
  auto runs = Repository::ListRuns(conn(), "73.71", 0, 10);
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].summary.run_id(), "run-b");  // newest first
}

// Stored responses are common/idempotency's (tests/integration/idempotency).
TEST_P(WorkloadRepositoryTest, AuditRowsRoundTrip) {
  auto event = [](int64_t time_ms, const char* subject, const char* role, const char* method,
                  const char* resource, const char* request_id, const char* agency) {
    cpb::AuditEvent e;
    e.set_time_ms(time_ms);
    e.set_subject(subject);
    e.set_role(role);
    e.set_method(method);
    e.set_resource(resource);
    e.set_request_id(request_id);
    e.set_agency_code(agency);
    return e;
  };
  ASSERT_TRUE(
      Repository::InsertAudit(conn(), event(1, "alice", "operator", "/m", "unit/1", "r", "73.71"))
          .ok());
  ASSERT_TRUE(Repository::InsertAudit(conn(), event(2, "bob", "admin", "/n", "x", "", "")).ok());
  auto events = Repository::ListAudit(conn(), "/m", 0, 10);
  ASSERT_EQ(events->size(), 1u);
  const cpb::AuditEvent& alice = (*events)[0];
  EXPECT_GT(alice.id(), 0);
  EXPECT_EQ(alice.time_ms(), 1);
  EXPECT_EQ(alice.subject(), "alice");
  EXPECT_EQ(alice.role(), "operator");
  EXPECT_EQ(alice.resource(), "unit/1");
  EXPECT_EQ(alice.request_id(), "r");
  EXPECT_EQ(alice.agency_code(), "73.71");
  // Oldest first; a page after alice's id starts with bob.
  auto all = Repository::ListAudit(conn(), "", 0, 10);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->front().subject(), "alice");
  EXPECT_EQ(all->back().subject(), "bob");
  auto after = Repository::ListAudit(conn(), "", alice.id(), 10);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().subject(), "bob");
}

INSTANTIATE_TEST_SUITE_P(Engines, WorkloadRepositoryTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace seimbang::workload
