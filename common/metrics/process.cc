#include "common/metrics/process.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace seimbang::metrics {
namespace {

std::string ReadFile(const char* path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Seconds since the epoch at boot: the "btime" line of /proc/stat.
double BootTimeSeconds() {
  for (absl::string_view line : absl::StrSplit(ReadFile("/proc/stat"), '\n')) {
    double v = 0;
    if (absl::ConsumePrefix(&line, "btime ") && absl::SimpleAtod(line, &v)) return v;
  }
  return 0;
}

// The soft limit of "Max open files" in /proc/self/limits, 0 when unknown.
double MaxOpenFiles() {
  for (absl::string_view line : absl::StrSplit(ReadFile("/proc/self/limits"), '\n')) {
    if (!absl::ConsumePrefix(&line, "Max open files")) continue;
    std::vector<absl::string_view> words = absl::StrSplit(line, ' ', absl::SkipEmpty());
    double v = 0;
    if (!words.empty() && absl::SimpleAtod(words[0], &v)) return v;
  }
  return 0;
}

double OpenFds() {
  std::error_code ec;
  double n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++n;
  }
  return n;
}

prometheus::MetricFamily One(const char* name, const char* help, prometheus::MetricType type,
                             double value) {
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  return {name, help, type, {m}};
}

}  // namespace

std::optional<ProcStat> ParseProcStat(std::string_view text, long ticks_per_second,
                                      long page_size) {
  absl::string_view line(text.data(), text.size());
  const size_t close = line.rfind(')');
  if (close == absl::string_view::npos || ticks_per_second <= 0) return std::nullopt;
  // Fields from 3 (state) on; proc(5) numbers them from 1.
  std::vector<absl::string_view> f = absl::StrSplit(line.substr(close + 1), ' ', absl::SkipEmpty());
  auto field = [&f](int number, double* out) {
    const size_t i = static_cast<size_t>(number - 3);
    return i < f.size() && absl::SimpleAtod(f[i], out);
  };
  double utime = 0, stime = 0, threads = 0, start = 0, vsize = 0, rss = 0;
  if (!field(14, &utime) || !field(15, &stime) || !field(20, &threads) || !field(22, &start) ||
      !field(23, &vsize) || !field(24, &rss)) {
    return std::nullopt;
  }
  ProcStat s;
  s.cpu_seconds = (utime + stime) / static_cast<double>(ticks_per_second);
  s.threads = threads;
  s.start_time_seconds = start / static_cast<double>(ticks_per_second);
  s.virtual_memory_bytes = vsize;
  s.resident_memory_bytes = rss * static_cast<double>(page_size);
  return s;
}

std::vector<prometheus::MetricFamily> ProcessCollectable::Collect() const {
  std::optional<ProcStat> s =
      ParseProcStat(ReadFile("/proc/self/stat"), sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE));
  if (!s) return {};
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families = {
      One("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
          MetricType::Counter, s->cpu_seconds),
      One("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge,
          s->resident_memory_bytes),
      One("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge,
          s->virtual_memory_bytes),
      One("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, OpenFds()),
      One("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge,
          MaxOpenFiles()),
      One("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
          MetricType::Gauge, BootTimeSeconds() + s->start_time_seconds),
      One("process_threads", "Number of OS threads in the process.", MetricType::Gauge, s->threads),
  };
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const struct mallinfo2 heap = mallinfo2();
  families.push_back(One("seimbang_heap_in_use_bytes",
                         "Bytes malloc has handed out and not had back (arenas and mmapped).",
                         MetricType::Gauge, static_cast<double>(heap.uordblks + heap.hblkhd)));
  families.push_back(One("seimbang_heap_free_bytes",
                         "Freed bytes malloc keeps in its arenas instead of returning them.",
                         MetricType::Gauge, static_cast<double>(heap.fordblks)));
#endif
  return families;
}

}  // namespace seimbang::metrics
