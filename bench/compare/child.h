// Runs one measurement in a forked child so that each method's peak RSS
// (getrusage ru_maxrss via wait4, which covers the child's own children such
// as cbc) is its own, and a runaway method can be stopped at a time limit.
#ifndef SEIMBANG_BENCH_COMPARE_CHILD_H_
#define SEIMBANG_BENCH_COMPARE_CHILD_H_

#include <cstdint>
#include <functional>
#include <string>

namespace seimbang::bench {

struct ChildLimits {
  double seconds = 0;         // 0 = none; the child's process group is killed past it
  int64_t address_bytes = 0;  // RLIMIT_AS of the child, 0 = none
};

struct ChildRun {
  bool finished = false;  // exited 0 and returned its payload
  bool timed_out = false;
  std::string failure;  // why not finished: "exit 3", "signal 9", "time limit 300 s"
  int64_t max_rss_kib = 0;
  std::string payload;  // what `work` returned
};

// Forks; the child (in its own process group) runs `work` and sends back the
// string it returns. The child inherits the parent's memory, so its peak RSS
// includes whatever the parent held (the instance): report that separately.
[[nodiscard]] ChildRun RunInChild(const std::function<std::string()>& work,
                                  const ChildLimits& limits);

// CPU seconds (user + system) of this process and its waited-for children:
// on a shared, loaded machine the wall time alone overstates the work.
[[nodiscard]] double CpuSeconds();

// Resident set of this process now (VmRSS), in KiB.
[[nodiscard]] int64_t CurrentRssKib();

}  // namespace seimbang::bench

#endif  // SEIMBANG_BENCH_COMPARE_CHILD_H_
