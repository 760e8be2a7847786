#include "tests/fault/fault_support.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/auth/verifier.h"
#include "tests/harness/calls.h"
#include "tests/harness/raw_call.h"

namespace seimbang::fault {

std::string Token(auth::Role role, const std::string& agency) {
  return testing::MintTestToken(kSecret, role, agency, "",
                                "fault-" + std::string(auth::RoleName(role)));
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token, int deadline_ms) {
  return testing::CallContext(token, absl::Milliseconds(deadline_ms));
}

cpb::Date D(int y, int m, int d) { return testing::ProtoDate(y, m, d); }

std::string Health(const std::string& address, int deadline_ms) {
  return testing::HealthStatus(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()),
                               deadline_ms);
}

bool HoldUnlessCancelled(grpc::ServerContextBase& ctx, int64_t max_ms,
                         std::atomic<int64_t>* held_ms) {
  const auto start = std::chrono::steady_clock::now();
  while (MsSince(start) < max_ms) {
    if (ctx.IsCancelled()) {
      *held_ms = MsSince(start);
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  *held_ms = MsSince(start);
  return false;
}

namespace {

std::string Harness() { return std::string(SEIMBANG_SOURCE_DIR) + "/tests/harness/mariadb.sh"; }

int Sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()); }

}  // namespace

PrivateMariaDb::PrivateMariaDb() {
  char tmpl[] = "/tmp/fault-mariadb-XXXXXX";
  root_ = mkdtemp(tmpl);
  dir_ = root_ + "/m";
}

PrivateMariaDb::~PrivateMariaDb() {
  if (frozen_) Resume();  // a stopped server can neither shut down nor be killed cleanly
  Sh(absl::StrCat(Harness(), " stop ", dir_));
  rmdir(root_.c_str());
}

bool PrivateMariaDb::Start() { return Sh(absl::StrCat(Harness(), " start ", dir_)) == 0; }
bool PrivateMariaDb::Kill() { return Sh(absl::StrCat(Harness(), " kill ", dir_)) == 0; }
bool PrivateMariaDb::Restart() { return Sh(absl::StrCat(Harness(), " restart ", dir_)) == 0; }

int PrivateMariaDb::Pid() const {
  std::ifstream in(dir_ + "/mysqld.pid");
  int pid = 0;
  in >> pid;
  return pid;
}

bool PrivateMariaDb::Freeze() {
  const int pid = Pid();
  if (pid <= 1 || kill(pid, SIGSTOP) != 0) return false;
  frozen_ = true;
  return true;
}

bool PrivateMariaDb::Resume() {
  const int pid = Pid();
  if (pid <= 1 || kill(pid, SIGCONT) != 0) return false;
  frozen_ = false;
  return true;
}

std::string PrivateMariaDb::CreateDatabase(const std::string& name) {
  if (Sh(absl::StrCat("mariadb --no-defaults --protocol=socket --socket=", dir_,
                      "/mysqld.sock -uroot -e 'CREATE DATABASE ", name,
                      " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'")) != 0) {
    return "";
  }
  std::ifstream in(dir_ + "/dsn");
  std::string base;
  std::getline(in, base);
  return base + name;
}

std::string TempDirWithSecrets(const std::string& prefix) {
  std::string tmpl = absl::StrCat("/tmp/", prefix, "-XXXXXX");
  const std::string dir = mkdtemp(tmpl.data());
  std::ofstream(dir + "/secret") << kSecret;
  std::ofstream(dir + "/service-token") << Token(auth::Role::kService);
  return dir;
}

TinyAgency::TinyAgency()
    : NurseAgencyServices([] {
        Options o;
        o.name = "fault";
        o.secret = kSecret;
        return o;
      }()) {}

}  // namespace seimbang::fault
