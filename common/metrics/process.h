#ifndef SEIMBANG_COMMON_METRICS_PROCESS_H_
#define SEIMBANG_COMMON_METRICS_PROCESS_H_

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <optional>
#include <string_view>
#include <vector>

namespace seimbang::metrics {

// What /proc/self/stat says of the process (proc(5)).
struct ProcStat {
  double cpu_seconds = 0;         // utime + stime
  double start_time_seconds = 0;  // since boot; the collector adds the boot time
  double virtual_memory_bytes = 0;
  double resident_memory_bytes = 0;
  double threads = 0;
};

// Parses the one line of /proc/<pid>/stat; the command name (field 2) may hold spaces and
// parentheses, so the fields are counted from the last ')'. nullopt on a malformed line.
std::optional<ProcStat> ParseProcStat(std::string_view line, long ticks_per_second, long page_size);

// The standard process_* families of the Prometheus client libraries, read from /proc at
// every scrape: process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds,
// process_start_time_seconds, and process_threads. Empty where /proc is not readable.
// With glibc it adds what malloc holds (mallinfo2), so a resident size that climbs can be
// told apart as memory in use (a leak or a cache) or freed memory the allocator keeps
// (fragmentation): seimbang_heap_in_use_bytes and seimbang_heap_free_bytes.
class ProcessCollectable : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace seimbang::metrics

#endif  // SEIMBANG_COMMON_METRICS_PROCESS_H_
