// Times the phases of one long operation and writes them as one log line, e.g.
//   {"event":"plan_created","read_ms":3,"fetch_ms":420,"solve_ms":510,...,"total_ms":1290}
// so an operator sees where the time went without a profiler. Not thread-safe: one operation.
#ifndef SEIMBANG_COMMON_LOG_PHASE_CLOCK_H_
#define SEIMBANG_COMMON_LOG_PHASE_CLOCK_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/log/log.h"

namespace seimbang::log {

class PhaseClock {
 public:
  explicit PhaseClock(absl::Time start = absl::Now()) : start_(start), last_(start) {}

  // Ends the phase running since the previous lap (or the start) under `name`; returns its ms.
  // A name lapped again (a phase split in two by another) adds to its first place in the line.
  int64_t Lap(std::string_view name) {
    const absl::Time now = absl::Now();
    const int64_t ms = absl::ToInt64Milliseconds(now - last_);
    Add(name, ms);
    last_ = now;
    return ms;
  }

  // Adds `ms` to the phase `name` (a new one goes last) without ending the running lap: for
  // phases timed elsewhere, e.g. several run concurrently, whose time then ends with Skip().
  void Add(std::string_view name, int64_t ms) {
    for (auto& [n, total] : laps_) {
      if (n == name) {
        total += ms;
        return;
      }
    }
    laps_.emplace_back(std::string(name), ms);
  }

  // Ends the running lap without naming it (its time is in phases Add()ed).
  void Skip() { last_ = absl::Now(); }

  // The laps so far, in order.
  [[nodiscard]] const std::vector<std::pair<std::string, int64_t>>& laps() const { return laps_; }

  // One Info line: `fields`, then every lap, then total_ms since the start.
  void Log(std::string_view event, std::vector<Field> fields) const {
    for (const auto& [name, ms] : laps_) fields.emplace_back(name, ms);
    fields.emplace_back("total_ms", absl::ToInt64Milliseconds(absl::Now() - start_));
    Info(event, fields);
  }

 private:
  absl::Time start_;
  absl::Time last_;
  std::vector<std::pair<std::string, int64_t>> laps_;
};

}  // namespace seimbang::log

#endif  // SEIMBANG_COMMON_LOG_PHASE_CLOCK_H_
