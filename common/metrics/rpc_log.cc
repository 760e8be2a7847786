#include "common/metrics/rpc_log.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace seimbang::metrics {
namespace {

// TODO(lead): route through seimbang::log::Log once common/log exists; this
// stand-in writes the same JSON line shape to stderr.
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace

void LogLine(std::string_view level, std::string_view event,
             const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string line = absl::StrCat(
      "{\"time\":",
      JsonString(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone())),
      ",\"level\":", JsonString(level), ",\"event\":", JsonString(event));
  for (const auto& [k, v] : fields) {
    absl::StrAppend(&line, ",", JsonString(k), ":", JsonString(v));
  }
  line += "}\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void LogRpc(const RpcLogRecord& r) {
  std::string line = absl::StrCat(
      "{\"time\":",
      JsonString(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone())),
      ",\"level\":\"info\",\"event\":\"rpc\",\"service\":", JsonString(r.service),
      ",\"method\":", JsonString(r.method), ",\"code\":", JsonString(r.code),
      ",\"latency_ms\":", absl::StrFormat("%.3f", r.latency_ms),
      ",\"request_id\":", JsonString(r.request_id), ",\"caller_role\":", JsonString(r.caller_role),
      "}\n");
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace seimbang::metrics
