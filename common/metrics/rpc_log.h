#ifndef SEIMBANG_COMMON_METRICS_RPC_LOG_H_
#define SEIMBANG_COMMON_METRICS_RPC_LOG_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seimbang::metrics {

// The one log line per RPC (ARCHITECTURE.md "Logs"): no payloads, no tokens.
struct RpcLogRecord {
  std::string service;
  std::string method;
  std::string code;  // go-grpc-prometheus name
  double latency_ms = 0;
  std::string request_id;
  std::string caller_role;
};

void LogRpc(const RpcLogRecord& record);

// One JSON line {"time","level","event",fields...} on stderr.
// TODO(lead): both functions become thin calls to seimbang::log::Log once
// common/log exists; callers need not change.
void LogLine(std::string_view level, std::string_view event,
             const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace seimbang::metrics

#endif  // SEIMBANG_COMMON_METRICS_RPC_LOG_H_
