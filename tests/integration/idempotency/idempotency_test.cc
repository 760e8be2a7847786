// common/idempotency, the one idempotent replay of the three services, on SQLite and MariaDB
// against each service's own idempotency_records table (its real migrations).
#include "common/idempotency/idempotency.h"

#include <atomic>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/errors/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "tests/support/test_db.h"

namespace seimbang {
namespace personnel {
std::vector<db::Migration> Migrations(db::Dialect dialect);
}
namespace workload {
std::vector<db::Migration> Migrations(db::Dialect dialect);
}
namespace transfer {
std::vector<db::Migration> Migrations(db::Dialect dialect);
}

namespace idempotency {
namespace {

namespace pv1 = ::seimbang::personnel::v1;
using ::testing::HasSubstr;

constexpr char kCreateUnit[] = "/seimbang.personnel.v1.PersonnelService/CreateUnit";
constexpr char kUpdateUnit[] = "/seimbang.personnel.v1.PersonnelService/UpdateUnit";

auth::Caller CallerOf(auth::Role role, std::string agency, std::string subject,
                      std::string nip = "") {
  auth::Caller c;
  c.claims.role = role;
  c.claims.agency = std::move(agency);
  c.claims.subject = std::move(subject);
  c.claims.nip = std::move(nip);
  return c;
}

pv1::CreateUnitRequest UnitRequest(const std::string& agency, const std::string& name,
                                   const std::string& request_id) {
  pv1::CreateUnitRequest r;
  r.mutable_unit()->set_agency_code(agency);
  r.mutable_unit()->set_name(name);
  r.set_request_id(request_id);
  return r;
}

Key KeyOf(const auth::Caller& caller, const std::string& method,
          const google::protobuf::Message& request) {
  absl::StatusOr<Key> key = KeyFor(caller, method, request);
  EXPECT_TRUE(key.ok()) << key.status();
  return key.ok() ? *key : Key{};
}

// ------------------------------------------------------------------ keys, no database

// Issue 15 item 2: the scope is the agency for agency roles, so 73.72 never shares 73.71's keys.
TEST(ScopeOf, AgencyRolesShareTheirAgencyAndNothingElse) {
  const std::string a = ScopeOf(CallerOf(auth::Role::kOperator, "73.71", "op-a"));
  EXPECT_EQ(a, "agency:73.71");
  EXPECT_EQ(ScopeOf(CallerOf(auth::Role::kOperator, "73.71", "op-b")), a);
  EXPECT_EQ(ScopeOf(CallerOf(auth::Role::kApprover, "73.71", "ap")), a);
  EXPECT_NE(ScopeOf(CallerOf(auth::Role::kOperator, "73.72", "op-a")), a);
}

// Issue 15 item 2: an employee's key is their own (agency and NIP), not their agency's.
TEST(ScopeOf, EmployeesHaveTheirOwnScope) {
  const std::string e1 =
      ScopeOf(CallerOf(auth::Role::kEmployee, "73.72", "e1", "199001012015011001"));
  const std::string e2 =
      ScopeOf(CallerOf(auth::Role::kEmployee, "73.72", "e2", "199001012015011002"));
  EXPECT_EQ(e1, "employee:73.72:199001012015011001");
  EXPECT_NE(e1, e2);
  EXPECT_NE(e1, ScopeOf(CallerOf(auth::Role::kOperator, "73.72", "op")));
}

// Issue 15 item 2: global roles (admin, service) are scoped to their own subject.
TEST(ScopeOf, GlobalRolesAreScopedToTheirSubject) {
  EXPECT_EQ(ScopeOf(CallerOf(auth::Role::kAdmin, "", "root")), "admin:root");
  EXPECT_EQ(ScopeOf(CallerOf(auth::Role::kService, "", "workload")), "service:workload");
  EXPECT_NE(ScopeOf(CallerOf(auth::Role::kAdmin, "", "root")),
            ScopeOf(CallerOf(auth::Role::kAdmin, "", "other")));
  const std::string long_scope = ScopeOf(CallerOf(auth::Role::kAdmin, "", std::string(400, 'x')));
  EXPECT_LE(long_scope.size(), 255u);
  EXPECT_THAT(long_scope, HasSubstr("sha256:"));
  EXPECT_NE(long_scope, ScopeOf(CallerOf(auth::Role::kAdmin, "", std::string(401, 'x'))));
}

// Issue 15 item 2: the fingerprint is the request body, whatever its request_id.
TEST(Fingerprint, IgnoresTheRequestIdAndSeesEveryOtherField) {
  const std::string a = FingerprintOf(UnitRequest("73.71", "Dinas A", "id-1"));
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(FingerprintOf(UnitRequest("73.71", "Dinas A", "id-2")), a);
  EXPECT_EQ(FingerprintOf(UnitRequest("73.71", "Dinas A", "")), a);
  EXPECT_NE(FingerprintOf(UnitRequest("73.71", "Dinas B", "id-1")), a);
  EXPECT_NE(FingerprintOf(UnitRequest("73.72", "Dinas A", "id-1")), a);
  // Another message type with the same bytes is another request.
  pv1::UpdateUnitRequest update;
  *update.mutable_unit() = UnitRequest("73.71", "Dinas A", "").unit();
  EXPECT_NE(FingerprintOf(update), a);
}

TEST(Fingerprint, AStreamIsItsMessagesInOrder) {
  Fingerprint ab;
  ab.Add(UnitRequest("73.71", "A", "x"));
  ab.Add(UnitRequest("73.71", "B", ""));
  Fingerprint ba;
  ba.Add(UnitRequest("73.71", "B", ""));
  ba.Add(UnitRequest("73.71", "A", ""));
  Fingerprint ab_again;
  ab_again.Add(UnitRequest("73.71", "A", ""));
  ab_again.Add(UnitRequest("73.71", "B", "y"));
  const std::string first = ab.Finish();
  EXPECT_NE(first, ba.Finish());
  EXPECT_EQ(first, ab_again.Finish());
}

// Issue 15 item 2: a request_id is bounded so it fits the key column.
TEST(KeyFor, RejectsARequestIdLongerThan128Bytes) {
  const auth::Caller op = CallerOf(auth::Role::kOperator, "73.71", "op");
  EXPECT_TRUE(KeyFor(op, kCreateUnit, UnitRequest("73.71", "A", std::string(128, 'r'))).ok());
  absl::StatusOr<Key> key =
      KeyFor(op, kCreateUnit, UnitRequest("73.71", "A", std::string(129, 'r')));
  ASSERT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(key.status().message(), HasSubstr("request_id: at most 128 bytes, got 129"));
  absl::StatusOr<Key> streamed =
      MakeKey(op, kCreateUnit, std::string(200, 'r'), "f", "options.request_id");
  EXPECT_THAT(streamed.status().message(), HasSubstr("options.request_id: at most 128 bytes"));
}

TEST(KeyFor, NoRequestIdMeansNoIdempotency) {
  const Key key = KeyOf(CallerOf(auth::Role::kOperator, "73.71", "op"), kCreateUnit,
                        UnitRequest("73.71", "A", ""));
  EXPECT_FALSE(key.enabled());
}

// ------------------------------------------------------------------ storage, both engines

enum class Engine { kSqlite, kMariaDb };
enum class Schema { kPersonnel, kWorkload, kTransfer };

std::vector<db::Migration> MigrationsOf(Schema s, db::Dialect d) {
  switch (s) {
    case Schema::kPersonnel:
      return personnel::Migrations(d);
    case Schema::kWorkload:
      return workload::Migrations(d);
    case Schema::kTransfer:
      return transfer::Migrations(d);
  }
  return {};
}

class StoreTest : public ::testing::TestWithParam<std::tuple<Engine, Schema>> {
 protected:
  void SetUp() override {
    const auto [engine, schema] = GetParam();
    absl::StatusOr<std::string> dsn =
        engine == Engine::kSqlite ? absl::StatusOr<std::string>(testsupport::FreshSqliteDsn())
                                  : testsupport::FreshMariaDbDsn("idem");
    ASSERT_TRUE(dsn.ok()) << dsn.status();
    db::PoolOptions options;
    options.max_connections = 4;
    auto pool = db::Pool::Open(*dsn, options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    const char* names[] = {"personnel", "workload", "transfer"};
    absl::Status migrated = db::Migrate(*pool_, names[static_cast<int>(schema)],
                                        MigrationsOf(schema, pool_->dialect()));
    ASSERT_TRUE(migrated.ok()) << migrated;
  }

  // A mutation that counts its runs and answers with the request's unit name and the run.
  absl::StatusOr<Result> Create(const Key& key, const std::string& answer) {
    return idempotency::Run(*pool_, key, [&](db::Connection&) -> absl::StatusOr<std::string> {
      ++runs_;
      return absl::StrCat(answer, "#", runs_.load());
    });
  }

  int64_t Rows() {
    auto c = pool_->Acquire();
    EXPECT_TRUE(c.ok());
    auto row = (*c)->QueryOne("SELECT COUNT(*) FROM idempotency_records");
    EXPECT_TRUE(row.ok()) << row.status();
    return row.ok() && *row ? (*row)->GetInt(0) : -1;
  }

  std::unique_ptr<db::Pool> pool_;
  std::atomic<int> runs_{0};
  const auth::Caller op71_ = CallerOf(auth::Role::kOperator, "73.71", "op71");
  const auth::Caller op72_ = CallerOf(auth::Role::kOperator, "73.72", "op72");
};

// Issue 15 item 2: the same caller, method, id and body gets the stored response, once stored.
TEST_P(StoreTest, TheSameRequestReplaysTheStoredResponse) {
  const Key key = KeyOf(op71_, kCreateUnit, UnitRequest("73.71", "Dinas A", "r-1"));
  auto first = Create(key, "unit-71");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->replayed);
  auto again = Create(key, "unit-71");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->response, first->response);
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(Rows(), 1);
}

// Issue 15 item 2: the same id with another body is the caller's error, not a replay.
TEST_P(StoreTest, TheSameIdWithAnotherBodyIsInvalidArgument) {
  ASSERT_TRUE(Create(KeyOf(op71_, kCreateUnit, UnitRequest("73.71", "Dinas A", "r-1")), "a").ok());
  auto other = Create(KeyOf(op71_, kCreateUnit, UnitRequest("73.71", "Dinas B", "r-1")), "b");
  ASSERT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(other.status().message(), kReusedMessage);
  ASSERT_EQ(errors::FieldViolationsOf(other.status()).size(), 1u);
  EXPECT_EQ(errors::FieldViolationsOf(other.status())[0].field, "request_id");
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(Rows(), 1);
}

// Issue 15 item 2: another agency reusing the id runs its own mutation and never sees the
// stored response of the first.
TEST_P(StoreTest, AnotherAgencyReusingTheIdRunsItsOwnRequest) {
  auto a = Create(KeyOf(op71_, kCreateUnit, UnitRequest("73.71", "Dinas A", "shared")), "unit-71");
  ASSERT_TRUE(a.ok()) << a.status();
  // Even with a byte-identical body the other scope is another key.
  auto b = Create(KeyOf(op72_, kCreateUnit, UnitRequest("73.71", "Dinas A", "shared")), "unit-72");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_FALSE(b->replayed);
  EXPECT_EQ(b->response, "unit-72#2");
  auto c = Create(KeyOf(op72_, kCreateUnit, UnitRequest("73.72", "Dinas B", "shared")), "x");
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);  // 73.72's own key now
  EXPECT_EQ(runs_, 2);
  EXPECT_EQ(Rows(), 2);
}

// Issue 15 item 2: the same id on another method is another key.
TEST_P(StoreTest, AnotherMethodReusingTheIdRunsItsOwnRequest) {
  pv1::CreateUnitRequest create = UnitRequest("73.71", "A", "same");
  pv1::UpdateUnitRequest update;
  *update.mutable_unit() = create.unit();
  update.set_request_id("same");
  ASSERT_TRUE(Create(KeyOf(op71_, kCreateUnit, create), "created").ok());
  auto u = Create(KeyOf(op71_, kUpdateUnit, update), "updated");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_FALSE(u->replayed);
  EXPECT_EQ(u->response, "updated#2");
}

// Issue 15 item 2: one employee's id reused by another employee does not replay.
TEST_P(StoreTest, AnotherEmployeeReusingTheIdRunsTheirOwnRequest) {
  const auth::Caller e1 = CallerOf(auth::Role::kEmployee, "73.72", "e1", "199001012015011001");
  const auth::Caller e2 = CallerOf(auth::Role::kEmployee, "73.72", "e2", "199001012015011002");
  ASSERT_TRUE(Create(KeyOf(e1, kCreateUnit, UnitRequest("73.72", "A", "pref")), "e1").ok());
  auto second = Create(KeyOf(e2, kCreateUnit, UnitRequest("73.72", "A", "pref")), "e2");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->replayed);
  EXPECT_EQ(second->response, "e2#2");
}

TEST_P(StoreTest, WithoutARequestIdEveryCallRunsAndNothingIsStored) {
  const Key key = KeyOf(op71_, kCreateUnit, UnitRequest("73.71", "A", ""));
  ASSERT_TRUE(Create(key, "a").ok());
  ASSERT_TRUE(Create(key, "a").ok());
  EXPECT_EQ(runs_, 2);
  EXPECT_EQ(Rows(), 0);
}

// A failed mutation stores nothing: its retry runs again.
TEST_P(StoreTest, AFailedMutationIsNotStored) {
  const Key key = KeyOf(op71_, kCreateUnit, UnitRequest("73.71", "A", "r-fail"));
  auto failed = idempotency::Run(*pool_, key, [](db::Connection&) -> absl::StatusOr<std::string> {
    return absl::FailedPreconditionError("not yet");
  });
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Rows(), 0);
  auto ok = Create(key, "a");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_FALSE(ok->replayed);
}

// The message form: a replay parses the stored response into the caller's message.
TEST_P(StoreTest, MessagesRoundTrip) {
  const Key key = KeyOf(op71_, kCreateUnit, UnitRequest("73.71", "A", "r-msg"));
  pv1::CreateUnitResponse first;
  bool replayed = true;
  ASSERT_TRUE(idempotency::Run(
                  *pool_, key, first,
                  [&](db::Connection&) {
                    first.mutable_unit()->set_id(42);
                    first.mutable_unit()->set_name(std::string("bytes\0here", 10));
                    return absl::OkStatus();
                  },
                  &replayed)
                  .ok());
  EXPECT_FALSE(replayed);
  pv1::CreateUnitResponse second;
  ASSERT_TRUE(idempotency::Run(
                  *pool_, key, second,
                  [&](db::Connection&) {
                    second.mutable_unit()->set_id(43);
                    return absl::OkStatus();
                  },
                  &replayed)
                  .ok());
  EXPECT_TRUE(replayed);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
}

std::string StoreName(const ::testing::TestParamInfo<std::tuple<Engine, Schema>>& info) {
  const char* engine = std::get<0>(info.param) == Engine::kSqlite ? "Sqlite" : "MariaDb";
  const char* schemas[] = {"Personnel", "Workload", "Transfer"};
  return absl::StrCat(engine, schemas[static_cast<int>(std::get<1>(info.param))]);
}

INSTANTIATE_TEST_SUITE_P(AllEnginesAllServices, StoreTest,
                         ::testing::Combine(::testing::Values(Engine::kSqlite, Engine::kMariaDb),
                                            ::testing::Values(Schema::kPersonnel, Schema::kWorkload,
                                                              Schema::kTransfer)),
                         StoreName);

// ------------------------------------------------------------------ concurrent twins (MariaDB)

// SQLite serialises writers from BEGIN IMMEDIATE, so two transactions never both miss the
// lookup there; on MariaDB they can. These run on MariaDB only.
class ConcurrentTest : public StoreTest {};

// Issue 16 / issue 15 item 2: a twin that commits between our lookup and our insert wins; our
// insert hits the key, the whole transaction reruns once and replays the twin's response.
TEST_P(ConcurrentTest, ALateDuplicateGetsTheWinnersResponse) {
  const Key key = KeyOf(op71_, kCreateUnit, UnitRequest("73.71", "A", "race"));
  int attempts = 0;
  auto late = idempotency::Run(*pool_, key, [&](db::Connection&) -> absl::StatusOr<std::string> {
    ++attempts;
    // The twin runs to its commit on another connection while we are inside our transaction.
    auto twin = Create(key, "twin");
    if (!twin.ok()) return twin.status();
    return std::string("late");
  });
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_TRUE(late->replayed);
  EXPECT_EQ(late->response, "twin#1");
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(Rows(), 1);
}

TEST_P(ConcurrentTest, ParallelDuplicatesAllGetOneResponse) {
  const Key key = KeyOf(op71_, kCreateUnit, UnitRequest("73.71", "A", "parallel"));
  std::vector<std::thread> threads;
  std::vector<absl::StatusOr<Result>> results(4, absl::UnknownError("not run"));
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { results[i] = Create(key, "p"); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->response, results[0]->response);
  }
  EXPECT_EQ(Rows(), 1);
}

INSTANTIATE_TEST_SUITE_P(MariaDb, ConcurrentTest,
                         ::testing::Combine(::testing::Values(Engine::kMariaDb),
                                            ::testing::Values(Schema::kPersonnel, Schema::kWorkload,
                                                              Schema::kTransfer)),
                         StoreName);

}  // namespace
}  // namespace idempotency
}  // namespace seimbang
