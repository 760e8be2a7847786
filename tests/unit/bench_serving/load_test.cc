#include "bench/serving/load.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "bench/serving/fixture.h"
#include "common/db/pool.h"
#include "tests/support/http.h"
#include "tests/support/test_db.h"

namespace seimbang::bench {
namespace {

TEST(Percentiles, AreNearestRanksInMicroseconds) {
  std::vector<int64_t> ns;
  for (int i = 100; i >= 1; --i) ns.push_back(i * 1000);  // 1..100 us, unsorted
  Percentiles p = ComputePercentiles(ns);
  EXPECT_DOUBLE_EQ(p.p50_us, 50);
  EXPECT_DOUBLE_EQ(p.p90_us, 90);
  EXPECT_DOUBLE_EQ(p.p99_us, 99);
}

TEST(Percentiles, OfASingleCallAreThatCall) {
  Percentiles p = ComputePercentiles({7000});
  EXPECT_DOUBLE_EQ(p.p50_us, 7);
  EXPECT_DOUBLE_EQ(p.p99_us, 7);
}

TEST(Percentiles, OfNoCallsAreZero) {
  Percentiles p = ComputePercentiles({});
  EXPECT_DOUBLE_EQ(p.p50_us, 0);
  EXPECT_DOUBLE_EQ(p.p99_us, 0);
}

TEST(Percentiles, OfValuesAreTheirNearestRanksAndAnOddCountsMiddleIsItsMedian) {
  EXPECT_DOUBLE_EQ(Percentile({148.2, 71.4, 160.0, 90.5, 120.0}, 0.5), 120.0);
  EXPECT_DOUBLE_EQ(Percentile({3, 1, 2, 4}, 0.5), 2);  // the smallest with half at or below
  EXPECT_DOUBLE_EQ(Percentile({3, 1, 2, 4}, 0.9), 4);
  EXPECT_DOUBLE_EQ(Percentile({3, 1, 2, 4}, 0.0), 1);
  EXPECT_DOUBLE_EQ(Percentile({}, 0.5), 0);
}

// serving_bench reads a service's "startup" line and plan_bench its "plan_created" line this way.
TEST(MsFields, AreTheMillisecondFieldsOfALogLineInTheirOrder) {
  const std::string line =
      R"({"level":"info","event":"startup","service":"personnel","config_ms":4.9,)"
      R"("migrations_ms":106.2,"migrations_applied":5,"total_ms":126})";
  std::vector<std::pair<std::string, double>> f = MsFields(line);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0], (std::pair<std::string, double>{"config_ms", 4.9}));
  EXPECT_EQ(f[1], (std::pair<std::string, double>{"migrations_ms", 106.2}));
  EXPECT_EQ(f[2], (std::pair<std::string, double>{"total_ms", 126}));
  EXPECT_TRUE(MsFields(R"({"event":"rpc","code":"OK"})").empty());
}

// serving_bench gives each service a port of its own and polls it until it accepts.
TEST(LoopbackPorts, AFreePortRefusesUntilSomethingListensOnIt) {
  const int port = testsupport::FreeLoopbackPort();
  ASSERT_GT(port, 0);
  EXPECT_EQ(testsupport::ConnectLoopback(port), -1);
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  const int fd = testsupport::ConnectLoopback(port);
  EXPECT_GE(fd, 0);
  if (fd >= 0) close(fd);
  close(listener);
}

TEST(LoadResult, MergeAddsCallsAndWindowsAndKeepsTheFirstError) {
  LoadResult a;
  a.ok = 10;
  a.seconds = 1;
  a.latency_ns = {1, 2};
  LoadResult b;
  b.ok = 30;
  b.failed = 2;
  b.first_error = "INTERNAL: boom";
  b.seconds = 1;
  b.latency_ns = {3};
  LoadResult c;
  c.failed = 1;
  c.first_error = "later";
  a.Merge(b);
  a.Merge(c);
  EXPECT_EQ(a.ok, 40);
  EXPECT_EQ(a.failed, 3);
  EXPECT_EQ(a.first_error, "INTERNAL: boom");
  EXPECT_DOUBLE_EQ(a.CallsPerSecond(), 20);
  EXPECT_EQ(a.latency_ns.size(), 3u);
}

TEST(RunDbLoad, KeepsEveryWorkerBusyAndCountsEveryFailedCall) {
  db::PoolOptions po;
  po.max_connections = 2;
  auto pool = db::Pool::Open(testsupport::FreshSqliteDsn(), po);
  ASSERT_TRUE(pool.ok()) << pool.status();
  LoadOptions lo;
  lo.concurrency = 2;
  lo.warmup_seconds = 0;
  lo.seconds = 0.2;
  std::atomic<int64_t> calls[2] = {0, 0};
  LoadResult r = RunDbLoad(lo, **pool, [&](db::Connection& conn, int worker) -> absl::Status {
    ++calls[worker];
    // Worker 1's rows are all missing, as lost rows would be.
    if (worker == 1) return absl::NotFoundError("employee not found");
    return conn.QueryOne("SELECT 1").status();
  });
  EXPECT_GT(calls[0].load(), 0);
  EXPECT_GT(calls[1].load(), 0);
  // Failures count whenever they happen; a success is timed only if it ends inside the window,
  // so worker 0's last call may go uncounted.
  EXPECT_EQ(r.failed, calls[1].load());
  EXPECT_GE(r.ok, calls[0].load() - 1);
  EXPECT_LE(r.ok, calls[0].load());
  EXPECT_EQ(r.first_error, "NOT_FOUND: employee not found");
  EXPECT_EQ(static_cast<int64_t>(r.latency_ns.size()), r.ok);
  EXPECT_DOUBLE_EQ(r.seconds, 0.2);
}

TEST(RunDbLoad, ReportsAConnectionThatCannotBeHadAsAFailure) {
  db::PoolOptions po;
  po.max_connections = 1;
  po.checkout_timeout = absl::Milliseconds(50);
  auto pool = db::Pool::Open(testsupport::FreshSqliteDsn(), po);
  ASSERT_TRUE(pool.ok()) << pool.status();
  LoadOptions lo;
  lo.concurrency = 2;  // one more than the pool holds
  lo.seconds = 0.05;
  LoadResult r = RunDbLoad(lo, **pool, [](db::Connection&, int) { return absl::OkStatus(); });
  EXPECT_EQ(r.ok, 0);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.first_error.rfind("connection 1: DEADLINE_EXCEEDED", 0), 0u) << r.first_error;
}

}  // namespace
}  // namespace seimbang::bench
