#include "common/server/channel.h"

#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/auth/verifier.h"
#include "common/server/limits.h"

namespace seimbang::server {

std::string ServiceConfigJson(const std::vector<std::string>& idempotent_methods) {
  std::vector<std::string> names;
  for (std::string_view m : idempotent_methods) {
    if (!m.empty() && m.front() == '/') m.remove_prefix(1);
    size_t slash = m.rfind('/');
    if (slash == std::string_view::npos) continue;
    names.push_back(absl::StrCat("{\"service\":\"", std::string(m.substr(0, slash)),
                                 "\",\"method\":\"", std::string(m.substr(slash + 1)), "\"}"));
  }
  std::string json = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]";
  if (!names.empty()) {
    absl::StrAppend(&json, ",\"methodConfig\":[{\"name\":[", absl::StrJoin(names, ","),
                    "],\"retryPolicy\":{\"maxAttempts\":4,\"initialBackoff\":\"0.1s\","
                    "\"maxBackoff\":\"2s\",\"backoffMultiplier\":2,"
                    "\"retryableStatusCodes\":[\"UNAVAILABLE\"]}}]");
  }
  return json + "}";
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const std::string& target,
                                                           const ChannelOptions& o) {
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (o.tls.ca_file.empty()) {
    creds = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    absl::StatusOr<std::string> ca = auth::ReadKeyFile(o.tls.ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    if (!o.tls.cert_file.empty()) {
      absl::StatusOr<std::string> cert = auth::ReadKeyFile(o.tls.cert_file);
      if (!cert.ok()) return cert.status();
      absl::StatusOr<std::string> key = auth::ReadKeyFile(o.tls.key_file);
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *cert;
      ssl.pem_private_key = *key;
    }
    creds = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(ServiceConfigJson(o.idempotent_methods));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, kClientKeepaliveTimeMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  // Replies may be as large as a server may send (the default is 4 MiB).
  args.SetMaxReceiveMessageSize(kMaxSendMessageBytes);
  if (!o.tls.server_name_override.empty()) {
    args.SetSslTargetNameOverride(o.tls.server_name_override);
  }
  return grpc::CreateCustomChannel(target, creds, args);
}

ClientTlsOptions ClientTlsFromConfig(const ServerConfig& config) {
  ClientTlsOptions tls;
  if (config.tls_ca.empty()) return tls;
  tls.ca_file = config.tls_ca;
  tls.cert_file = config.tls_cert;
  tls.key_file = config.tls_key;
  return tls;
}

std::unique_ptr<grpc::ClientContext> ClientContextWithDeadline(int64_t ms,
                                                               const std::string& bearer_token,
                                                               const std::string& request_id) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(ms));
  if (!bearer_token.empty()) {
    ctx->AddMetadata("authorization", absl::StrCat("Bearer ", bearer_token));
  }
  if (!request_id.empty()) ctx->AddMetadata("x-request-id", request_id);
  return ctx;
}

std::string_view IncomingRequestId(const grpc::ServerContextBase& context) {
  const auto& md = context.client_metadata();
  auto it = md.find("x-request-id");
  if (it == md.end()) return {};
  return std::string_view(it->second.data(), it->second.size());
}

absl::StatusOr<std::string> ServiceTokenFromConfig(const ServerConfig& config) {
  const std::string& path = config.extra.at("service-token-file");
  if (path.empty()) return std::string();
  absl::StatusOr<std::string> s = auth::ReadKeyFile(path);
  if (!s.ok()) {
    return absl::NotFoundError(absl::StrCat("--service-token-file: cannot read ", path));
  }
  return std::string(absl::StripAsciiWhitespace(*s));
}

absl::StatusOr<int64_t> DeadlineMsFromConfig(const ServerConfig& config, const std::string& name) {
  int64_t ms = 0;
  if (!absl::SimpleAtoi(config.extra.at(name), &ms) || ms <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " must be a positive number of milliseconds"));
  }
  return ms;
}

}  // namespace seimbang::server
