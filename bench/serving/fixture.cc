#include "bench/serving/fixture.h"

#include <grpcpp/grpcpp.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tests/harness/raw_call.h"
#include "tests/support/http.h"
#include "tests/support/test_db.h"
#include "tools/csv/columns.h"
#include "tools/datagen/generator.h"
#include "tools/seimbangctl/cli.h"

namespace seimbang::bench {
namespace {

using Clock = std::chrono::steady_clock;

absl::Status RunScript(const std::string& script, const std::string& verb, const std::string& dir) {
  const std::string log = dir + ".log";
  const std::string cmd = absl::StrCat("'", script, "' ", verb, " '", dir, "' >'", log, "' 2>&1");
  if (std::system(cmd.c_str()) != 0) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    return absl::InternalError(absl::StrCat(script, " ", verb, " failed:\n", text.str()));
  }
  std::filesystem::remove(log);
  return absl::OkStatus();
}

bool Serving(const std::shared_ptr<grpc::Channel>& channel) {
  return testing::HealthStatus(channel, 500) == "SERVING";
}

// Whether something accepts TCP connections on the loopback `port` (refused at once before).
bool Accepts(int port) {
  const int fd = testsupport::ConnectLoopback(port);
  if (fd >= 0) close(fd);
  return fd >= 0;
}

// From construction (just before exec), polls `port` every millisecond until the server there
// answers SERVING: a gRPC channel only once the port accepts, as a refused channel would back
// off for a second.
class ServingWatch {
 public:
  explicit ServingWatch(int port)
      : port_(port), t0_(Clock::now()), thread_([this, port] { Run(port); }) {}
  ~ServingWatch() {
    stop_ = true;
    thread_.join();
  }
  // Milliseconds from exec to SERVING, -1 when `p` exited or 60 s passed first. A binary that
  // listens elsewhere (minimal-echo-server ignores --listen) is polled where it reported.
  double Wait(const testing::ServiceProcess& p) {
    std::shared_ptr<grpc::Channel> elsewhere;
    if (p.port() != port_) {
      elsewhere = grpc::CreateChannel(p.address(), grpc::InsecureChannelCredentials());
    }
    while (elsewhere != nullptr ? !Serving(elsewhere) : !done_) {
      if (Clock::now() - t0_ > std::chrono::seconds(60) || !p.Running()) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return elsewhere != nullptr ? MsSince(t0_) : serving_ms_.load();
  }

 private:
  void Run(int port) {
    std::shared_ptr<grpc::Channel> channel;
    while (!stop_) {
      if (channel == nullptr && Accepts(port)) {
        channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                      grpc::InsecureChannelCredentials());
      }
      if (channel != nullptr && Serving(channel)) {
        serving_ms_ = MsSince(t0_);
        done_ = true;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  static double MsSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  }
  const int port_;
  const Clock::time_point t0_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  std::atomic<double> serving_ms_{0};  // set before done_
  std::thread thread_;
};

// The "startup" line of the service's log `path` ("" when it has none).
std::string StartupLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("\"event\":\"startup\"") != std::string::npos) return line;
  }
  return "";
}

double RssMib(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      double kib = 0;
      in >> kib;
      return kib / 1024.0;
    }
    std::string rest;
    std::getline(in, rest);
  }
  return 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<MariaDbServer>> MariaDbServer::Start(const std::string& script,
                                                                    const std::string& dir) {
  if (absl::Status st = RunScript(script, "start", dir); !st.ok()) return st;
  return std::unique_ptr<MariaDbServer>(new MariaDbServer(script, dir));
}

MariaDbServer::~MariaDbServer() { (void)RunScript(script_, "stop", dir_); }

absl::StatusOr<std::string> FreshDatabase(const std::string& dsn_file, std::string_view prefix) {
  // The test helper reads the harness's DSN file from this variable.
  setenv("SEIMBANG_TEST_MARIADB_DSN_FILE", dsn_file.c_str(), 1);
  return testsupport::FreshMariaDbDsn(prefix);
}

absl::StatusOr<int64_t> WriteMakassarDataset(const std::string& dir, int64_t max_employees) {
  datagen::Options options;
  options.profile = datagen::Profile::kMakassar;
  options.seed = 1;
  options.out_dir = dir;
  absl::StatusOr<datagen::Counts> counts = datagen::Generate(options);
  if (!counts.ok()) return counts.status();
  int64_t employees = counts->employees;
  if (max_employees > 0 && max_employees < employees) {
    // Datagen writes one record per line (no quoted line breaks), so lines are records.
    const std::string path = dir + "/employees.csv";
    std::ifstream in(path);
    std::string line, kept;
    for (int64_t i = 0; i <= max_employees && std::getline(in, line); ++i) {
      absl::StrAppend(&kept, line, "\n");
    }
    in.close();
    std::ofstream(path, std::ios::trunc) << kept;
    employees = max_employees;
  }
  std::ofstream(dir + "/workloads.csv", std::ios::trunc)
      << absl::StrJoin(csv::WorkloadColumns(), ",") << "\n";
  std::ofstream(dir + "/signals.csv", std::ios::trunc)
      << absl::StrJoin(csv::SignalColumns(), ",") << "\n";
  return employees;
}

absl::Status ImportDataset(const std::string& dir, const std::string& personnel,
                           const std::string& workload) {
  std::ostringstream out, err;
  const int rc = ctl::RunCli({"--personnel", personnel, "--workload", workload, "import", dir},
                             /*env=*/{}, out, err);
  if (rc != ctl::kExitOk) {
    return absl::InternalError(
        absl::StrCat("seimbangctl import exited ", rc, ":\n", out.str(), err.str()));
  }
  return absl::OkStatus();
}

std::vector<std::pair<std::string, double>> MsFields(const std::string& line) {
  std::vector<std::pair<std::string, double>> out;
  for (size_t at = line.find("_ms\":"); at != std::string::npos; at = line.find("_ms\":", at + 1)) {
    const size_t open = line.rfind('"', at);
    if (open == std::string::npos) continue;
    const std::string name = line.substr(open + 1, at + 3 - open - 1);
    const size_t from = at + 5, to = line.find_first_of(",}", from);
    double v = 0;
    if (absl::SimpleAtod(line.substr(from, to - from), &v)) out.emplace_back(name, v);
  }
  return out;
}

absl::StatusOr<StartedService> StartTimed(const std::string& name, const std::string& database,
                                          const std::string& binary, std::vector<std::string> args,
                                          double idle_seconds) {
  args.push_back("--insecure-dev");
  absl::Status last;
  // A port picked here may be taken by someone else before the service binds it: try again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int port = testsupport::FreeLoopbackPort();
    if (port == 0) return absl::InternalError("no free loopback port");
    testing::ServiceProcessOptions options;
    options.args = args;
    // After the harness's --listen=127.0.0.1:0, so it wins.
    options.args.push_back(absl::StrCat("--listen=127.0.0.1:", port));
    options.startup_timeout_ms = 60000;
    ServingWatch watch(port);
    absl::StatusOr<testing::ServiceProcess> p = testing::ServiceProcess::Start(binary, options);
    if (!p.ok()) {
      last = p.status();
      continue;
    }
    const double startup_ms = watch.Wait(*p);
    if (startup_ms < 0) return absl::DeadlineExceededError(name + " never answered SERVING");
    StartedService s{name, database, startup_ms, 0, 0, 0, *std::move(p)};
    // The line is written before the port file, so it is there.
    for (const auto& [field, ms] : MsFields(StartupLine(s.process.log_path()))) {
      if (field == "total_ms") s.in_process_ms = ms;
      if (field == "migrations_ms") s.migrations_ms = ms;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(idle_seconds));
    s.idle_rss_mib = RssMib(s.process.pid());
    return s;
  }
  return last;
}

void StopService(testing::ServiceProcess& process) {
  const std::string dir = std::filesystem::path(process.log_path()).parent_path();
  process.Stop();
  if (!dir.empty()) std::filesystem::remove_all(dir);
}

double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last
  // ')'.
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos || paren + 2 > text.size()) return 0;
  std::vector<std::string> f = absl::StrSplit(text.substr(paren + 2), ' ');
  int64_t utime = 0, stime = 0;
  // Fields 14 and 15 of proc(5)'s stat; f[0] is field 3.
  if (f.size() < 13 || !absl::SimpleAtoi(f[11], &utime) || !absl::SimpleAtoi(f[12], &stime)) {
    return 0;
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace seimbang::bench
