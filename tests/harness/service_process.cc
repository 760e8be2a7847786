#include "tests/harness/service_process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace seimbang::testing {
namespace {

int ReadPort(const std::string& path) {
  std::ifstream in(path);
  int port = 0;
  if (in >> port) return port;
  return 0;
}

std::string ReadTail(const std::string& path, size_t max_bytes = 4000) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > max_bytes ? s.substr(s.size() - max_bytes) : s;
}

}  // namespace

std::string BinDir() {
  if (const char* dir = std::getenv("SEIMBANG_BIN_DIR"); dir != nullptr) return dir;
  // Test binaries live in build/bin/tests: the services are one folder up.
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n <= 0) return "build/bin";
  std::string path(exe, static_cast<size_t>(n));
  path = path.substr(0, path.rfind('/'));  // build/bin/tests
  return path.substr(0, path.rfind('/'));  // build/bin
}

absl::StatusOr<ServiceProcess> ServiceProcess::Start(const std::string& binary,
                                                     ServiceProcessOptions options) {
  std::string path = binary.find('/') == std::string::npos ? BinDir() + "/" + binary : binary;
  if (access(path.c_str(), X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat("service binary not found: ", path));
  }
  char tmpl[] = "/tmp/seimbang-svc-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return absl::InternalError("mkdtemp failed");
  ServiceProcess p;
  p.dir_ = tmpl;
  p.log_path_ = p.dir_ + "/stderr.log";
  const std::string port_file = p.dir_ + "/port";
  const std::string metrics_port_file = p.dir_ + "/metrics-port";

  std::vector<std::string> args = {path, "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                                   "--port-file=" + port_file,
                                   "--metrics-port-file=" + metrics_port_file};
  args.insert(args.end(), options.args.begin(), options.args.end());

  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    int fd = open(p.log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    // Die with the test: a crashed test must not leave servers behind.
    setpgid(0, 0);
    for (const std::string& kv : options.env) putenv(strdup(kv.c_str()));
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(path.c_str(), argv.data());
    _exit(127);
  }
  p.pid_ = pid;
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.startup_timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      p.pid_ = -1;
      return absl::InternalError(absl::StrCat(binary, " exited during start-up (status ", status,
                                              "):\n", ReadTail(p.log_path_)));
    }
    p.port_ = ReadPort(port_file);
    if (p.port_ > 0) {
      p.metrics_port_ = ReadPort(metrics_port_file);
      p.address_ = absl::StrCat("127.0.0.1:", p.port_);
      return p;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  p.Kill();
  return absl::DeadlineExceededError(
      absl::StrCat(binary, " did not report its port in time:\n", ReadTail(p.log_path_)));
}

ServiceProcess::ServiceProcess(ServiceProcess&& o) noexcept { *this = std::move(o); }

ServiceProcess& ServiceProcess::operator=(ServiceProcess&& o) noexcept {
  if (this != &o) {
    if (pid_ > 0) Kill();
    pid_ = o.pid_;
    port_ = o.port_;
    metrics_port_ = o.metrics_port_;
    address_ = std::move(o.address_);
    dir_ = std::move(o.dir_);
    log_path_ = std::move(o.log_path_);
    exit_code_ = o.exit_code_;
    o.pid_ = -1;
    o.dir_.clear();
  }
  return *this;
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) Stop(5000);
  // A service that stopped cleanly takes its run directory (port files, stderr.log) with it;
  // one that crashed, was killed or failed to stop keeps it for the post-mortem, and so does
  // every one when SEIMBANG_KEEP_SERVICE_LOGS is set.
  const char* keep = std::getenv("SEIMBANG_KEEP_SERVICE_LOGS");
  const bool clean = exit_code_ == 0 || exit_code_ == 128 + SIGTERM;  // ended by our SIGTERM
  if (clean && !dir_.empty() && (keep == nullptr || *keep == '\0')) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

bool ServiceProcess::Running() const { return pid_ > 0 && kill(pid_, 0) == 0; }

int ServiceProcess::Stop(int timeout_ms) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  return 128 + SIGKILL;
}

void ServiceProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  exit_code_ = 128 + SIGKILL;
}

std::string TransferBinaryFor(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a.rfind("--test-", 0) == 0) return "transfer-service-testhooks";
  }
  return "transfer-service";
}

}  // namespace seimbang::testing
