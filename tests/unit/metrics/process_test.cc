#include "common/metrics/process.h"

#include <ctime>
#include <map>
#include <memory>
#include <string>

#include "common/metrics/metrics.h"
#include "gtest/gtest.h"

namespace seimbang::metrics {
namespace {

// proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
// utime(14) stime(15) cutime cstime priority nice num_threads(20) itrealvalue starttime(22)
// vsize(23) rss(24) ...
constexpr char kStat[] =
    "4242 (a) b) (c) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 7 0 12345 "
    "104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcStat, FieldsAreCountedFromTheLastParenthesisOfTheCommandName) {
  std::optional<ProcStat> s = ParseProcStat(kStat, 100, 4096);
  ASSERT_TRUE(s.has_value());
  EXPECT_DOUBLE_EQ(s->cpu_seconds, 3.0);  // (250 + 50) ticks at 100 per second
  EXPECT_DOUBLE_EQ(s->threads, 7);
  EXPECT_DOUBLE_EQ(s->start_time_seconds, 123.45);
  EXPECT_DOUBLE_EQ(s->virtual_memory_bytes, 104857600);
  EXPECT_DOUBLE_EQ(s->resident_memory_bytes, 2560.0 * 4096);
}

TEST(ProcStat, AMalformedOrTruncatedLineIsNothing) {
  EXPECT_FALSE(ParseProcStat("", 100, 4096).has_value());
  EXPECT_FALSE(ParseProcStat("4242 (a) S 1 2 3", 100, 4096).has_value());
  EXPECT_FALSE(ParseProcStat("4242 a S 1 2 3", 100, 4096).has_value());
  EXPECT_FALSE(ParseProcStat(kStat, 0, 4096).has_value());
}

std::map<std::string, double> Values(const std::vector<prometheus::MetricFamily>& families) {
  std::map<std::string, double> out;
  for (const prometheus::MetricFamily& f : families) {
    const prometheus::ClientMetric& m = f.metric.at(0);
    out[f.name] = f.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
  }
  return out;
}

TEST(ProcessCollectable, ReportsThisProcessFromProc) {
  std::map<std::string, double> v = Values(ProcessCollectable().Collect());
  EXPECT_GT(v["process_resident_memory_bytes"], 1 << 20);
  EXPECT_GE(v["process_virtual_memory_bytes"], v["process_resident_memory_bytes"]);
  EXPECT_GE(v["process_threads"], 1);
  EXPECT_GE(v["process_open_fds"], 3);  // stdin, stdout, stderr at least
  EXPECT_GE(v["process_max_fds"], v["process_open_fds"]);
  EXPECT_GE(v["process_cpu_seconds_total"], 0);
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_NEAR(v["process_start_time_seconds"], now, 600);  // started within ten minutes
}

#if defined(__GLIBC__)
TEST(ProcessCollectable, HeapInUseFollowsWhatIsAllocated) {
  constexpr size_t kBlock = 64u << 20;
  const double before = Values(ProcessCollectable().Collect())["seimbang_heap_in_use_bytes"];
  auto block = std::make_unique<char[]>(kBlock);
  block[0] = 1;
  const double during = Values(ProcessCollectable().Collect())["seimbang_heap_in_use_bytes"];
  block.reset();
  const std::map<std::string, double> after = Values(ProcessCollectable().Collect());
  EXPECT_GE(during - before, static_cast<double>(kBlock));
  EXPECT_LT(after.at("seimbang_heap_in_use_bytes"), during - kBlock / 2);
  EXPECT_GE(after.at("seimbang_heap_free_bytes"), 0);
}
#endif

TEST(ProcessCollectable, IsPartOfEveryServicesScrape) {
  absl::StatusOr<std::unique_ptr<Metrics>> m = Metrics::Create("", "test", "0");
  ASSERT_TRUE(m.ok()) << m.status();
  const std::string text = (*m)->Scrape();
  for (const char* name : {"process_cpu_seconds_total", "process_resident_memory_bytes",
                           "process_open_fds", "process_threads"}) {
    EXPECT_NE(text.find(std::string("\n") + name + " "), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace seimbang::metrics
