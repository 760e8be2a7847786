#include "common/log/log.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/log/phase_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace seimbang::log {
namespace {

using ::testing::StartsWith;

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

// Captures lines for the duration of a test and restores stderr and the level.
class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetSink([this](std::string_view line) { lines_.emplace_back(line); });
    SetLevel(Level::kInfo);
  }
  void TearDown() override {
    SetSink(nullptr);
    SetLevel(Level::kInfo);
  }
  std::vector<std::string> lines_;
};

const absl::Time kTs =
    absl::FromCivil(absl::CivilSecond(2025, 6, 1, 8, 30, 5), absl::UTCTimeZone()) +
    absl::Milliseconds(7);

TEST(ParseLevel, AcceptsTheFourLevelNamesCaseInsensitively) {
  const std::pair<std::string_view, Level> cases[] = {{"debug", Level::kDebug},
                                                      {"INFO", Level::kInfo},
                                                      {"warn", Level::kWarn},
                                                      {"warning", Level::kWarn},
                                                      {"error", Level::kError}};
  for (const auto& [name, want] : cases) EXPECT_EQ(*ParseLevel(name), want) << name;
}

TEST(ParseLevel, RejectsOtherNamesListingTheValidOnes) {
  absl::StatusOr<Level> l = ParseLevel("verbose");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(l.status().message(),
            "unknown log level \"verbose\" (expected debug, info, warn or error)");
}

TEST(FormatLine, WritesTimestampLevelEventThenFieldsInOrder) {
  EXPECT_EQ(FormatLine(kTs, Level::kWarn, "db.retry",
                       {{"attempt", 3}, {"dsn", "sqlite:x.db"}, {"ratio", 0.25}, {"ok", false}}),
            "{\"ts\":\"2025-06-01T08:30:05.007Z\",\"level\":\"warn\",\"event\":\"db.retry\","
            "\"attempt\":3,\"dsn\":\"sqlite:x.db\",\"ratio\":0.25,\"ok\":false}");
}

TEST(FormatLine, TimestampIsRfc3339UtcWithMilliseconds) {
  EXPECT_THAT(FormatLine(kTs, Level::kInfo, "e", {}),
              StartsWith("{\"ts\":\"2025-06-01T08:30:05.007Z\""));
}

TEST(FormatLine, WritesInt64ExtremesAndShortestRoundTripDoubles) {
  EXPECT_EQ(FormatLine(kTs, Level::kInfo, "e",
                       {{"min", INT64_MIN}, {"max", INT64_MAX}, {"tenth", 0.1}, {"big", 1e300}}),
            "{\"ts\":\"2025-06-01T08:30:05.007Z\",\"level\":\"info\",\"event\":\"e\","
            "\"min\":-9223372036854775808,\"max\":9223372036854775807,\"tenth\":0.1,"
            "\"big\":1e+300}");
}

TEST(FormatLine, WritesNonFiniteDoublesAsNull) {
  EXPECT_EQ(FormatLine(kTs, Level::kInfo, "e", {{"x", std::nan("")}, {"y", HUGE_VAL}}),
            "{\"ts\":\"2025-06-01T08:30:05.007Z\",\"level\":\"info\",\"event\":\"e\","
            "\"x\":null,\"y\":null}");
}

TEST(FormatLine, RenamesFieldsThatWouldShadowTheReservedKeys) {
  EXPECT_EQ(FormatLine(kTs, Level::kInfo, "e", {{"level", "x"}, {"ts", 1}, {"event", true}}),
            "{\"ts\":\"2025-06-01T08:30:05.007Z\",\"level\":\"info\",\"event\":\"e\","
            "\"_level\":\"x\",\"_ts\":1,\"_event\":true}");
}

TEST(FormatLine, EscapesKeysAndEvent) {
  EXPECT_EQ(FormatLine(kTs, Level::kError, "a\"b", {{"k\n", "v"}}),
            "{\"ts\":\"2025-06-01T08:30:05.007Z\",\"level\":\"error\",\"event\":\"a\\\"b\","
            "\"k\\n\":\"v\"}");
}

TEST(JsonEscaping, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(Json("say \"hi\" \\o/"), "\"say \\\"hi\\\" \\\\o/\"");
}

TEST(JsonEscaping, EscapesEveryControlCharacter) {
  EXPECT_EQ(Json("a\nb\rc\td\be\ff"), "\"a\\nb\\rc\\td\\be\\ff\"");
  EXPECT_EQ(Json(std::string_view("\0\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
  EXPECT_EQ(Json("\x7f"), "\"\x7f\"");  // DEL is legal in JSON strings
}

TEST(JsonEscaping, KeepsValidUtf8) {
  EXPECT_EQ(Json("Kepulauan Sangkarrang \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "\"Kepulauan Sangkarrang \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
}

TEST(JsonEscaping, ReplacesEachInvalidUtf8ByteWithTheReplacementCharacter) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(Json("a\xFF"
                 "b"),
            "\"a" + r + "b\"");                                      // never valid
  EXPECT_EQ(Json("\xC0\xAF"), "\"" + r + r + "\"");                  // overlong '/'
  EXPECT_EQ(Json("\xED\xA0\x80"), "\"" + r + r + r + "\"");          // surrogate
  EXPECT_EQ(Json("\xF4\x90\x80\x80"), "\"" + r + r + r + r + "\"");  // above U+10FFFF
  EXPECT_EQ(Json("\xE2\x82"), "\"" + r + r + "\"");                  // truncated
  EXPECT_EQ(Json("\x80"), "\"" + r + "\"");                          // lone continuation
}

TEST_F(LogTest, WritesOneLineToTheSink) {
  Info("plan.created", {{"plan_id", "p-1"}, {"moves", 12}});
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_THAT(lines_[0], StartsWith("{\"ts\":\""));
  EXPECT_NE(lines_[0].find("\"level\":\"info\",\"event\":\"plan.created\",\"plan_id\":\"p-1\","
                           "\"moves\":12}"),
            std::string::npos)
      << lines_[0];
}

TEST_F(LogTest, DropsLinesBelowTheLevel) {
  SetLevel(Level::kWarn);
  Debug("d");
  Info("i");
  Warn("w");
  Error("e");
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_NE(lines_[0].find("\"event\":\"w\""), std::string::npos);
  EXPECT_NE(lines_[1].find("\"event\":\"e\""), std::string::npos);
  EXPECT_FALSE(Enabled(Level::kInfo));
  EXPECT_TRUE(Enabled(Level::kError));
  EXPECT_EQ(GetLevel(), Level::kWarn);
}

TEST_F(LogTest, DebugLevelLetsEverythingThrough) {
  SetLevel(Level::kDebug);
  Debug("d");
  Info("i");
  EXPECT_EQ(lines_.size(), 2u);
}

TEST_F(LogTest, ConcurrentLinesArriveWholeAndNoneIsLost) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 250; ++i) Info("tick", {{"thread", t}, {"i", i}});
    });
  }
  for (std::thread& th : threads) th.join();
  ASSERT_EQ(lines_.size(), 1000u);
  for (const std::string& line : lines_) {
    ASSERT_EQ(line.front(), '{');
    ASSERT_EQ(line.back(), '}');
  }
}

TEST_F(LogTest, SetSinkReturnsThePreviousSinkSoTestsCanRestoreIt) {
  std::vector<std::string> other;
  Sink previous = SetSink([&other](std::string_view line) { other.emplace_back(line); });
  Info("to-other");
  SetSink(std::move(previous));
  Info("to-lines");
  EXPECT_EQ(other.size(), 1u);
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_NE(lines_[0].find("to-lines"), std::string::npos);
}

TEST(LogToStderr, WritesAJsonLineWithANewline) {
  SetSink(nullptr);
  ::testing::internal::CaptureStderr();
  Error("stderr.check", {{"n", 1}});
  const std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(out, StartsWith("{\"ts\":\""));
  EXPECT_EQ(out.back(), '\n');
  EXPECT_NE(out.find("\"event\":\"stderr.check\",\"n\":1}\n"), std::string::npos);
}

// ---- LogDeferred: the per-RPC line, queued and written by the log's writer thread.

TEST_F(LogTest, ADeferredLineGoesToTheSinkAtOnce) {
  LogDeferred(Level::kInfo, "rpc", {{"code", "OK"}});
  LogDeferred(Level::kDebug, "below-the-level");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_NE(lines_[0].find("\"event\":\"rpc\",\"code\":\"OK\"}"), std::string::npos);
}

// The lines of `out` whose event is `event`, in the order written.
std::vector<std::string> LinesOf(const std::string& out, const std::string& event) {
  const std::string key = "\"event\":\"" + event + "\"";
  std::vector<std::string> lines;
  const std::vector<std::string> all = absl::StrSplit(out, '\n');
  for (const std::string& line : all) {
    if (absl::StrContains(line, key)) lines.push_back(line);
  }
  return lines;
}

TEST(LogToStderr, ALogLineFollowsTheDeferredLinesLoggedBeforeIt) {
  SetSink(nullptr);
  ::testing::internal::CaptureStderr();
  LogDeferred(Level::kInfo, "order", {{"n", 1}});
  LogDeferred(Level::kInfo, "order", {{"n", 2}});
  Info("order", {{"n", 3}});  // written before Info returns, after the two queued lines
  const std::vector<std::string> lines = LinesOf(::testing::internal::GetCapturedStderr(), "order");
  ASSERT_EQ(lines.size(), 3u);
  for (int i = 0; i < 3; ++i)
    EXPECT_THAT(lines[i], ::testing::EndsWith(absl::StrCat(":", i + 1, "}")));
}

TEST(LogToStderr, FlushWritesTheQueuedLinesAtOnce) {
  SetSink(nullptr);
  ::testing::internal::CaptureStderr();
  LogDeferred(Level::kInfo, "flushed", {{"n", 1}});
  Flush();
  EXPECT_EQ(LinesOf(::testing::internal::GetCapturedStderr(), "flushed").size(), 1u);
}

TEST(LogToStderr, DeferredLinesReachStderrWithoutAFlush) {
  SetSink(nullptr);
  ::testing::internal::CaptureStderr();
  LogDeferred(Level::kInfo, "unflushed", {{"n", 1}});
  // The writer wakes every kDeferredFlushMs; forty times that is room for a busy machine.
  std::this_thread::sleep_for(std::chrono::milliseconds(40 * kDeferredFlushMs));
  EXPECT_EQ(LinesOf(::testing::internal::GetCapturedStderr(), "unflushed").size(), 1u);
}

// The voluntary context switches of this process's thread named `name` (-1 when none is).
int64_t VoluntarySwitchesOf(const std::string& name) {
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string line;
    if (!std::getline(comm, line) || line != name) continue;
    std::ifstream status(task.path() / "status");
    while (std::getline(status, line)) {
      if (absl::StartsWith(line, "voluntary_ctxt_switches:")) {
        int64_t n = -1;
        if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(line.find(':') + 1)), &n)) {
          return n;
        }
      }
    }
  }
  return -1;
}

// With nothing queued the writer sleeps until a line is: an idle service does not wake twenty
// times a second. A line queued then still arrives without a flush.
TEST(LogToStderr, TheWriterSleepsWhileNothingIsQueuedAndWakesForTheNextLine) {
  SetSink(nullptr);
  ::testing::internal::CaptureStderr();
  LogDeferred(Level::kInfo, "before-idle");
  Flush();
  std::this_thread::sleep_for(std::chrono::milliseconds(4 * kDeferredFlushMs));  // settles
  const int64_t before = VoluntarySwitchesOf(kDeferredWriterThreadName);
  ASSERT_GE(before, 0) << "no thread named " << kDeferredWriterThreadName;
  std::this_thread::sleep_for(std::chrono::milliseconds(10 * kDeferredFlushMs));
  EXPECT_EQ(VoluntarySwitchesOf(kDeferredWriterThreadName), before);
  LogDeferred(Level::kInfo, "after-idle");
  std::this_thread::sleep_for(std::chrono::milliseconds(40 * kDeferredFlushMs));
  const std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(LinesOf(out, "after-idle").size(), 1u);
  EXPECT_GT(VoluntarySwitchesOf(kDeferredWriterThreadName), before);
}

// 8 MiB from four threads, past the queue's 4 MiB bound: the callers then write themselves, and
// every line arrives whole, once.
TEST(LogToStderr, ConcurrentDeferredLinesArriveWholeAndNoneIsLostEvenPastTheQueueBound) {
  SetSink(nullptr);
  const std::string payload(1000, 'x');
  ::testing::internal::CaptureStderr();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &payload] {
      for (int i = 0; i < 2000; ++i) {
        LogDeferred(Level::kInfo, "bulk", {{"thread", t}, {"i", i}, {"pad", payload}});
      }
    });
  }
  for (std::thread& th : threads) th.join();
  Flush();
  const std::vector<std::string> lines = LinesOf(::testing::internal::GetCapturedStderr(), "bulk");
  ASSERT_EQ(lines.size(), 8000u);
  std::set<std::string> distinct;
  for (const std::string& line : lines) {
    ASSERT_EQ(line.front(), '{');
    ASSERT_EQ(line.back(), '}');
    distinct.insert(line.substr(line.find("\"thread\"")));
  }
  EXPECT_EQ(distinct.size(), 8000u);
}

// A phase lasts from the previous lap to this one; the line lists every phase in order, then the
// total since the start, which covers them all.
TEST_F(LogTest, APhaseClockLogsEachPhaseInOrderAndTheTotal) {
  const absl::Time start = absl::Now() - absl::Milliseconds(40);
  PhaseClock clock(start);
  EXPECT_GE(clock.Lap("fetch_ms"), 40);
  absl::SleepFor(absl::Milliseconds(15));
  EXPECT_GE(clock.Lap("solve_ms"), 15);
  ASSERT_EQ(clock.laps().size(), 2u);
  EXPECT_EQ(clock.laps()[0].first, "fetch_ms");
  clock.Log("plan_created", {{"agency", "73.71"}});
  ASSERT_EQ(lines_.size(), 1u);
  const std::string& line = lines_[0];
  const size_t agency = line.find("\"agency\":\"73.71\"");
  const size_t fetch = line.find("\"fetch_ms\":");
  const size_t solve = line.find("\"solve_ms\":");
  const size_t total = line.find("\"total_ms\":");
  ASSERT_NE(total, std::string::npos) << line;
  EXPECT_LT(agency, fetch);
  EXPECT_LT(fetch, solve);
  EXPECT_LT(solve, total);
  EXPECT_GE(std::stoll(line.substr(total + 11)), clock.laps()[0].second + clock.laps()[1].second);
}

// A phase lapped twice adds up in its first place; Add records a phase timed elsewhere without
// ending the running lap, and Skip ends that lap unnamed (its time belongs to the Add()ed ones).
TEST_F(LogTest, APhaseClockAddsRepeatedAndConcurrentPhases) {
  PhaseClock clock(absl::Now() - absl::Milliseconds(20));
  const int64_t first = clock.Lap("preparation_ms");
  EXPECT_GE(first, 20);
  absl::SleepFor(absl::Milliseconds(300));
  clock.Add("fetch_ms", 7);
  clock.Skip();
  absl::SleepFor(absl::Milliseconds(10));
  const int64_t second = clock.Lap("preparation_ms");
  EXPECT_GE(second, 10);
  EXPECT_LT(second, 300) << "Skip ended the fetch's time: it is not preparation";
  ASSERT_EQ(clock.laps().size(), 2u);
  EXPECT_EQ(clock.laps()[0].first, "preparation_ms");
  EXPECT_EQ(clock.laps()[0].second, first + second);
  EXPECT_EQ(clock.laps()[1].first, "fetch_ms");
  EXPECT_EQ(clock.laps()[1].second, 7);
}

}  // namespace
}  // namespace seimbang::log
