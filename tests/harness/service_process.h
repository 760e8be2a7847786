#pragma once

// Starts a Seimbang service binary on free loopback ports for end-to-end tests
// and stops it when the fixture goes out of scope (SIGTERM, then SIGKILL).

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace seimbang::testing {

struct ServiceProcessOptions {
  std::vector<std::string> args;  // Extra flags, e.g. {"--db=sqlite:/tmp/x.db", "--insecure-dev"}.
  std::vector<std::string> env;   // Extra "KEY=VALUE" entries.
  int startup_timeout_ms = 20000;
};

class ServiceProcess {
 public:
  // `binary` is a file name in BinDir() (build/bin) or a path. The process
  // gets --listen=127.0.0.1:0 --metrics-listen=127.0.0.1:0 --port-file=F and
  // --metrics-port-file=F2; Start returns once the port file names the bound port.
  static absl::StatusOr<ServiceProcess> Start(const std::string& binary,
                                              ServiceProcessOptions options = {});

  ServiceProcess(ServiceProcess&& other) noexcept;
  ServiceProcess& operator=(ServiceProcess&& other) noexcept;
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;
  ~ServiceProcess();

  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  int port() const { return port_; }
  int metrics_port() const { return metrics_port_; }  // 0 when not reported.
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }  // stderr of the process.

  // Sends SIGTERM and waits up to `timeout_ms`; returns the exit code
  // (128 + signal when killed by one).
  int Stop(int timeout_ms = 15000);
  // SIGKILL, as a crash would.
  void Kill();
  bool Running() const;

 private:
  ServiceProcess() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  int metrics_port_ = 0;
  std::string address_;
  std::string dir_;
  std::string log_path_;
  int exit_code_ = -1;  // of the last Stop or Kill; -1 while running or never started
};

// The build's bin directory: $SEIMBANG_BIN_DIR, else the folder above the
// running test binary (build/bin/tests -> build/bin).
std::string BinDir();

// "transfer-service-testhooks" when `args` hold a --test-* flag (the fault
// hooks exist only in that build), else the shipped "transfer-service".
std::string TransferBinaryFor(const std::vector<std::string>& args);

}  // namespace seimbang::testing
