#include "common/log/log.h"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/domain/enum_names.h"

namespace seimbang::log {
namespace {

// "warning" is accepted as an alias of "warn"; the first entry of a level is its name.
constexpr domain::EnumName<Level> kLevelNames[] = {{Level::kDebug, "debug"},
                                                   {Level::kInfo, "info"},
                                                   {Level::kWarn, "warn"},
                                                   {Level::kError, "error"},
                                                   {Level::kWarn, "warning"}};
static_assert(domain::CoversEveryValue(kLevelNames, Level::kDebug, Level::kError));

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

absl::Mutex g_sink_mu;
// Heap-allocated and never freed so logging during static destruction is safe.
Sink& SinkSlot() ABSL_EXCLUSIVE_LOCKS_REQUIRED(g_sink_mu) {
  static Sink* sink = new Sink();
  return *sink;
}

// LogDeferred's queue: lines in the order they were logged, written by one writer thread.
// Heap-allocated and never freed, like the sink, so that logging and the atexit Flush stay safe
// during static destruction (the writer thread is detached and may still be waiting then).
constexpr size_t kWakeBytes = 64 * 1024;
constexpr size_t kMaxQueuedBytes = 4 * 1024 * 1024;
struct DeferredQueue {
  std::string lines;
  // Signalled when kWakeBytes are waiting, and by the first line queued while the writer sleeps.
  absl::CondVar wake;
  bool writer_started = false;
  bool writer_idle = false;  // the writer found nothing queued and waits for a line, untimed
};
DeferredQueue& Queue() ABSL_EXCLUSIVE_LOCKS_REQUIRED(g_sink_mu) {
  static DeferredQueue* queue = new DeferredQueue();
  return *queue;
}
// Held while lines are written to stderr, taken before g_sink_mu: lines taken from the queue
// (and a Log line after them) reach stderr in the order they were queued.
absl::Mutex& WriteMutex() {
  static absl::Mutex* mu = new absl::Mutex();
  return *mu;
}

void WriteDeferredLines() {
  pthread_setname_np(pthread_self(), kDeferredWriterThreadName);
  for (;;) {
    {
      absl::MutexLock lock(&g_sink_mu);
      DeferredQueue& q = Queue();
      // Nothing queued: sleep until a line is (an idle service does not wake every 50 ms).
      while (q.lines.empty()) {
        q.writer_idle = true;
        q.wake.Wait(&g_sink_mu);
      }
      q.writer_idle = false;
      // Then gather for up to kDeferredFlushMs, so a busy service writes in few write() calls.
      if (q.lines.size() < kWakeBytes) {
        q.wake.WaitWithTimeout(&g_sink_mu, absl::Milliseconds(kDeferredFlushMs));
      }
    }
    Flush();
  }
}

void WriteStderr(std::string_view line) {
  // A loop, because write() may be partial or interrupted; the mutex held by
  // the caller keeps concurrent lines from interleaving even then.
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report a failing stderr
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

// Length of the valid UTF-8 sequence at the start of `s`, or 0 if invalid
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(1) > 0x9F) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && b(1) > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

void AppendKey(std::string* out, std::string_view key) {
  if (key == "ts" || key == "level" || key == "event") {
    AppendJsonString(out, absl::StrCat("_", absl::string_view(key.data(), key.size())));
  } else {
    AppendJsonString(out, key);
  }
}

void AppendValue(std::string* out, const Field::Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    AppendJsonString(out, *s);
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    absl::StrAppend(out, *i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    if (!std::isfinite(*d)) {
      out->append("null");  // JSON has no NaN or infinity
      return;
    }
    char buf[32];
    // Shortest text that reads back as the same double.
    const std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), *d);
    out->append(buf, r.ptr);
  } else {
    out->append(std::get<bool>(value) ? "true" : "false");
  }
}

}  // namespace

std::string_view LevelName(Level level) { return domain::NameOf(kLevelNames, level, "unknown"); }

absl::StatusOr<Level> ParseLevel(std::string_view name) {
  const std::string lower = absl::AsciiStrToLower(absl::string_view(name.data(), name.size()));
  if (std::optional<Level> level = domain::FromName(kLevelNames, lower)) return *level;
  return absl::InvalidArgumentError(absl::StrCat("unknown log level \"",
                                                 absl::string_view(name.data(), name.size()),
                                                 "\" (expected debug, info, warn or error)"));
}

void SetLevel(Level level) { g_level.store(static_cast<int>(level), std::memory_order_relaxed); }

Level GetLevel() { return static_cast<Level>(g_level.load(std::memory_order_relaxed)); }

bool Enabled(Level level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

Sink SetSink(Sink sink) {
  absl::MutexLock lock(&g_sink_mu);
  return std::exchange(SinkSlot(), std::move(sink));
}

namespace {
// JSON's two-character escapes; empty for a byte that has none.
std::string_view ShortEscape(unsigned char c) {
  static constexpr std::pair<char, std::string_view> kEscapes[] = {
      {'"', "\\\""}, {'\\', "\\\\"}, {'\n', "\\n"}, {'\r', "\\r"},
      {'\t', "\\t"}, {'\b', "\\b"},  {'\f', "\\f"}};
  if (c >= 0x20 && c != '"' && c != '\\') return {};  // the common case: no table look-up
  for (const auto& [from, to] : kEscapes) {
    if (static_cast<unsigned char>(from) == c) return to;
  }
  return {};
}
}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(s.substr(i));
      if (n == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD for each invalid byte
        ++i;
      } else {
        out->append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    if (std::string_view escape = ShortEscape(c); !escape.empty()) {
      out->append(escape);
    } else if (c < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
    } else {
      out->push_back(static_cast<char>(c));
    }
    ++i;
  }
  out->push_back('"');
}

std::string FormatLine(absl::Time ts, Level level, std::string_view event,
                       absl::Span<const Field> fields) {
  std::string line = "{\"ts\":\"";
  absl::StrAppend(
      &line, absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", ts, absl::UTCTimeZone()), "\",\"level\":\"",
      absl::string_view(LevelName(level).data(), LevelName(level).size()), "\",\"event\":");
  AppendJsonString(&line, event);
  for (const Field& f : fields) {
    line.push_back(',');
    AppendKey(&line, f.key);
    line.push_back(':');
    AppendValue(&line, f.value);
  }
  line.push_back('}');
  return line;
}

void Log(Level level, std::string_view event, absl::Span<const Field> fields) {
  if (!Enabled(level)) return;
  std::string line = FormatLine(absl::Now(), level, event, fields);
  absl::MutexLock write(&WriteMutex());
  std::string out;
  {
    absl::MutexLock lock(&g_sink_mu);
    if (Sink& sink = SinkSlot(); sink) {
      sink(line);
      return;
    }
    out.swap(Queue().lines);  // the deferred lines logged before this one go first
  }
  out.append(line).push_back('\n');
  WriteStderr(out);
}

void LogDeferred(Level level, std::string_view event, absl::Span<const Field> fields) {
  if (!Enabled(level)) return;
  std::string line = FormatLine(absl::Now(), level, event, fields);
  bool full = false;
  {
    absl::MutexLock lock(&g_sink_mu);
    if (Sink& sink = SinkSlot(); sink) {
      sink(line);
      return;
    }
    DeferredQueue& q = Queue();
    if (!q.writer_started) {
      q.writer_started = true;
      std::atexit(&Flush);
      std::thread(&WriteDeferredLines).detach();
    }
    q.lines.append(line).push_back('\n');
    if (q.writer_idle || q.lines.size() >= kWakeBytes) q.wake.Signal();
    full = q.lines.size() >= kMaxQueuedBytes;
  }
  if (full) Flush();  // stderr is not keeping up: wait for it rather than grow or drop
}

void Flush() {
  absl::MutexLock write(&WriteMutex());
  std::string out;
  {
    absl::MutexLock lock(&g_sink_mu);
    out.swap(Queue().lines);
  }
  WriteStderr(out);
}

}  // namespace seimbang::log
