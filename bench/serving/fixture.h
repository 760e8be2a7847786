#ifndef SEIMBANG_BENCH_SERVING_FIXTURE_H_
#define SEIMBANG_BENCH_SERVING_FIXTURE_H_

// What the serving benchmark sets up before it measures: a private MariaDB
// (tests/harness/mariadb.sh), the Makassar dataset imported through
// seimbangctl's own import code, and service processes timed from exec to
// SERVING on their health check.

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/harness/service_process.h"

namespace seimbang::bench {

// A throwaway MariaDB in `dir`, stopped (and `dir` removed) on destruction.
class MariaDbServer {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<MariaDbServer>> Start(
      const std::string& script, const std::string& dir);
  ~MariaDbServer();
  MariaDbServer(const MariaDbServer&) = delete;
  MariaDbServer& operator=(const MariaDbServer&) = delete;

  // The base DSN file the harness writes (mysql://user:pw@127.0.0.1:port/).
  std::string dsn_file() const { return dir_ + "/dsn"; }

 private:
  MariaDbServer(std::string script, std::string dir)
      : script_(std::move(script)), dir_(std::move(dir)) {}
  std::string script_;
  std::string dir_;
};

// A new empty database on the server named by `dsn_file` (a base DSN, as the
// harness writes it); returns its full DSN.
[[nodiscard]] absl::StatusOr<std::string> FreshDatabase(const std::string& dsn_file,
                                                        std::string_view prefix);

// Writes `seimbang-datagen --profile makassar --seed 1` into `dir`, keeping
// only the first `max_employees` employees when > 0, with header-only
// workloads.csv and signals.csv (this benchmark reads personnel only).
// Returns the number of employee rows written.
[[nodiscard]] absl::StatusOr<int64_t> WriteMakassarDataset(const std::string& dir,
                                                           int64_t max_employees);

// `seimbangctl --personnel P --workload W import DIR`, in process.
[[nodiscard]] absl::Status ImportDataset(const std::string& dir, const std::string& personnel,
                                         const std::string& workload);

// A service started and timed.
struct StartedService {
  std::string name;       // "personnel"
  std::string database;   // "MariaDB", "SQLite"
  double startup_ms = 0;  // exec to the first SERVING health answer
  // From the service's own "startup" log line (common/server/service_main.cc), 0 without one:
  // ServiceMain's start to SERVING (startup_ms less this is loading and static initialisation),
  // and the migrations' share of it.
  double in_process_ms = 0;
  double migrations_ms = 0;
  double idle_rss_mib = 0;
  testing::ServiceProcess process;
};

// The "name_ms":N fields of one of the services' JSON log lines ("startup", "plan_created"), in
// their order.
[[nodiscard]] std::vector<std::pair<std::string, double>> MsFields(const std::string& line);

// Starts `binary` (a name in build/bin) with --insecure-dev and `args` on a loopback port of its
// own, polls grpc.health.v1 there every millisecond from exec until SERVING (not waiting for
// the harness's port file, which it polls every 20 ms), then waits `idle_seconds` and reads
// VmRSS.
[[nodiscard]] absl::StatusOr<StartedService> StartTimed(const std::string& name,
                                                        const std::string& database,
                                                        const std::string& binary,
                                                        std::vector<std::string> args,
                                                        double idle_seconds);

// Stops a service and removes its temporary folder (its stderr log grows by a
// line per call).
void StopService(testing::ServiceProcess& process);

// User + system CPU seconds of process `pid` so far, all its threads (0 when it is gone or
// unreadable): steadier than wall time on this shared machine, and what a call costs a process.
[[nodiscard]] double ProcessCpuSeconds(pid_t pid);

}  // namespace seimbang::bench

#endif  // SEIMBANG_BENCH_SERVING_FIXTURE_H_
