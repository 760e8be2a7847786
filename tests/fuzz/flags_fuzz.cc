// Fuzzes the common server flags: the input is split into arguments on NUL
// and newline; an argument "@NAME=VALUE" goes into the environment instead.
// Whatever the arguments, parsing returns a config or INVALID_ARGUMENT.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/server/config.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace server = seimbang::server;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  std::vector<std::string> args = {"seimbang-fuzz"};
  server::Env env;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\0' && text[i] != '\n') continue;
    std::string token(text.substr(start, i - start));
    start = i + 1;
    if (token.size() > 1 && token[0] == '@') {
      const size_t eq = token.find('=');
      env[token.substr(1, eq == std::string::npos ? std::string::npos : eq - 1)] =
          eq == std::string::npos ? "" : token.substr(eq + 1);
    } else {
      args.push_back(std::move(token));
    }
  }
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);  // like the real argv

  const server::ServerDefaults defaults{"personnel", "0.0.0.0:7001", "0.0.0.0:9101"};
  const std::vector<server::ExtraFlag> extra = {
      {"workload-addr", "SEIMBANG_WORKLOAD_ADDR", "localhost:7002", "workload-analysis", false},
      {"dry-run", "SEIMBANG_DRY_RUN", "", "plan without saving", true},
  };
  absl::StatusOr<server::ServerConfig> config =
      server::ParseServerConfig(static_cast<int>(args.size()), argv.data(), env, defaults, extra);
  if (!config.ok()) {
    SEIMBANG_FUZZ_CHECK_REJECTION(config.status());
  } else if (!config->help) {  // --help returns before validation, by design
    SEIMBANG_FUZZ_CHECK(
        config->extra.count("workload-addr") == 1 && config->extra.count("dry-run") == 1,
        "extra flag missing from the config");
    SEIMBANG_FUZZ_CHECK(config->extra.size() == 2, "internal keys leaked into extra");
    SEIMBANG_FUZZ_CHECK(server::IsHostPort(config->listen), "listen '%s' accepted",
                        config->listen.c_str());
    SEIMBANG_FUZZ_CHECK(config->health_listen.empty() || server::IsHostPort(config->health_listen),
                        "health listen '%s' accepted", config->health_listen.c_str());
    SEIMBANG_FUZZ_CHECK(config->shutdown_grace >= absl::ZeroDuration(), "negative grace");
    SEIMBANG_FUZZ_CHECK(config->insecure_dev || !config->auth_public_key_file.empty() ||
                            !config->auth_hs256_secret_file.empty(),
                        "no auth and not --insecure-dev accepted");
  }
  for (const std::string& a : args) (void)server::IsHostPort(a);
  (void)server::HelpText("seimbang-fuzz", defaults, extra);
  return 0;
}
