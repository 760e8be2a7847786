// Shared by the fault tests: tokens, contexts, raw health checks, and a tiny
// agency (personnel on MariaDB + a fake workload run + transfer-service) that
// can be planned, approved and executed, with its processes restartable.
#ifndef SEIMBANG_TESTS_FAULT_FAULT_SUPPORT_H_
#define SEIMBANG_TESTS_FAULT_FAULT_SUPPORT_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/auth/claims.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "tests/harness/calls.h"
#include "tests/harness/fake_upstreams.h"
#include "tests/harness/nurse_agency_services.h"
#include "tests/harness/service_process.h"

namespace seimbang::fault {

namespace ppb = ::seimbang::personnel::v1;
namespace tpb = ::seimbang::transfer::v1;
namespace cpb = ::seimbang::common::v1;

inline constexpr char kSecret[] = "fault-test-secret-0123456789abcdef";
inline constexpr char kAgency[] = "73.71";

std::string Token(auth::Role role, const std::string& agency = "");
std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token, int deadline_ms = 30000);
cpb::Date D(int y, int m, int d);

// grpc.health.v1 overall status: "SERVING", "NOT_SERVING" or "error: ...".
std::string Health(const std::string& address, int deadline_ms = 2000);
using testing::WaitFor;

// A fresh temp dir holding `secret` (kSecret) and `service-token` (role service).
std::string TempDirWithSecrets(const std::string& prefix);

// Milliseconds since `t` on the steady clock.
inline int64_t MsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t)
      .count();
}

// What a stalling fake's handler does: waits up to `max_ms` unless its caller gives up first.
// True when the caller cancelled; *held_ms is how long the handler held the call either way.
bool HoldUnlessCancelled(grpc::ServerContextBase& ctx, int64_t max_ms,
                         std::atomic<int64_t>* held_ms);

// One private MariaDB in a temp dir (tests/harness/mariadb.sh), never the shared fixture's,
// stopped (resumed first if frozen) and its dir removed on destruction.
class PrivateMariaDb {
 public:
  PrivateMariaDb();
  ~PrivateMariaDb();
  bool Start();
  bool Kill();     // SIGKILL: a crash
  bool Restart();  // again on the same data, socket and port
  // SIGSTOP / SIGCONT the server process: a hung database that keeps its connections open.
  bool Freeze();
  bool Resume();
  // A new database `name`; its DSN ("" on failure).
  std::string CreateDatabase(const std::string& name);

 private:
  int Pid() const;
  std::string root_;
  std::string dir_;
  bool frozen_ = false;
};

// personnel-service (MariaDB) seeded with agency 73.71: Puskesmas A (unit 1, 9 nurses) and
// Puskesmas B (unit 2, 1 nurse); transfer-service (MariaDB) planning against it and a fake
// workload run asking for 4 and 5 nurses; tokens signed with kSecret, subjects "fault-<role>".
class TinyAgency : public testing::NurseAgencyServices {
 public:
  TinyAgency();
};

}  // namespace seimbang::fault

#endif  // SEIMBANG_TESTS_FAULT_FAULT_SUPPORT_H_
