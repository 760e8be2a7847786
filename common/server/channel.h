#ifndef SEIMBANG_COMMON_SERVER_CHANNEL_H_
#define SEIMBANG_COMMON_SERVER_CHANNEL_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/server/config.h"

namespace seimbang::server {

struct ClientTlsOptions {
  std::string ca_file;    // empty: plaintext
  std::string cert_file;  // client certificate for mTLS (with key_file)
  std::string key_file;
  std::string server_name_override;  // tests with a cert for "localhost"
};

// A service calls its peers with its own identity: with --tls-ca it trusts
// that CA and presents its own certificate and key (--tls-cert/--tls-key), so
// mTLS peers accept it; without --tls-ca it calls them in plaintext.
ClientTlsOptions ClientTlsFromConfig(const ServerConfig& config);

struct ChannelOptions {
  ClientTlsOptions tls;
  // Full method names ("/seimbang.personnel.v1.PersonnelService/GetEmployee")
  // safe to retry on UNAVAILABLE; never list a non-idempotent mutation.
  std::vector<std::string> idempotent_methods;
};

// Client keepalive: a ping every 30 s is above the server's 20 s minimum.
inline constexpr int kClientKeepaliveTimeMs = 30 * 1000;

// A channel with round_robin load balancing (use "dns:///svc:port" on a
// headless Service), retries of idempotent methods, keepalive and TLS.
[[nodiscard]] absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const std::string& target, const ChannelOptions& options);

// The service config MakeChannel installs (exposed for tests).
std::string ServiceConfigJson(const std::vector<std::string>& idempotent_methods);

// A context with a deadline `ms` from now, carrying the bearer token (when
// non-empty) and, when non-empty, the request id for the callee's logs.
std::unique_ptr<grpc::ClientContext> ClientContextWithDeadline(int64_t ms,
                                                               const std::string& bearer_token = "",
                                                               const std::string& request_id = "");

// A unary method of a generated stub, e.g. &personnel::v1::PersonnelService::Stub::GetUnit.
template <typename Stub, typename Req, typename Resp>
using UnaryMethod = grpc::Status (Stub::*)(grpc::ClientContext*, const Req&, Resp*);

// Calls `method` of `stub` with `request` in `context`: the response, or the call's failure as
// `map_error(grpc::Status)` says (each caller names the callee its own way).
template <typename Stub, typename Req, typename Resp, typename MapError>
[[nodiscard]] absl::StatusOr<Resp> CallUnary(Stub& stub, UnaryMethod<Stub, Req, Resp> method,
                                             const Req& request, grpc::ClientContext& context,
                                             MapError&& map_error) {
  Resp response;
  grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return map_error(status);
  return response;
}

// The x-request-id of an incoming call, to pass on to downstream calls: a view of the call's
// metadata, valid while the call lasts ("" when it has none).
std::string_view IncomingRequestId(const grpc::ServerContextBase& context);

// The service's own token for its downstream calls: the file --service-token-file names, trimmed;
// "" when the flag is empty (the caller's token is forwarded). NOT_FOUND when it cannot be read.
[[nodiscard]] absl::StatusOr<std::string> ServiceTokenFromConfig(const ServerConfig& config);

// The extra flag `name` as a deadline in milliseconds; INVALID_ARGUMENT unless it is a positive
// whole number.
[[nodiscard]] absl::StatusOr<int64_t> DeadlineMsFromConfig(const ServerConfig& config,
                                                           const std::string& name);

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_CHANNEL_H_
