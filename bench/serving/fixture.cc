#include "bench/serving/fixture.h"

#include <grpcpp/grpcpp.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
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

absl::StatusOr<StartedService> StartTimed(const std::string& name, const std::string& database,
                                          const std::string& binary, std::vector<std::string> args,
                                          double idle_seconds) {
  args.push_back("--insecure-dev");
  testing::ServiceProcessOptions options;
  options.args = std::move(args);
  options.startup_timeout_ms = 60000;
  const Clock::time_point t0 = Clock::now();
  absl::StatusOr<testing::ServiceProcess> p = testing::ServiceProcess::Start(binary, options);
  if (!p.ok()) return p.status();
  // The port file appears once the server listens; SERVING is what a probe waits for.
  auto channel = grpc::CreateChannel(p->address(), grpc::InsecureChannelCredentials());
  while (!Serving(channel)) {
    if (Clock::now() - t0 > std::chrono::seconds(60) || !p->Running()) {
      return absl::DeadlineExceededError(absl::StrCat(name, " never answered SERVING"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  StartedService s{name, database, 0, 0, *std::move(p)};
  s.startup_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  std::this_thread::sleep_for(std::chrono::duration<double>(idle_seconds));
  s.idle_rss_mib = RssMib(s.process.pid());
  return s;
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
