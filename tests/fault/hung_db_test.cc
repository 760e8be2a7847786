// Issue 15 item 9: a hung database is detected. MariaDB frozen with SIGSTOP keeps its sockets
// open and answers nothing, so a plain ping would wait forever and health stayed SERVING while
// every call ended DEADLINE_EXCEEDED. Health now pings on its own connection with a deadline
// (--health-timeout): NOT_SERVING within seconds of the freeze, SERVING again after SIGCONT.
// Uses its own private MariaDB, which the test always resumes, however it ends.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/fault/fault_checks.h"
#include "tests/fault/fault_support.h"

namespace seimbang::fault {
namespace {

using Clock = std::chrono::steady_clock;

TEST(HungDatabase, HealthTurnsNotServingWhileMariaDbIsFrozenAndServingAfterItResumes) {
  PrivateMariaDb db;  // its destructor resumes a frozen server before stopping it
  ASSERT_TRUE(db.Start());
  const std::string dsn = db.CreateDatabase("fault_hung");
  ASSERT_FALSE(dsn.empty());
  const std::string dir = TempDirWithSecrets("fault-hung");
  testing::ServiceProcessOptions o;
  o.args = {"--db=" + dsn, "--auth-hs256-secret-file=" + dir + "/secret", "--health-timeout=2s"};
  auto proc = testing::ServiceProcess::Start("personnel-service", o);
  ASSERT_TRUE(proc.ok()) << proc.status();
  // Resumed before the service is stopped, however the test ends: a service draining calls
  // stuck on a stopped server would wait for it.
  struct ResumeOnExit {
    PrivateMariaDb& db;
    ~ResumeOnExit() { db.Resume(); }
  } resume_on_exit{db};
  auto stub = ppb::PersonnelService::NewStub(
      grpc::CreateChannel(proc->address(), grpc::InsecureChannelCredentials()));
  const std::string admin = Token(auth::Role::kAdmin);
  ASSERT_TRUE(WaitFor([&] { return Health(proc->address()) == "SERVING"; }, 10000));

  // Callers keep every pooled connection busy on the frozen server: "all connections in use"
  // must not read as healthy.
  std::atomic<bool> stop{false};
  StoppingThreads callers(stop);
  for (int i = 0; i < 4; ++i) {
    callers.Start([&] {
      while (!stop) {
        ppb::ListAgenciesRequest req;
        ppb::ListAgenciesResponse resp;
        stub->ListAgencies(Ctx(admin, 1000).get(), req, &resp).IgnoreError();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }

  ASSERT_TRUE(db.Freeze());
  const auto frozen = Clock::now();
  EXPECT_TRUE(WaitFor([&] { return Health(proc->address()) == "NOT_SERVING"; }, 8000))
      << Health(proc->address());
  const int64_t detect_ms = MsSince(frozen);
  // Health itself answers promptly while the database hangs.
  const auto asked = Clock::now();
  EXPECT_EQ(Health(proc->address()), "NOT_SERVING");
  EXPECT_LT(MsSince(asked), 1000);
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(Health(proc->address()), "NOT_SERVING") << "health must stay down while frozen";

  ASSERT_TRUE(db.Resume());
  const auto resumed = Clock::now();
  EXPECT_TRUE(WaitFor([&] { return Health(proc->address()) == "SERVING"; }, 15000))
      << Health(proc->address());
  const int64_t recover_ms = MsSince(resumed);
  ppb::ListAgenciesRequest req;
  ppb::ListAgenciesResponse resp;
  grpc::Status after = stub->ListAgencies(Ctx(admin, 5000).get(), req, &resp);
  EXPECT_TRUE(after.ok()) << after.error_message();
  EXPECT_TRUE(proc->Running()) << "personnel-service died; see " << proc->log_path();
  std::cerr << "NOT_SERVING " << detect_ms << " ms after SIGSTOP, SERVING " << recover_ms
            << " ms after SIGCONT\n";
}

}  // namespace
}  // namespace seimbang::fault
