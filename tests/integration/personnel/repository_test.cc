// Repository rules on both engines: SQLite (a temp file) and the throwaway MariaDB.
#include "services/personnel/repository.h"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "gtest/gtest.h"
#include "services/personnel/migrations.h"
#include "tests/support/test_db.h"

namespace seimbang::personnel {
namespace {

class RepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto pool =
        testsupport::FreshMigratedPool(GetParam(), "personnel_repo", "personnel", Migrations);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
    repo_ = std::make_unique<Repository>(*pool_);
  }

  absl::Status Run(const std::function<absl::Status(Tx&)>& fn) {
    return repo_
        ->Write(idempotency::Key{},
                [&](Tx& tx) -> absl::StatusOr<std::string> {
                  if (auto st = fn(tx); !st.ok()) return st;
                  return std::string();
                })
        .status();
  }

  pv1::Unit MakeUnit(int64_t id, int64_t parent, const std::string& agency = "73.71") {
    pv1::Unit u;
    u.set_id(id);
    u.set_parent_id(parent);
    u.set_agency_code(agency);
    u.set_name("Unit " + std::to_string(id));
    u.set_kind(pv1::UNIT_KIND_DINAS);
    u.set_active(true);
    return u;
  }

  pv1::Employee MakeEmployee(const std::string& nip, int64_t unit) {
    pv1::Employee e;
    e.set_nip(nip);
    e.set_name("Pegawai " + nip.substr(15));
    e.set_employment_type(pv1::EMPLOYMENT_TYPE_PNS);
    e.set_unit_id(unit);
    e.set_position_code("P1");
    e.set_agency_code("73.71");
    e.mutable_birth_date()->set_year(1985);
    e.mutable_birth_date()->set_month(3);
    e.mutable_birth_date()->set_day(12);
    e.set_gender(pv1::GENDER_MALE);
    e.add_competency_tags("civil");
    e.add_competency_tags("roads");
    return e;
  }

  // Agency 73.71 with units 1 <- 2 <- 3 and 1 <- 4, plus 9 in 73.72; position P1.
  void SeedTree() {
    ASSERT_TRUE(Run([&](Tx& tx) -> absl::Status {
                  for (const char* code : {"73.71", "73.72"}) {
                    pv1::Agency a;
                    a.set_code(code);
                    a.set_name(code);
                    a.set_kind(pv1::AGENCY_KIND_CITY);
                    if (auto r = tx.InsertAgency(a); !r.ok()) return r.status();
                  }
                  for (auto u : {MakeUnit(1, 0), MakeUnit(2, 1), MakeUnit(3, 2), MakeUnit(4, 1),
                                 MakeUnit(9, 0, "73.72")}) {
                    if (auto r = tx.InsertUnit(u); !r.ok()) return r.status();
                  }
                  pv1::Position p;
                  p.set_code("P1");
                  p.set_name("Pelaksana");
                  p.set_kind(pv1::POSITION_KIND_PELAKSANA);
                  p.set_job_family("general_administration");
                  return tx.InsertPosition(p);
                }).ok());
  }

  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<Repository> repo_;
};

// A transaction that wrote change-feed rows holds the feed until it commits: another writer's
// rows wait, so sequences become visible in order and a reader never skips one.
TEST_P(RepositoryTest, ChangeFeedWritersCommitInSequenceOrder) {
  std::promise<void> first_written;
  std::promise<void> release_first;
  std::shared_future<void> release = release_first.get_future().share();
  std::atomic<bool> second_done{false};
  std::thread first([&] {
    EXPECT_TRUE(Run([&](Tx& tx) -> absl::Status {
                  if (auto st = tx.WriteChange(pv1::CHANGE_KIND_UNIT_UPDATED, "73.71", "1");
                      !st.ok()) {
                    return st;
                  }
                  first_written.set_value();
                  release.wait();
                  return absl::OkStatus();
                }).ok());
  });
  first_written.get_future().wait();
  std::thread second([&] {
    EXPECT_TRUE(Run([&](Tx& tx) {
                  return tx.WriteChanges({[] {
                    pv1::WatchChangesResponse c;
                    c.set_kind(pv1::CHANGE_KIND_UNIT_UPDATED);
                    c.set_agency_code("73.71");
                    c.set_resource_id("2");
                    return c;
                  }()});
                }).ok());
    second_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(second_done) << "a second writer committed while the first held the feed";
  release_first.set_value();
  first.join();
  second.join();
  EXPECT_TRUE(second_done);
  auto changes = repo_->ListChanges(0, "73.71", 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].resource_id(), "1");
  EXPECT_EQ((*changes)[1].resource_id(), "2");
}

TEST_P(RepositoryTest, SubtreeQueryReturnsTheUnitAndAllItsDescendantsOnly) {
  SeedTree();
  UnitQuery q;
  q.subtree_of = 2;
  auto units = repo_->ListUnits(q);
  ASSERT_TRUE(units.ok()) << units.status();
  ASSERT_EQ(units->size(), 2u);
  EXPECT_EQ((*units)[0].id(), 2);
  EXPECT_EQ((*units)[1].id(), 3);
  q.subtree_of = 1;
  EXPECT_EQ(repo_->ListUnits(q)->size(), 4u);
}

TEST_P(RepositoryTest, MovingAUnitMovesItsSubtree) {
  SeedTree();
  ASSERT_TRUE(Run([&](Tx& tx) { return tx.UpdateUnit(MakeUnit(2, 4), 1).status(); }).ok());
  UnitQuery q;
  q.subtree_of = 4;
  EXPECT_EQ(repo_->ListUnits(q)->size(), 3u);  // 4, 2, 3
  // A unit cannot move under its own descendant.
  auto st = Run([&](Tx& tx) { return tx.UpdateUnit(MakeUnit(4, 3), -1).status(); });
  EXPECT_TRUE(absl::IsFailedPrecondition(st)) << st;
}

TEST_P(RepositoryTest, StaleUnitVersionIsAborted) {
  SeedTree();
  ASSERT_TRUE(Run([&](Tx& tx) { return tx.UpdateUnit(MakeUnit(4, 1), 1).status(); }).ok());
  auto st = Run([&](Tx& tx) { return tx.UpdateUnit(MakeUnit(4, 1), 1).status(); });
  EXPECT_TRUE(absl::IsAborted(st)) << st;
  EXPECT_EQ(st.message(), "unit 4 was changed by someone else (etag 2, given 1)");
}

TEST_P(RepositoryTest, EmployeesRoundTripAndPageByNip) {
  SeedTree();
  ASSERT_TRUE(Run([&](Tx& tx) -> absl::Status {
                for (int i = 1; i <= 5; ++i) {
                  auto r = tx.InsertEmployee(
                      MakeEmployee("19850312201001100" + std::to_string(i), i % 2 ? 3 : 4));
                  if (!r.ok()) return r.status();
                }
                return absl::OkStatus();
              }).ok());
  auto e = repo_->GetEmployee("198503122010011001");
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ((*e)->competency_tags_size(), 2);
  EXPECT_EQ((*e)->birth_date().day(), 12);
  EXPECT_EQ((*e)->etag(), "1");

  EmployeeQuery q;
  q.agency_code = "73.71";
  q.limit = 2;
  auto page1 = repo_->ListEmployees(q);
  ASSERT_EQ(page1->size(), 2u);
  q.after_nip = page1->back().employee.nip();
  auto page2 = repo_->ListEmployees(q);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_EQ((*page2)[0].employee.nip(), "198503122010011003");
  EXPECT_EQ((*page2)[0].position.job_family(), "general_administration");

  EmployeeQuery sub;
  sub.unit_subtree = 2;  // units 2 and 3: employees 1, 3, 5
  sub.limit = 100;
  EXPECT_EQ(repo_->ListEmployees(sub)->size(), 3u);
}

TEST_P(RepositoryTest, RequestIdReplaysTheStoredResponseWithoutRunningAgain) {
  int runs = 0;
  auto fn = [&](Tx&) -> absl::StatusOr<std::string> {
    ++runs;
    return std::string("first\0bytes", 11);
  };
  const idempotency::Key key{"agency:73.71", "M", "req-1", "fingerprint"};
  auto a = repo_->Write(key, fn);
  auto b = repo_->Write(key, fn);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(runs, 1);
  EXPECT_FALSE(a->replayed);
  EXPECT_TRUE(b->replayed);
  EXPECT_EQ(b->response, std::string("first\0bytes", 11));
}

TEST_P(RepositoryTest, FailedWriteLeavesNothingBehind) {
  SeedTree();
  auto st = Run([&](Tx& tx) -> absl::Status {
    if (auto r = tx.InsertEmployee(MakeEmployee("198503122010011009", 3)); !r.ok())
      return r.status();
    return absl::InternalError("boom");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(repo_->GetEmployee("198503122010011009")->has_value());
  EXPECT_TRUE(repo_->ListPlacements("198503122010011009", 0, 10)->empty());
}

TEST_P(RepositoryTest, PlacementHistoryIsNewestFirst) {
  SeedTree();
  pv1::Employee e = MakeEmployee("198503122010011001", 3);
  ASSERT_TRUE(Run([&](Tx& tx) -> absl::Status {
                auto r = tx.InsertEmployee(e);
                if (!r.ok()) return r.status();
                pv1::TransferMove m;
                m.set_plan_id("plan-1");
                m.set_move_id("m1");
                m.set_to_unit_id(4);
                m.set_to_position_code("P1");
                return tx.ApplyMove(*r, m, "73.71");
              }).ok());
  auto h = repo_->ListPlacements(e.nip(), 0, 10);
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].reason(), pv1::PLACEMENT_REASON_TRANSFER);
  EXPECT_EQ((*h)[0].plan_id(), "plan-1");
  EXPECT_EQ((*h)[1].reason(), pv1::PLACEMENT_REASON_INITIAL);
  EXPECT_EQ((*repo_->GetEmployee(e.nip()))->unit_id(), 4);
}

INSTANTIATE_TEST_SUITE_P(Engines, RepositoryTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace seimbang::personnel
