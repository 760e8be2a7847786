#ifndef SEIMBANG_COMMON_SERVER_CONFIG_H_
#define SEIMBANG_COMMON_SERVER_CONFIG_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/server/limits.h"

namespace seimbang::server {

// A flag a service adds to the common ones (e.g. --personnel-addr).
struct ExtraFlag {
  std::string name;           // without dashes: "personnel-addr"
  std::string env;            // "SEIMBANG_PERSONNEL_ADDR"; empty for none
  std::string default_value;  // used when neither flag nor env is given
  std::string help;
  bool is_bool = false;  // given as --name, takes no value
};

// Per-service defaults the caller passes in.
struct ServerDefaults {
  std::string service;         // "personnel": names the default db file
  std::string listen;          // "0.0.0.0:7001"
  std::string metrics_listen;  // "0.0.0.0:9101"
};

struct ServerConfig {
  std::string service;
  std::string listen;
  std::string metrics_listen;
  std::string db;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;  // when set, clients must present a cert signed by it
  std::string auth_public_key_file;
  std::string auth_hs256_secret_file;
  std::string auth_issuer;
  std::string auth_audience;
  // Secret the page-token key is derived from (common/paging); empty: the HS256
  // auth secret, else a per-process random key (see SECURITY.md, issue 15 item 7).
  std::string page_token_secret_file;
  bool insecure_dev = false;
  std::string log_level = "info";
  // --migrations: "apply" (default: bring the schema up to date, then serve), "only" (bring
  // it up to date and exit 0: a Kubernetes Job run once per rollout), or "verify" (change
  // nothing; refuse to start while a migration is pending: the replicas of a rollout whose
  // Job migrates).
  std::string migrations = "apply";
  std::string port_file;          // the bound port is written here (tests)
  std::string metrics_port_file;  // the bound metrics port is written here (tests)
  // Plaintext listener with only grpc.health.v1: kubelet gRPC probes cannot
  // speak TLS. Empty: none.
  std::string health_listen;
  absl::Duration shutdown_grace = absl::Seconds(10);
  // A store probe (the pool's ping) still unanswered after this turns health NOT_SERVING while
  // it keeps waiting; its answer decides again. Also the ping connection's read/write timeout.
  absl::Duration health_timeout = absl::Seconds(2);
  // Per token subject; see limits.h.
  CallerLimits caller_limits;
  bool help = false;                         // --help: print HelpText and exit 0
  std::map<std::string, std::string> extra;  // by ExtraFlag::name
};

using Env = std::map<std::string, std::string>;

// The process environment, for ParseServerConfig's `env`.
Env ProcessEnv();

// Flags win over environment variables, which win over defaults. Errors are
// INVALID_ARGUMENT with the message to print, e.g. "unknown flag --lisen".
[[nodiscard]] absl::StatusOr<ServerConfig> ParseServerConfig(
    int argc, const char* const* argv, const Env& env, const ServerDefaults& defaults,
    const std::vector<ExtraFlag>& extra_flags = {});

std::string HelpText(std::string_view program, const ServerDefaults& defaults,
                     const std::vector<ExtraFlag>& extra_flags = {});

// Checks "host:port" (IPv6 as "[::1]:7001"); port 0..65535.
[[nodiscard]] bool IsHostPort(std::string_view s);

}  // namespace seimbang::server

#endif  // SEIMBANG_COMMON_SERVER_CONFIG_H_
