// The transfer repository on both engines: what is stored comes back, paging
// is keyset and bound to its query, optimistic versions hold (idempotency keys
// are common/idempotency's: tests/integration/idempotency).
#include "services/transfer/repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "services/transfer/migrations.h"
#include "tests/support/test_db.h"

namespace seimbang::transfer {
namespace {

// The method and caller part of a page token's query, as the service passes it.
paging::PageQuery Q(const std::string& subject = "repository-test") {
  paging::PageQuery q("/test/List");
  q.Scope("admin", "", "", subject);
  return q;
}

class RepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto pool = testsupport::FreshMigratedPool(GetParam(), "transfer_repo", "transfer", Migrations);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    auto conn = pool_->Acquire();
    ASSERT_TRUE(conn.ok()) << conn.status();
    conn_ = std::make_unique<db::PooledConnection>(*std::move(conn));
  }
  void TearDown() override {
    conn_.reset();
    pool_.reset();
  }
  db::Connection& c() { return conn_->get(); }

  PlanRecord Plan(const std::string& id, const std::string& agency, int64_t time_ms) {
    PlanRecord p;
    p.version = 1;
    p.summary.set_id(id);
    p.summary.set_agency_code(agency);
    p.summary.set_state(tpb::PLAN_STATE_DRAFT);
    p.summary.set_revision(1);
    p.summary.set_create_time_ms(time_ms);
    p.summary.mutable_effective_date()->set_year(2026);
    p.summary.mutable_effective_date()->set_month(1);
    p.summary.mutable_effective_date()->set_day(1);
    p.summary.set_label("label " + id);
    return p;
  }

  tpb::ExplainMoveResponse Move(const std::string& id, int64_t from, int64_t to,
                                const std::string& family, double importance) {
    tpb::ExplainMoveResponse e;
    auto* m = e.mutable_move();
    m->set_id(id);
    m->set_nip("1990010120150110" + id.substr(id.size() - 2));
    m->set_from_unit_id(from);
    m->set_to_unit_id(to);
    m->set_job_family(family);
    m->set_importance(importance);
    e.set_sentence("kalimat " + id);
    return e;
  }

  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<db::PooledConnection> conn_;
};

TEST_P(RepositoryTest, PolicyVersionsAreKeptAndLatestIsDefault) {
  tpb::Policy p;
  p.set_id("pol1");
  p.set_agency_code("73.71");
  p.set_name("first");
  p.set_version(1);
  ASSERT_TRUE(Repository::InsertPolicy(c(), p).ok());
  p.set_name("second");
  p.set_version(2);
  ASSERT_TRUE(Repository::InsertPolicy(c(), p).ok());

  auto latest = Repository::GetPolicy(c(), "pol1", 0);
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(latest->name(), "second");
  auto first = Repository::GetPolicy(c(), "pol1", 1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->name(), "first");
  EXPECT_EQ(Repository::GetPolicy(c(), "pol1", 9).status().message(),
            "policy pol1 has no version 9");
  EXPECT_EQ(Repository::GetPolicy(c(), "nope", 0).status().message(), "policy nope not found");
  auto list = Repository::ListPolicies(c(), "73.71", 10, "", Q());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].version(), 2);
}

TEST_P(RepositoryTest, SecondVersionWithSameNumberIsAlreadyExists) {
  tpb::Policy p;
  p.set_id("pol1");
  p.set_version(1);
  ASSERT_TRUE(Repository::InsertPolicy(c(), p).ok());
  EXPECT_EQ(Repository::InsertPolicy(c(), p).code(), absl::StatusCode::kAlreadyExists);
}

TEST_P(RepositoryTest, PlansListNewestFirstAcrossPages) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Repository::InsertPlan(c(), Plan("p" + std::to_string(i), "73.71", 1000 + i)).ok());
  }
  ASSERT_TRUE(Repository::InsertPlan(c(), Plan("q", "73.72", 5000)).ok());
  std::vector<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    auto page = Repository::ListPlans(c(), "73.71", tpb::PLAN_STATE_UNSPECIFIED, 2, token, Q());
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& p : page->items) ids.push_back(p.id());
    token = page->next_page_token;
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(ids, (std::vector<std::string>{"p4", "p3", "p2", "p1", "p0"}));
  EXPECT_EQ(pages, 3);
}

TEST_P(RepositoryTest, TokenFromAnotherQueryIsRefused) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Repository::InsertPlan(c(), Plan("p" + std::to_string(i), "73.71", i)).ok());
  }
  auto page = Repository::ListPlans(c(), "73.71", tpb::PLAN_STATE_UNSPECIFIED, 1, "", Q());
  ASSERT_TRUE(page.ok());
  auto other = Repository::ListPlans(c(), "73.72", tpb::PLAN_STATE_UNSPECIFIED, 1,
                                     page->next_page_token, Q());
  EXPECT_TRUE(absl::IsInvalidArgument(other.status())) << other.status();
  EXPECT_THAT(std::string(other.status().message()), ::testing::HasSubstr("page.page_token"));
  // Another caller (the scope the service adds) is another query too.
  auto other_caller = Repository::ListPlans(c(), "73.71", tpb::PLAN_STATE_UNSPECIFIED, 1,
                                            page->next_page_token, Q("someone-else"));
  EXPECT_TRUE(absl::IsInvalidArgument(other_caller.status())) << other_caller.status();
}

TEST_P(RepositoryTest, StalePlanVersionIsAborted) {
  ASSERT_TRUE(Repository::InsertPlan(c(), Plan("p1", "73.71", 1)).ok());
  auto rec = Repository::GetPlan(c(), "p1");
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->summary.etag(), "1");
  rec->summary.set_state(tpb::PLAN_STATE_SUBMITTED);
  auto updated = Repository::UpdatePlan(c(), *rec, 1);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version, 2);
  auto again = Repository::UpdatePlan(c(), *rec, 1);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(again.status().message(), "plan p1 was changed by someone else; reload it");
  auto stored = Repository::GetPlan(c(), "p1");
  EXPECT_EQ(stored->summary.state(), tpb::PLAN_STATE_SUBMITTED);
  EXPECT_EQ(stored->summary.etag(), "2");
}

TEST_P(RepositoryTest, MovesFilterByUnitAndFamilyAndOrderByImportance) {
  std::vector<tpb::ExplainMoveResponse> moves = {
      Move("m000001", 1, 2, "health", 10), Move("m000002", 3, 1, "health", 30),
      Move("m000003", 4, 5, "finance", 20), Move("m000004", 1, 5, "finance", 30)};
  ASSERT_TRUE(Repository::InsertMoves(c(), "p1", moves).ok());

  auto by_unit = Repository::ListMoves(c(), "p1", {1, "", false}, 10, "", Q());
  ASSERT_TRUE(by_unit.ok());
  ASSERT_EQ(by_unit->items.size(), 3u);
  auto by_family = Repository::ListMoves(c(), "p1", {0, "finance", false}, 10, "", Q());
  ASSERT_EQ(by_family->items.size(), 2u);

  std::vector<std::string> order;
  std::string token;
  do {
    auto page = Repository::ListMoves(c(), "p1", {0, "", true}, 1, token, Q());
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& m : page->items) order.push_back(m.id());
    token = page->next_page_token;
  } while (!token.empty());
  EXPECT_EQ(order, (std::vector<std::string>{"m000002", "m000004", "m000003", "m000001"}));

  auto explained = Repository::GetMove(c(), "p1", "m000003");
  ASSERT_TRUE(explained.ok());
  EXPECT_EQ(explained->sentence(), "kalimat m000003");
  EXPECT_EQ(Repository::GetMove(c(), "p1", "m9").status().message(),
            "move m9 not found in plan p1");
}

TEST_P(RepositoryTest, MoveOutcomesAreCountedAndPendingShrinks) {
  std::vector<tpb::ExplainMoveResponse> moves;
  for (int i = 1; i <= 5; ++i) moves.push_back(Move("m00000" + std::to_string(i), 1, 2, "x", i));
  ASSERT_TRUE(Repository::InsertMoves(c(), "p1", moves).ok());
  auto pending = Repository::PendingMoves(c(), "p1", 2);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  std::vector<tpb::MoveExecution> outcomes(2);
  outcomes[0].set_move_id("m000001");
  outcomes[0].set_state(tpb::MOVE_EXECUTION_STATE_APPLIED);
  outcomes[1].set_move_id("m000002");
  outcomes[1].set_state(tpb::MOVE_EXECUTION_STATE_STALE);
  outcomes[1].set_detail("moved already");
  ASSERT_TRUE(Repository::SetMoveOutcomes(c(), "p1", outcomes).ok());
  auto counts = Repository::CountMoveStates(c(), "p1");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->total, 5);
  EXPECT_EQ(counts->applied, 1);
  EXPECT_EQ(counts->stale, 1);
  EXPECT_EQ(counts->pending, 3);
  auto next = Repository::PendingMoves(c(), "p1", 10);
  ASSERT_EQ(next->size(), 3u);
  EXPECT_EQ((*next)[0].id(), "m000003");
  auto page = Repository::ListMoveExecutions(c(), "p1", 2, "", Q());
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items[1].detail(), "moved already");
  EXPECT_FALSE(page->next_page_token.empty());
}

TEST_P(RepositoryTest, ObjectionsAndExecutionsRoundTrip) {
  ObjectionRecord o;
  o.agency_code = "73.71";
  o.objection.set_id("o1");
  o.objection.set_plan_id("p1");
  o.objection.set_move_id("m000001");
  o.objection.set_state(tpb::OBJECTION_STATE_OPEN);
  o.objection.set_reason("keluarga");
  ASSERT_TRUE(Repository::InsertObjection(c(), o).ok());
  o.objection.set_state(tpb::OBJECTION_STATE_ACCEPTED);
  o.objection.set_resolved_by("approver");
  ASSERT_TRUE(Repository::UpdateObjection(c(), o.objection).ok());
  auto got = Repository::GetObjection(c(), "o1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->objection.state(), tpb::OBJECTION_STATE_ACCEPTED);
  EXPECT_EQ(got->agency_code, "73.71");
  auto accepted = Repository::ListObjections(c(), "p1", tpb::OBJECTION_STATE_ACCEPTED, 10, "", Q());
  ASSERT_EQ(accepted->items.size(), 1u);
  auto open = Repository::ListObjections(c(), "p1", tpb::OBJECTION_STATE_OPEN, 10, "", Q());
  EXPECT_TRUE(open->items.empty());

  ExecutionRecord e{"p1", "73.71", 5, 0, 0, ""};
  ASSERT_TRUE(Repository::InsertExecution(c(), e).ok());
  e.batches_done = 3;
  e.last_error = "personnel unavailable";
  ASSERT_TRUE(Repository::UpdateExecution(c(), e).ok());
  auto stored = Repository::GetExecution(c(), "p1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->batches_done, 3);
  EXPECT_EQ((*stored)->last_error, "personnel unavailable");
}

TEST_P(RepositoryTest, AuditRowsPageByMethod) {
  for (int i = 0; i < 3; ++i) {
    cpb::AuditEvent e;
    e.set_method(i == 1 ? "/b" : "/a");
    e.set_resource("r" + std::to_string(i));
    ASSERT_TRUE(Repository::InsertAudit(c(), e).ok());
  }
  auto page = Repository::ListAudit(c(), "/a", 1, "", Q());
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  auto next = Repository::ListAudit(c(), "/a", 1, page->next_page_token, Q());
  ASSERT_EQ(next->items.size(), 1u);
  EXPECT_EQ(next->items[0].resource(), "r2");
  EXPECT_TRUE(next->next_page_token.empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, RepositoryTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace seimbang::transfer
