#ifndef SEIMBANG_COMMON_LOG_LOG_H_
#define SEIMBANG_COMMON_LOG_LOG_H_

// Structured logging: one JSON object per line on stderr, e.g.
//   {"ts":"2025-06-01T08:30:00.123Z","level":"info","event":"rpc","code":"OK","ms":3}
// Never log personal data beyond a masked NIP (domain::MaskNip).

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace seimbang::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// "debug", "info", "warn", "error".
[[nodiscard]] std::string_view LevelName(Level level);
// Case-insensitive name as above; "warning" is accepted for "warn".
// Otherwise INVALID_ARGUMENT:
//   unknown log level "verbose" (expected debug, info, warn or error)
[[nodiscard]] absl::StatusOr<Level> ParseLevel(std::string_view name);

// Lines below the level are dropped. Default kInfo. Thread-safe.
void SetLevel(Level level);
[[nodiscard]] Level GetLevel();
[[nodiscard]] bool Enabled(Level level);

// One key/value of a log line. Integers are widened to int64 (unsigned values
// above INT64_MAX wrap; don't log those).
struct Field {
  using Value = std::variant<std::string, int64_t, double, bool>;

  Field(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, absl::string_view v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string(v == nullptr ? "" : v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Field(std::string_view k, T v) : key(k), value(static_cast<int64_t>(v)) {}

  std::string key;
  Value value;
};

// Receives each complete line, without the trailing newline.
using Sink = std::function<void(std::string_view line)>;

// Sends lines to `sink` instead of stderr (nullptr restores stderr) and
// returns the previous sink. Meant for tests; calls to the sink are
// serialised, so it need not be thread-safe itself.
Sink SetSink(Sink sink);

// Writes one line if `level` is enabled. Fields named "ts", "level" or
// "event" are written as "_ts", "_level", "_event" so they cannot hide the
// line's own. Thread-safe: each line reaches stderr whole (lines are never
// interleaved), before Log returns, after every deferred line logged before it.
void Log(Level level, std::string_view event, absl::Span<const Field> fields = {});

// Log for lines on a hot path (one per served RPC): the line is formatted now and queued in
// order, and a writer thread sends what is queued to stderr in one write() at most
// kDeferredFlushMs later, or at once when 64 KiB are waiting. The calling thread (gRPC's, which
// is about to answer) makes no system call. Nothing is dropped: with 4 MiB waiting (stderr
// blocked) the caller writes them itself. A Log line, Flush() and a normal exit (atexit) write
// the queue first; a process killed outright loses at most the last kDeferredFlushMs of
// deferred lines. With a sink set (tests) the line goes to the sink at once, like Log's.
// The writer sleeps while nothing is queued, and is named kDeferredWriterThreadName.
inline constexpr int kDeferredFlushMs = 50;
inline constexpr char kDeferredWriterThreadName[] = "seimbang-log";
void LogDeferred(Level level, std::string_view event, absl::Span<const Field> fields = {});
// Writes the deferred lines still queued. Thread-safe.
void Flush();

inline void Debug(std::string_view event, absl::Span<const Field> fields = {}) {
  Log(Level::kDebug, event, fields);
}
inline void Info(std::string_view event, absl::Span<const Field> fields = {}) {
  Log(Level::kInfo, event, fields);
}
inline void Warn(std::string_view event, absl::Span<const Field> fields = {}) {
  Log(Level::kWarn, event, fields);
}
inline void Error(std::string_view event, absl::Span<const Field> fields = {}) {
  Log(Level::kError, event, fields);
}

// The line Log() would write at time `ts` (no newline). Exposed for tests.
[[nodiscard]] std::string FormatLine(absl::Time ts, Level level, std::string_view event,
                                     absl::Span<const Field> fields);

// Appends `s` as a quoted JSON string: quotes, backslashes and control
// characters are escaped; bytes that are not valid UTF-8 become U+FFFD.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace seimbang::log

#endif  // SEIMBANG_COMMON_LOG_LOG_H_
