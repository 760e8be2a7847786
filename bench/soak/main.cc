// seimbang-soak: `make soak` (SOAK_MINUTES ?= 10). Starts its own MariaDB (or SQLite) and the
// three services on 127.0.0.1, imports the Makassar dataset, then runs mixed reads and writes
// for the given time and prints errors, latency per RPC and each service's memory.
//
//   seimbang-soak [--minutes 10 | --seconds N] [--engine mariadb|sqlite] [--rate 20]
//       [--workers 8] [--heavy-every-seconds 30] [--warmup-seconds 180]
//       [--warmup-heavy-every-seconds 5] [--mariadb-dsn-file F] [--bin-dir D]
//       [--source-dir D] [--work-dir D] [--check]
//
// Exit 1 when any call failed; with --check also when some RPC kind was never called.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "bench/soak/soak.h"

namespace {

std::string ExeDir() {
  char exe[4096];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n <= 0) return "build/bin";
  std::string path(exe, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

int Usage(const std::string& why) {
  std::cerr << "seimbang-soak: " << why
            << "\nusage: seimbang-soak [--minutes M | --seconds S] [--engine mariadb|sqlite] "
               "[--rate CALLS_PER_S] [--workers N] [--heavy-every-seconds S] [--warmup-seconds S] "
               "[--warmup-heavy-every-seconds S] "
               "[--mariadb-dsn-file F] [--bin-dir D] [--source-dir D] [--work-dir D] [--check]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace seimbang;  // NOLINT: one-screen main
  soak::SoakOptions o;
  o.bin_dir = ExeDir();  // build/bin, beside the services
  o.source_dir = SEIMBANG_SOURCE_DIR;
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--check") {
      check = true;
      continue;
    }
    if (a.rfind("--", 0) != 0 || i + 1 >= argc) return Usage("bad argument " + a);
    const std::string v = argv[++i];
    double x = 0;
    if (a == "--minutes" || a == "--seconds" || a == "--rate" || a == "--workers" ||
        a == "--heavy-every-seconds") {
      if (!absl::SimpleAtod(v, &x) || x <= 0) return Usage(a + " needs a positive number");
    }
    if (a == "--warmup-seconds") {
      if (!absl::SimpleAtod(v, &x) || x < 0) return Usage(a + " needs a number >= 0");
      o.warmup = absl::Seconds(x);
      continue;
    }
    if (a == "--warmup-heavy-every-seconds") {
      if (!absl::SimpleAtod(v, &x) || x <= 0) return Usage(a + " needs a positive number");
      o.warmup_heavy_every = absl::Seconds(x);
      continue;
    }
    if (a == "--minutes") {
      o.duration = absl::Seconds(x * 60);
    } else if (a == "--seconds") {
      o.duration = absl::Seconds(x);
    } else if (a == "--rate") {
      o.rate = x;
    } else if (a == "--workers") {
      o.workers = static_cast<int>(x);
    } else if (a == "--heavy-every-seconds") {
      o.heavy_every = absl::Seconds(x);
    } else if (a == "--engine") {
      o.engine = v;
    } else if (a == "--mariadb-dsn-file") {
      o.mariadb_dsn_file = v;
    } else if (a == "--bin-dir") {
      o.bin_dir = v;
    } else if (a == "--source-dir") {
      o.source_dir = v;
    } else if (a == "--work-dir") {
      o.work_dir = v;
    } else {
      return Usage("unknown flag " + a);
    }
  }
  std::cout << "soak: " << absl::FormatDuration(o.duration) << " on " << o.engine << ", " << o.rate
            << " calls/s over " << o.workers << " workers, RunAnalysis + CreatePlan every "
            << absl::FormatDuration(o.heavy_every) << ", after a warm-up of "
            << absl::FormatDuration(o.warmup) << " (heavy calls every "
            << absl::FormatDuration(o.warmup_heavy_every) << ")" << std::endl;
  absl::StatusOr<soak::SoakReport> r = soak::RunSoak(o);
  if (!r.ok()) {
    std::cerr << "seimbang-soak: " << r.status() << "\n";
    return 1;
  }
  std::cout << soak::FormatReport(*r);
  int rc = r->errors() > 0 ? 1 : 0;
  if (check) {
    for (const soak::KindStats& k : r->kinds) {
      if (k.calls == 0) {
        std::cout << "check failed: no " << k.kind << " call was made\n";
        rc = 1;
      }
    }
  }
  if (r->errors() > 0) std::cout << "FAILED: " << r->errors() << " calls failed\n";
  return rc;
}
