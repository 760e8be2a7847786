#include "common/server/config.h"

#include <cstdlib>
#include <functional>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

extern char** environ;

namespace seimbang::server {
namespace {

struct FlagSpec {
  std::string name;
  std::string env;
  std::string help;
  bool is_bool;
  std::function<void(ServerConfig&, const std::string&)> set;
};

bool ParseBool(const std::string& v) {
  std::string l = absl::AsciiStrToLower(v);
  return l == "1" || l == "true" || l == "yes" || l == "on" || l.empty();
}

std::vector<FlagSpec> CommonFlags() {
  using C = ServerConfig;
  using S = const std::string&;
  return {
      {"listen", "SEIMBANG_LISTEN", "gRPC address, host:port (port 0: any)", false,
       [](C& c, S v) { c.listen = v; }},
      {"metrics-listen", "SEIMBANG_METRICS_LISTEN", "Prometheus /metrics address, host:port", false,
       [](C& c, S v) { c.metrics_listen = v; }},
      {"db", "SEIMBANG_DB", "sqlite:PATH or mysql://USER:PASS@HOST:PORT/DB", false,
       [](C& c, S v) { c.db = v; }},
      {"tls-cert", "SEIMBANG_TLS_CERT", "server certificate PEM file", false,
       [](C& c, S v) { c.tls_cert = v; }},
      {"tls-key", "SEIMBANG_TLS_KEY", "server private key PEM file", false,
       [](C& c, S v) { c.tls_key = v; }},
      {"tls-ca", "SEIMBANG_TLS_CA",
       "CA PEM file; when set, clients must present a certificate it signed", false,
       [](C& c, S v) { c.tls_ca = v; }},
      {"auth-public-key-file", "SEIMBANG_AUTH_PUBLIC_KEY_FILE",
       "RS256/ES256 public key PEM verifying bearer tokens", false,
       [](C& c, S v) { c.auth_public_key_file = v; }},
      {"auth-hs256-secret-file", "SEIMBANG_AUTH_HS256_SECRET_FILE",
       "HS256 secret file verifying bearer tokens", false,
       [](C& c, S v) { c.auth_hs256_secret_file = v; }},
      {"auth-issuer", "SEIMBANG_AUTH_ISSUER", "required token issuer (iss)", false,
       [](C& c, S v) { c.auth_issuer = v; }},
      {"auth-audience", "SEIMBANG_AUTH_AUDIENCE", "required token audience (aud)", false,
       [](C& c, S v) { c.auth_audience = v; }},
      {"page-token-secret-file", "SEIMBANG_PAGE_TOKEN_SECRET_FILE",
       "secret (>= 16 bytes) the page-token key is derived from; the same on every replica "
       "(default: derived from --auth-hs256-secret-file, else a per-process random key)",
       false, [](C& c, S v) { c.page_token_secret_file = v; }},
      {"insecure-dev", "SEIMBANG_INSECURE_DEV",
       "no token checks, every caller is admin: local development only", true,
       [](C& c, S v) { c.insecure_dev = ParseBool(v); }},
      {"log-level", "SEIMBANG_LOG_LEVEL", "debug, info, warn or error", false,
       [](C& c, S v) { c.log_level = v; }},
      {"migrations", "SEIMBANG_MIGRATIONS",
       "apply (migrate, then serve), only (migrate and exit: a once-per-rollout Job) or verify "
       "(refuse to start while a migration is pending)",
       false, [](C& c, S v) { c.migrations = v; }},
      {"port-file", "SEIMBANG_PORT_FILE", "write the bound gRPC port to this file", false,
       [](C& c, S v) { c.port_file = v; }},
      {"metrics-port-file", "SEIMBANG_METRICS_PORT_FILE",
       "write the bound metrics port to this file", false,
       [](C& c, S v) { c.metrics_port_file = v; }},
      {"health-listen", "SEIMBANG_HEALTH_LISTEN",
       "extra plaintext listener serving only grpc.health.v1, for kubelet probes, host:port", false,
       [](C& c, S v) { c.health_listen = v; }},
      {"shutdown-grace", "SEIMBANG_SHUTDOWN_GRACE", "time in-flight RPCs get on SIGTERM, e.g. 10s",
       false, [](C& c, S v) { c.extra["__shutdown-grace"] = v; }},
      {"health-timeout", "SEIMBANG_HEALTH_TIMEOUT",
       "a database ping unanswered this long turns health NOT_SERVING, e.g. 2s", false,
       [](C& c, S v) { c.extra["__health-timeout"] = v; }},
      {"caller-max-calls", "SEIMBANG_CALLER_MAX_CALLS",
       "calls one token subject may have in flight, streams included (0: no limit)", false,
       [](C& c, S v) { c.extra["__caller-max-calls"] = v; }},
      {"caller-max-streams", "SEIMBANG_CALLER_MAX_STREAMS",
       "streaming calls one token subject may have open (0: no limit)", false,
       [](C& c, S v) { c.extra["__caller-max-streams"] = v; }},
      {"service-caller-max-calls", "SEIMBANG_SERVICE_CALLER_MAX_CALLS",
       "--caller-max-calls for role service (the other services)", false,
       [](C& c, S v) { c.extra["__service-caller-max-calls"] = v; }},
      {"service-caller-max-streams", "SEIMBANG_SERVICE_CALLER_MAX_STREAMS",
       "--caller-max-streams for role service", false,
       [](C& c, S v) { c.extra["__service-caller-max-streams"] = v; }},
      {"help", "", "print this help and exit", true, [](C& c, S v) { c.help = ParseBool(v); }},
  };
}

absl::Status Invalid(std::string msg) { return absl::InvalidArgumentError(std::move(msg)); }

// A deferred flag value (see CommonFlags), removed from `extra`; nullopt when not given.
std::optional<std::string> TakeDeferred(ServerConfig& c, const std::string& name) {
  auto it = c.extra.find("__" + name);
  if (it == c.extra.end()) return std::nullopt;
  std::string v = std::move(it->second);
  c.extra.erase(it);
  return v;
}

// Whole seconds ("10") or an absl duration ("1500ms", "2s").
absl::Status ParseDurationFlag(ServerConfig& c, const std::string& name, absl::Duration* out) {
  std::optional<std::string> v = TakeDeferred(c, name);
  if (!v) return absl::OkStatus();
  int secs = 0;
  if (absl::SimpleAtoi(*v, &secs) && secs >= 0) {
    *out = absl::Seconds(secs);
    return absl::OkStatus();
  }
  if (!absl::ParseDuration(*v, out) || *out < absl::ZeroDuration()) {
    return Invalid(absl::StrCat("--", name, ": '", *v, "' is not a duration (e.g. 10s)"));
  }
  return absl::OkStatus();
}

absl::Status ParseCountFlag(ServerConfig& c, const std::string& name, int* out) {
  std::optional<std::string> v = TakeDeferred(c, name);
  if (!v) return absl::OkStatus();
  if (!absl::SimpleAtoi(*v, out) || *out < 0 || *out > 1000000) {
    return Invalid(absl::StrCat("--", name, ": '", *v, "' is not a count 0..1000000"));
  }
  return absl::OkStatus();
}

}  // namespace

Env ProcessEnv() {
  Env env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

bool IsHostPort(std::string_view sv) {
  const absl::string_view s(sv.data(), sv.size());
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  absl::string_view host = s.substr(0, colon);
  if (host.front() == '[' ? host.back() != ']' : absl::StrContains(host, ':')) {
    return false;
  }
  absl::string_view port = s.substr(colon + 1);
  int p = 0;
  return !port.empty() && absl::SimpleAtoi(port, &p) && p >= 0 && p <= 65535 &&
         port.find_first_not_of("0123456789") == absl::string_view::npos;
}

namespace {

// Flags on the command line, after the environment, so a flag overrides its variable.
absl::Status ApplyArguments(int argc, const char* const* argv, const std::vector<FlagSpec>& specs,
                            ServerConfig& c) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (!absl::StartsWith(arg, "--") || arg.size() == 2) {
      return Invalid(absl::StrCat("unexpected argument '", arg, "'"));
    }
    arg.remove_prefix(2);
    std::string name(arg);
    std::string value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      name = std::string(arg.substr(0, eq));
      value = std::string(arg.substr(eq + 1));
      has_value = true;
    }
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& f : specs) {
      if (f.name == name) spec = &f;
    }
    if (spec == nullptr) return Invalid(absl::StrCat("unknown flag --", name));
    if (!has_value && !spec->is_bool) {
      if (i + 1 >= argc) return Invalid(absl::StrCat("--", name, " needs a value"));
      value = argv[++i];
    }
    spec->set(c, value);
  }
  return absl::OkStatus();
}

// The parsed values' ranges and the combinations that make no sense.
absl::Status CheckValues(ServerConfig& c) {
  for (const absl::Status& s :
       {ParseDurationFlag(c, "shutdown-grace", &c.shutdown_grace),
        ParseDurationFlag(c, "health-timeout", &c.health_timeout),
        ParseCountFlag(c, "caller-max-calls", &c.caller_limits.max_calls),
        ParseCountFlag(c, "caller-max-streams", &c.caller_limits.max_streams),
        ParseCountFlag(c, "service-caller-max-calls", &c.caller_limits.service_max_calls),
        ParseCountFlag(c, "service-caller-max-streams", &c.caller_limits.service_max_streams)}) {
    if (!s.ok()) return s;
  }
  if (c.health_timeout < absl::Milliseconds(100)) {
    return Invalid("--health-timeout: at least 100ms");
  }
  if (!IsHostPort(c.listen)) {
    return Invalid(absl::StrCat("--listen: '", c.listen, "' is not host:port"));
  }
  if (!c.metrics_listen.empty() && !IsHostPort(c.metrics_listen)) {
    return Invalid(absl::StrCat("--metrics-listen: '", c.metrics_listen, "' is not host:port"));
  }
  if (!c.health_listen.empty() && !IsHostPort(c.health_listen)) {
    return Invalid(absl::StrCat("--health-listen: '", c.health_listen, "' is not host:port"));
  }
  if (!c.tls_cert.empty() && c.tls_key.empty()) {
    return Invalid("--tls-cert given without --tls-key");
  }
  if (!c.tls_key.empty() && c.tls_cert.empty()) {
    return Invalid("--tls-key given without --tls-cert");
  }
  if (!c.tls_ca.empty() && c.tls_cert.empty()) {
    return Invalid("--tls-ca given without --tls-cert");
  }
  if (!c.auth_public_key_file.empty() && !c.auth_hs256_secret_file.empty()) {
    return Invalid("pass only one of --auth-public-key-file and --auth-hs256-secret-file");
  }
  if (!c.insecure_dev && c.auth_public_key_file.empty() && c.auth_hs256_secret_file.empty()) {
    return Invalid(
        "no auth key configured: pass --auth-public-key-file or "
        "--auth-hs256-secret-file, or --insecure-dev for local development");
  }
  if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" &&
      c.log_level != "error") {
    return Invalid(
        absl::StrCat("--log-level: '", c.log_level, "' is not one of debug, info, warn, error"));
  }
  if (c.migrations != "apply" && c.migrations != "only" && c.migrations != "verify") {
    return Invalid(
        absl::StrCat("--migrations: '", c.migrations, "' is not one of apply, only, verify"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ServerConfig> ParseServerConfig(int argc, const char* const* argv, const Env& env,
                                               const ServerDefaults& defaults,
                                               const std::vector<ExtraFlag>& extra_flags) {
  std::vector<FlagSpec> specs = CommonFlags();
  for (const ExtraFlag& x : extra_flags) {
    const std::string name = x.name;
    specs.push_back({x.name, x.env, x.help, x.is_bool,
                     [name, is_bool = x.is_bool](ServerConfig& c, const std::string& v) {
                       c.extra[name] = is_bool ? (ParseBool(v) ? "true" : "false") : v;
                     }});
  }

  ServerConfig c;
  c.service = defaults.service;
  c.listen = defaults.listen;
  c.metrics_listen = defaults.metrics_listen;
  c.db = absl::StrCat("sqlite:./var/", defaults.service, ".db");
  for (const ExtraFlag& x : extra_flags) c.extra[x.name] = x.default_value;

  // Environment first, so flags parsed afterwards override it.
  for (const FlagSpec& f : specs) {
    if (f.env.empty()) continue;
    auto it = env.find(f.env);
    if (it != env.end()) f.set(c, it->second);
  }

  if (absl::Status s = ApplyArguments(argc, argv, specs, c); !s.ok()) return s;
  if (c.help) return c;

  if (absl::Status s = CheckValues(c); !s.ok()) return s;
  return c;
}

std::string HelpText(std::string_view program, const ServerDefaults& defaults,
                     const std::vector<ExtraFlag>& extra_flags) {
  std::string out = absl::StrCat("Usage: ", std::string(program), " [flags]\n\n",
                                 "Every flag may also be set by the environment "
                                 "variable shown; the flag wins.\n\n");
  auto line = [&](const std::string& name, const std::string& env, const std::string& help,
                  const std::string& def) {
    absl::StrAppend(&out, absl::StrFormat("  --%-24s %s", name, help));
    if (!def.empty()) absl::StrAppend(&out, " (default ", def, ")");
    if (!env.empty()) absl::StrAppend(&out, " [", env, "]");
    out += "\n";
  };
  for (const FlagSpec& f : CommonFlags()) {
    std::string def;
    if (f.name == "listen") def = defaults.listen;
    if (f.name == "metrics-listen") def = defaults.metrics_listen;
    if (f.name == "db") def = absl::StrCat("sqlite:./var/", defaults.service, ".db");
    if (f.name == "log-level") def = "info";
    if (f.name == "shutdown-grace") def = "10s";
    if (f.name == "health-timeout") def = "2s";
    const CallerLimits limits;
    if (f.name == "caller-max-calls") def = absl::StrCat(limits.max_calls);
    if (f.name == "caller-max-streams") def = absl::StrCat(limits.max_streams);
    if (f.name == "service-caller-max-calls") def = absl::StrCat(limits.service_max_calls);
    if (f.name == "service-caller-max-streams") def = absl::StrCat(limits.service_max_streams);
    line(f.name, f.env, f.help, def);
  }
  for (const ExtraFlag& x : extra_flags) line(x.name, x.env, x.help, x.default_value);
  return out;
}

}  // namespace seimbang::server
