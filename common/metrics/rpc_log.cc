#include "common/metrics/rpc_log.h"

#include "common/log/log.h"

namespace seimbang::metrics {

void LogRpc(const RpcLogRecord& r) {
  // Failed calls at info too: the code field says how it ended; warn is for the server's own state.
  // Deferred: written by the log's writer thread, not on the thread about to answer the call.
  log::LogDeferred(log::Level::kInfo, "rpc",
                   {{"service", r.service},
                    {"method", r.method},
                    {"code", r.code},
                    {"latency_ms", r.latency_ms},
                    {"request_id", r.request_id},
                    {"caller_role", r.caller_role}});
}

}  // namespace seimbang::metrics
