#include "common/db/pool.h"

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace seimbang::db {
namespace {

using ::testing::HasSubstr;

// What the fake connections report back to the test; lives as long as the test.
struct World {
  int created = 0;
  int destroyed = 0;
  int pings = 0;
  bool ping_ok = true;
  bool connect_ok = true;
  int commits = 0;
  int rollbacks = 0;
};

class FakeConnection : public Connection {
 public:
  FakeConnection(World* world, int id) : world_(world), id_(id) {}
  ~FakeConnection() override { ++world_->destroyed; }
  int id() const { return id_; }
  Dialect dialect() const override { return Dialect::kSqlite; }
  absl::StatusOr<ResultSet> Query(std::string_view, const Params&) override { return ResultSet{}; }
  absl::StatusOr<int64_t> Execute(std::string_view, const Params&) override { return 1; }
  absl::StatusOr<int64_t> LastInsertId() override { return id_; }
  absl::Status Begin() override {
    in_transaction_ = true;
    return absl::OkStatus();
  }
  absl::Status Commit() override {
    in_transaction_ = false;
    ++world_->commits;
    return absl::OkStatus();
  }
  absl::Status Rollback() override {
    in_transaction_ = false;
    ++world_->rollbacks;
    return absl::OkStatus();
  }
  absl::Status Ping() override {
    ++world_->pings;
    return world_->ping_ok ? absl::OkStatus() : absl::UnavailableError("gone");
  }

 private:
  World* world_;
  int id_;
};

std::unique_ptr<Pool> MakePool(World* world, int max, absl::Duration timeout = absl::Seconds(1),
                               absl::Duration validate_after = absl::Seconds(1)) {
  PoolOptions options;
  options.max_connections = max;
  options.checkout_timeout = timeout;
  options.validate_after_idle = validate_after;
  return Pool::Create(
      Dialect::kSqlite,
      [world]() -> absl::StatusOr<std::unique_ptr<Connection>> {
        if (!world->connect_ok) return absl::UnavailableError("cannot connect: refused");
        return std::make_unique<FakeConnection>(world, ++world->created);
      },
      options);
}

int IdOf(const PooledConnection& c) { return static_cast<FakeConnection&>(*c).id(); }

TEST(Pool, ReturnedConnectionIsReusedNotRecreated) {
  World world;
  auto pool = MakePool(&world, 2);
  int first;
  {
    auto c = pool->Acquire();
    ASSERT_TRUE(c.ok());
    first = IdOf(*c);
  }
  auto again = pool->Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(IdOf(*again), first);
  EXPECT_EQ(world.created, 1);
  EXPECT_EQ(pool->Stats().connections_created_total, 1);
}

TEST(Pool, CheckoutTimesOutWithDeadlineExceededWhenAllConnectionsAreInUse) {
  World world;
  auto pool = MakePool(&world, 1, absl::Milliseconds(50));
  auto held = pool->Acquire();
  ASSERT_TRUE(held.ok());
  auto second = pool->Acquire();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(second.status().message(),
            "no database connection became free within 50ms (all 1 in use)");
  PoolStats stats = pool->Stats();
  EXPECT_EQ(stats.waits_total, 1);
  EXPECT_EQ(stats.wait_timeouts_total, 1);
  EXPECT_EQ(stats.in_use, 1);
}

TEST(Pool, TryAcquireGivesAFreeConnectionAndRefusesAtOnceWhenNoneIsFree) {
  World world;
  auto pool = MakePool(&world, 2, absl::Seconds(30));
  auto first = pool->Acquire();
  auto second = pool->TryAcquire();
  ASSERT_TRUE(first.ok() && second.ok()) << second.status();
  EXPECT_NE(IdOf(*first), IdOf(*second));
  const absl::Time start = absl::Now();
  auto third = pool->TryAcquire();
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));  // not checkout_timeout's 30 s
  EXPECT_EQ(pool->Stats().waits_total, 0);
  EXPECT_EQ(pool->Stats().in_use, 2);
}

TEST(Pool, AWaiterGetsTheConnectionReleasedByAnotherThread) {
  World world;
  auto pool = MakePool(&world, 1, absl::Seconds(5));
  auto held = std::make_unique<absl::StatusOr<PooledConnection>>(pool->Acquire());
  ASSERT_TRUE(held->ok());
  std::thread releaser([&] {
    absl::SleepFor(absl::Milliseconds(50));
    held.reset();
  });
  auto waited = pool->Acquire();
  releaser.join();
  ASSERT_TRUE(waited.ok()) << waited.status();
  EXPECT_EQ(pool->Stats().waits_total, 1);
  EXPECT_EQ(pool->Stats().wait_timeouts_total, 0);
}

TEST(Pool, BrokenConnectionIsDestroyedAndRebuiltNeverReused) {
  World world;
  auto pool = MakePool(&world, 1);
  {
    auto c = pool->Acquire();
    ASSERT_TRUE(c.ok());
    (*c)->MarkBroken();
  }
  EXPECT_EQ(world.destroyed, 1);
  EXPECT_EQ(pool->Stats().idle, 0);
  auto next = pool->Acquire();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(IdOf(*next), 2);
  EXPECT_EQ(pool->Stats().errors_total, 1);
}

TEST(Pool, ConnectionIdleLongerThanTheThresholdIsPingedAndReplacedWhenDead) {
  World world;
  auto pool = MakePool(&world, 1, absl::Seconds(1), absl::Milliseconds(10));
  { ASSERT_TRUE(pool->Acquire().ok()); }
  absl::SleepFor(absl::Milliseconds(30));
  world.ping_ok = false;
  auto c = pool->Acquire();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(world.pings, 1);
  EXPECT_EQ(IdOf(*c), 2);
  EXPECT_EQ(world.destroyed, 1);
}

TEST(Pool, RecentlyUsedConnectionIsNotPinged) {
  World world;
  auto pool = MakePool(&world, 1, absl::Seconds(1), absl::Seconds(60));
  { ASSERT_TRUE(pool->Acquire().ok()); }
  ASSERT_TRUE(pool->Acquire().ok());
  EXPECT_EQ(world.pings, 0);
}

TEST(Pool, ConnectFailureIsReturnedAndDoesNotLeakASlot) {
  World world;
  world.connect_ok = false;
  auto pool = MakePool(&world, 1, absl::Milliseconds(20));
  auto c = pool->Acquire();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnavailable);
  world.connect_ok = true;
  EXPECT_TRUE(pool->Acquire().ok());
  EXPECT_EQ(pool->Stats().errors_total, 1);
}

TEST(Pool, ConnectionReturnedInsideATransactionIsRolledBack) {
  World world;
  auto pool = MakePool(&world, 1);
  {
    auto c = pool->Acquire();
    ASSERT_TRUE((*c)->Begin().ok());
  }
  EXPECT_EQ(world.rollbacks, 1);
  auto c = pool->Acquire();
  EXPECT_FALSE((*c)->in_transaction());
}

TEST(Pool, HealthyPingsAndReportsAnUnreachableDatabase) {
  World world;
  auto pool = MakePool(&world, 2);
  EXPECT_TRUE(pool->Healthy());
  world.ping_ok = false;
  EXPECT_FALSE(pool->Healthy());
  world.connect_ok = false;
  EXPECT_FALSE(pool->Healthy());
}

TEST(Pool, OpenRejectsABadDsnWithTheParserMessage) {
  auto pool = Pool::Open("postgres://x@y/z");
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().message(), "unknown DSN scheme 'postgres', expected sqlite: or mysql://");
}

TEST(WithTransaction, CommitsWhenTheFunctionSucceeds) {
  World world;
  auto pool = MakePool(&world, 1);
  EXPECT_TRUE(WithTransaction(*pool, [](Connection&) { return absl::OkStatus(); }).ok());
  EXPECT_EQ(world.commits, 1);
  EXPECT_EQ(world.rollbacks, 0);
}

TEST(WithTransaction, RollsBackAndReturnsTheFunctionsError) {
  World world;
  auto pool = MakePool(&world, 1);
  absl::Status s =
      WithTransaction(*pool, [](Connection&) { return absl::NotFoundError("no unit 7"); });
  EXPECT_EQ(s, absl::NotFoundError("no unit 7"));
  EXPECT_EQ(world.commits, 0);
  EXPECT_EQ(world.rollbacks, 1);
}

TEST(WithTransaction, RetriesTheWholeFunctionOnEngineAborts) {
  World world;
  auto pool = MakePool(&world, 1);
  int calls = 0;
  absl::Status s = WithTransaction(*pool, [&](Connection&) {
    return ++calls < 3 ? RetryableAbortedError("deadlock") : absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(world.commits, 1);
}

TEST(WithTransaction, GivesUpAfterMaxAttemptsWithTheLastAbort) {
  World world;
  auto pool = MakePool(&world, 1);
  int calls = 0;
  absl::Status s = WithTransaction(
      *pool, [&](Connection&) { return ++calls, RetryableAbortedError("deadlock"); }, 2);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(s.message(), "deadlock");
  EXPECT_EQ(calls, 2);
}

TEST(WithTransaction, DoesNotRetryAnApplicationAbortSuchAsAStaleEtag) {
  World world;
  auto pool = MakePool(&world, 1);
  int calls = 0;
  absl::Status s = WithTransaction(*pool, [&](Connection&) {
    ++calls;
    return absl::AbortedError("stale etag");
  });
  EXPECT_EQ(s, absl::AbortedError("stale etag"));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace seimbang::db
