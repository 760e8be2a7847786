// A bounded soak of the three services on loopback (issue #10, `make soak`): the Makassar
// dataset imported once, then mixed reads and writes at a steady rate with periodic
// RunAnalysis + CreatePlan; reports errors, latency per RPC kind and each service's memory.
#ifndef SEIMBANG_BENCH_SOAK_SOAK_H_
#define SEIMBANG_BENCH_SOAK_SOAK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace seimbang::soak {

struct SoakOptions {
  absl::Duration duration = absl::Minutes(10);
  std::string engine = "mariadb";  // "mariadb" or "sqlite"
  // An existing server's base DSN file (tests/harness/mariadb.sh writes DIR/dsn); empty starts
  // a private server under work_dir and stops it at the end.
  std::string mariadb_dsn_file;
  std::string bin_dir;     // where personnel-service, workload-service, transfer-service are
  std::string source_dir;  // the repository, for tests/harness/mariadb.sh
  std::string work_dir;    // empty: a fresh /tmp/seimbang-soak-XXXXXX, removed at the end
  double rate = 20;        // light calls per second over all workers (open loop)
  int workers = 8;
  absl::Duration heavy_every = absl::Seconds(30);  // RunAnalysis then CreatePlan
  // The same light load before the measured window, with RunAnalysis + CreatePlan every
  // warmup_heavy_every, so the window's "start" memory is that of warm services: every pooled
  // connection's statement cache, gRPC thread and buffer has served the heavy calls (a
  // diagnostic run showed transfer-service's resident memory levelling off after ~30 plans).
  // Its calls are not in the latency table; its errors are counted.
  absl::Duration warmup = absl::Minutes(3);
  absl::Duration warmup_heavy_every = absl::Seconds(5);
};

struct KindStats {
  std::string kind;  // RPC name, e.g. "GetEmployee"
  int64_t calls = 0;
  int64_t errors = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

struct ServiceMemory {
  std::string service;
  int64_t cold_kib = 0;   // VmRSS once the data is loaded and the first plan made
  int64_t start_kib = 0;  // VmRSS when the measured window starts (after the warm-up)
  int64_t end_kib = 0;    // VmRSS when the load stops
  // VmRSS after each RunAnalysis + CreatePlan round, to tell warm-up from steady growth.
  std::vector<int64_t> samples_kib;
  // At the same moments, what malloc has handed out and what it keeps freed (the service's
  // seimbang_heap_in_use_bytes and seimbang_heap_free_bytes): a climbing RSS with a flat
  // in-use is the allocator's, a climbing in-use is the service's.
  std::vector<int64_t> heap_in_use_kib;
  std::vector<int64_t> heap_free_kib;
};

struct SoakReport {
  std::string engine;
  double setup_seconds = 0;  // datagen + import + first analysis and plan
  double load_seconds = 0;
  double warmup_seconds = 0;
  int64_t warmup_calls = 0;
  int64_t warmup_errors = 0;  // counted in errors()
  int64_t employees = 0;
  std::vector<KindStats> kinds;  // in a fixed order, every kind listed even with 0 calls
  std::vector<ServiceMemory> memory;
  // Calls sent again after UNAVAILABLE where the contract says nothing was applied (counted
  // once each, not as errors unless the second attempt failed too), and per kind "Kind N".
  int64_t resent = 0;
  std::vector<std::string> resent_kinds;
  std::vector<std::string> first_errors;  // up to 20, "Kind: CODE message"
  int64_t calls() const;
  int64_t errors() const;
};

// The trend of the per-round RSS samples: the median of the first `n` rounds and of the last
// `n`, and last / first. A single reading swings by several MiB with what is in flight at that
// instant (a GetStaffing, a plan, the 10-second hand-back); the medians of readings taken at
// the same point of every round do not. Zeros when there are fewer than 2 * n samples.
struct RoundTrend {
  double first_mib = 0;
  double last_mib = 0;
  double ratio = 0;
};
RoundTrend TrendOfRounds(const std::vector<int64_t>& samples_kib, size_t n = 3);

// Every RPC kind the soak makes, in report order.
const std::vector<std::string>& Kinds();

// Runs the whole soak; an error only when it could not be set up (failed calls during the
// load are counted in the report, not returned).
[[nodiscard]] absl::StatusOr<SoakReport> RunSoak(const SoakOptions& options);

// The report as Markdown tables (calls and latency per kind, memory per service).
std::string FormatReport(const SoakReport& report);

}  // namespace seimbang::soak

#endif  // SEIMBANG_BENCH_SOAK_SOAK_H_
