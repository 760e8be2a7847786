// seimbang-echo-server: the common bootstrap around a trivial service. Used by
// the server integration test (SIGTERM exit code) and as the framework-limit
// baseline of the benchmarks.
#include <cstdio>
#include <iostream>

#include "common/server/config.h"
#include "common/server/server.h"
#include "tests/integration/server/echo_service.h"

int main(int argc, char** argv) {
  using namespace seimbang;
  server::BlockShutdownSignals();
  const server::ServerDefaults defaults{"echo", "127.0.0.1:7099", "127.0.0.1:0"};
  absl::StatusOr<server::ServerConfig> config =
      server::ParseServerConfig(argc, argv, server::ProcessEnv(), defaults);
  if (!config.ok()) {
    std::cerr << "seimbang-echo-server: " << config.status().message() << "\n";
    return 2;
  }
  if (config->help) {
    std::cout << server::HelpText("seimbang-echo-server", defaults);
    return 0;
  }
  testing::EchoService echo;
  server::ServerHooks hooks;
  hooks.permissions = testing::EchoPermissions();
  return server::RunServer(*config, {&echo}, std::move(hooks));
}
