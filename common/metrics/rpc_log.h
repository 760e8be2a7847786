#ifndef SEIMBANG_COMMON_METRICS_RPC_LOG_H_
#define SEIMBANG_COMMON_METRICS_RPC_LOG_H_

#include <string>

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

// Writes the record as one JSON line through common/log ("event":"rpc").
void LogRpc(const RpcLogRecord& record);

}  // namespace seimbang::metrics

#endif  // SEIMBANG_COMMON_METRICS_RPC_LOG_H_
