// What every service binary does at start-up, whichever service it is (common/server):
// the --migrations modes a Kubernetes rollout uses, a port already in use, and the "startup"
// log line of where start-up time went.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/harness/service_process.h"

namespace seimbang::server {
namespace {

// Runs BIN with ARGS to completion (at most 30 s) and returns its exit status, -1 if it
// did not exit by itself (then it is killed).
int RunToExit(const std::string& bin, const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(bin.c_str())};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    freopen("/dev/null", "w", stderr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  for (int i = 0; i < 600; ++i) {
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    absl::SleepFor(absl::Milliseconds(50));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

// A database path no earlier run left behind; removed (with SQLite's -wal and -shm) at exit.
std::string FreshDb(const std::string& name) {
  static std::vector<std::string>* paths = [] {
    auto* v = new std::vector<std::string>();
    std::atexit([] {
      for (const std::string& p : *paths) {
        for (const char* suffix : {"", "-wal", "-shm"}) std::remove((p + suffix).c_str());
      }
    });
    return v;
  }();
  const std::string path = ::testing::TempDir() + "/" + name + "-" + std::to_string(getpid());
  std::remove(path.c_str());
  paths->push_back(path);
  return path;
}

testing::ServiceProcessOptions Flags(std::vector<std::string> args) {
  testing::ServiceProcessOptions options;
  options.args = std::move(args);
  return options;
}

std::vector<std::string> Args(const std::string& db, const std::string& mode) {
  return {"--insecure-dev", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
          "--db=sqlite:" + db, "--migrations=" + mode};
}

TEST(ServiceMain, MigrationsOnlyMigratesAndExitsZeroWithoutServing) {
  const std::string db = FreshDb("migrate-only.db");
  EXPECT_EQ(RunToExit(testing::BinDir() + "/personnel-service", Args(db, "only")), 0);
  EXPECT_TRUE(std::ifstream(db).good()) << "the database was not created";
  EXPECT_EQ(RunToExit(testing::BinDir() + "/personnel-service", Args(db, "only")), 0)
      << "a second --migrations=only finds nothing pending and exits 0 again";
  absl::StatusOr<testing::ServiceProcess> verified = testing::ServiceProcess::Start(
      "personnel-service", Flags({"--insecure-dev", "--db=sqlite:" + db, "--migrations=verify"}));
  EXPECT_TRUE(verified.ok()) << "a migrated database serves with --migrations=verify: "
                             << verified.status();
}

TEST(ServiceMain, VerifyRefusesToStartOnAnUnmigratedDatabase) {
  const std::string db = FreshDb("verify.db");
  for (const char* service : {"personnel-service", "workload-service", "transfer-service"}) {
    EXPECT_EQ(RunToExit(testing::BinDir() + "/" + service, Args(db, "verify")), 1) << service;
  }
}

TEST(ServiceMain, ASecondServiceOnAPortInUseFailsInsteadOfSharingIt) {
  const std::string db = FreshDb("port.db");
  absl::StatusOr<testing::ServiceProcess> first = testing::ServiceProcess::Start(
      "personnel-service", Flags({"--insecure-dev", "--db=sqlite:" + db}));
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string taken = "--listen=127.0.0.1:" + std::to_string(first->port());
  std::vector<std::string> args = Args(FreshDb("port2.db"), "apply");
  args[1] = taken;
  EXPECT_EQ(RunToExit(testing::BinDir() + "/personnel-service", args), 1);
  EXPECT_TRUE(first->Running());
}

// The "startup" line of a service's stderr ("" when it has none).
std::string StartupLine(const testing::ServiceProcess& p) {
  std::ifstream in(p.log_path());
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("\"event\":\"startup\"") != std::string::npos) return line;
  }
  return "";
}

TEST(ServiceMain, LogsWhereStartUpTimeWentOnceServing) {
  const std::string db = FreshDb("startup.db");
  for (const char* applied : {"[1-9][0-9]*", "0"}) {
    absl::StatusOr<testing::ServiceProcess> p = testing::ServiceProcess::Start(
        "personnel-service", Flags({"--insecure-dev", "--db=sqlite:" + db}));
    ASSERT_TRUE(p.ok()) << p.status();
    const std::string line = StartupLine(*p);
    const std::string ms = "\":[0-9.]+,\"";
    EXPECT_TRUE(std::regex_search(
        line, std::regex(std::string("\"service\":\"personnel\",\"config_ms") + ms +
                         "db_connect_ms" + ms + "migrations_ms" + ms + "migrations_applied\":" +
                         applied + ",\"app_ms" + ms + "listen_ms" + ms + "total_ms\":[0-9.]+\\}")))
        << "the fresh database's migrations, then none on a restart: " << line;
    p->Stop();
  }
}

}  // namespace
}  // namespace seimbang::server
