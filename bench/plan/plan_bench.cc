// CreatePlan end to end for the Makassar agency against its limit of 1 s (issue #22 item 1,
// bench/RESULTS.md): starts a private MariaDB and the three services, imports
// `seimbang-datagen --profile makassar --seed 1` with seimbangctl's own import, runs the
// analysis, makes --warmup plans, then times --plans CreatePlan calls. Each plan's phases come
// from the plan_created line transfer-service logs (staffing_fetch_ms, analysis_fetch_ms,
// preparation_ms, solve_ms, explanations_ms, storing_ms, total_ms; whatever *_ms fields the
// line has, in its order); the call as the caller sees it is client_ms. Prints p50/p90/max per
// phase and the ratio of each to the limit.
//
//   plan_bench [--plans 10] [--warmup 2] [--limit-ms 1000] [--dsn-file FILE] [--keep-logs DIR]
//
// Without --dsn-file it starts its own MariaDB (tests/harness/mariadb.sh). Exits 1 when a call
// failed or a plan logged no plan_created line; the limit itself is reported, not enforced.
#include <grpcpp/grpcpp.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/limits/limits.h"
#include "bench/serving/fixture.h"
#include "bench/serving/load.h"
#include "common/proto_convert/date.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tools/datagen/generator.h"
#include "tools/seimbangctl/cli.h"

namespace seimbang::bench {
namespace {

namespace tpb = ::seimbang::transfer::v1;
namespace wpb = ::seimbang::workload::v1;
using Clock = std::chrono::steady_clock;

constexpr char kAgency[] = "73.71";  // Kota Makassar in the datagen profile
constexpr int kDeadlineMs = 600000;

struct Flags {
  int plans = 10;
  int warmup = 2;
  double limit_ms = 1000;
  std::string dsn_file;   // an existing server's base DSN file; empty starts a private one
  std::string keep_logs;  // copy the services' logs here at the end
};

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(kDeadlineMs));
  return ctx;
}

// The plan_created lines written to `path` since `*offset` (advanced past them).
std::vector<std::string> NewPlanLines(const std::string& path, std::streamoff* offset) {
  std::ifstream in(path);
  in.seekg(*offset);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("\"event\":\"plan_created\"") != std::string::npos) out.push_back(line);
    *offset += static_cast<std::streamoff>(line.size() + 1);
  }
  return out;
}

struct Stack {
  std::unique_ptr<MariaDbServer> mariadb;
  std::vector<StartedService> services;  // personnel, workload, transfer
  std::unique_ptr<wpb::WorkloadAnalysisService::Stub> workload;
  std::unique_ptr<tpb::TransferPlanningService::Stub> transfer;
  std::string policy_id;
  std::string run_id;
  int64_t employees = 0;
  ~Stack() {
    while (!services.empty()) {  // callers before their downstreams
      StopService(services.back().process);
      services.pop_back();
    }
  }
};

absl::Status StartServices(const std::string& dsn_file, Stack& s) {
  const std::string bin = testing::BinDir();
  std::vector<std::string> dsns;
  for (const char* name : {"plan_bench_personnel", "plan_bench_workload", "plan_bench_transfer"}) {
    absl::StatusOr<std::string> dsn = FreshDatabase(dsn_file, name);
    if (!dsn.ok()) return dsn.status();
    dsns.push_back(*dsn);
  }
  auto start = [&](const std::string& name, std::vector<std::string> args) -> absl::Status {
    absl::StatusOr<StartedService> p =
        StartTimed(name, "MariaDB", bin + "/" + name + "-service", std::move(args), 0);
    if (!p.ok()) return p.status();
    s.services.push_back(*std::move(p));
    return absl::OkStatus();
  };
  if (auto st = start("personnel", {"--db=" + dsns[0]}); !st.ok()) return st;
  const std::string personnel = s.services[0].process.address();
  if (auto st = start("workload", {"--db=" + dsns[1], "--personnel-addr=" + personnel}); !st.ok()) {
    return st;
  }
  const std::string workload = s.services[1].process.address();
  if (auto st = start("transfer", {"--db=" + dsns[2], "--personnel-addr=" + personnel,
                                   "--workload-addr=" + workload});
      !st.ok()) {
    return st;
  }
  auto channel = [](const std::string& a) {
    return grpc::CreateChannel(a, grpc::InsecureChannelCredentials());
  };
  s.workload = wpb::WorkloadAnalysisService::NewStub(channel(workload));
  s.transfer = tpb::TransferPlanningService::NewStub(channel(s.services[2].process.address()));
  return absl::OkStatus();
}

// The dataset imported as an operator would (seimbangctl import), a policy and an analysis run.
absl::Status LoadMakassar(const std::string& work, Stack& s) {
  datagen::Options g;
  g.profile = datagen::Profile::kMakassar;
  g.seed = 1;
  g.out_dir = work + "/data";
  absl::StatusOr<datagen::Counts> counts = datagen::Generate(g);
  if (!counts.ok()) return counts.status();
  s.employees = counts->employees;
  std::ostringstream out, err;
  const int rc = ctl::RunCli({"--personnel", s.services[0].process.address(), "--workload",
                              s.services[1].process.address(), "--transfer",
                              s.services[2].process.address(), "import", g.out_dir},
                             {}, out, err);
  if (rc != ctl::kExitOk) {
    return absl::InternalError(absl::StrCat("import exited ", rc, ": ", err.str()));
  }
  tpb::CreatePolicyRequest preq;
  preq.mutable_policy()->set_agency_code(kAgency);
  preq.mutable_policy()->set_name("Kebijakan bench");
  tpb::CreatePolicyResponse presp;
  if (grpc::Status st = s.transfer->CreatePolicy(Ctx().get(), preq, &presp); !st.ok()) {
    return absl::InternalError(absl::StrCat("CreatePolicy: ", st.error_message()));
  }
  s.policy_id = presp.policy().id();
  wpb::RunAnalysisRequest req;
  req.set_agency_code(kAgency);
  *req.mutable_as_of() =
      proto_convert::ToProto(domain::Date{2026, 10, 31});  // the dataset's as-of date
  req.set_label("bench");
  auto ctx = Ctx();
  auto reader = s.workload->RunAnalysis(ctx.get(), req);
  wpb::RunAnalysisResponse ev;
  while (reader->Read(&ev)) {
    if (ev.has_summary()) s.run_id = ev.summary().run_id();
  }
  if (grpc::Status st = reader->Finish(); !st.ok()) {
    return absl::InternalError(absl::StrCat("RunAnalysis: ", st.error_message()));
  }
  return absl::OkStatus();
}

// One CreatePlan as the caller sees it: its wall time in ms.
absl::StatusOr<double> CreatePlan(Stack& s, int n) {
  tpb::CreatePlanRequest req;
  req.set_agency_code(kAgency);
  req.set_analysis_run_id(s.run_id);
  req.set_policy_id(s.policy_id);
  *req.mutable_effective_date() = proto_convert::ToProto(domain::Date{2027, 1, 1});
  req.set_label(absl::StrCat("bench ", n));
  const auto t0 = Clock::now();
  auto ctx = Ctx();
  auto reader = s.transfer->CreatePlan(ctx.get(), req);
  tpb::CreatePlanResponse ev;
  bool planned = false;
  while (reader->Read(&ev)) planned |= ev.has_plan();
  grpc::Status st = reader->Finish();
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (!st.ok()) return absl::InternalError(absl::StrCat("CreatePlan: ", st.error_message()));
  if (!planned) return absl::InternalError("CreatePlan sent no plan");
  return ms;
}

// The processes whose CPU a plan costs: the three services and the bench's own MariaDB.
std::vector<std::pair<std::string, pid_t>> Processes(const Stack& s, const std::string& work) {
  std::vector<std::pair<std::string, pid_t>> out;
  for (const StartedService& svc : s.services) out.emplace_back(svc.name, svc.process.pid());
  std::ifstream pid_file(work + "/mariadb/mysqld.pid");
  pid_t pid = 0;
  if (s.mariadb != nullptr && pid_file >> pid) out.emplace_back("mariadb", pid);
  return out;
}

// Phase name -> one value per plan, phases in the order of the first line.
struct Samples {
  std::vector<std::string> order;
  std::map<std::string, std::vector<double>> ms;
  std::vector<std::pair<std::string, double>> cpu_ms_per_plan;  // by process
  void Add(const std::string& name, double v) {
    if (!ms.count(name)) order.push_back(name);
    ms[name].push_back(v);
  }
};

void Print(const Samples& s, const Flags& f, const Stack& st) {
  std::printf(
      "CreatePlan end to end, agency %s (%lld employees in the dataset), MariaDB, %d plans"
      " after %d warm-up\n",
      kAgency, static_cast<long long>(st.employees), f.plans, f.warmup);
  std::printf("%-20s %9s %9s %9s %10s %10s\n", "phase", "p50 ms", "p90 ms", "max ms", "p50/limit",
              "max/limit");
  for (const std::string& name : s.order) {
    const std::vector<double>& v = s.ms.at(name);
    const double p50 = Percentile(v, 0.5), p90 = Percentile(v, 0.9),
                 max = *std::max_element(v.begin(), v.end());
    std::printf("%-20s %9.0f %9.0f %9.0f %10.2f %10.2f\n", name.c_str(), p50, p90, max,
                p50 / f.limit_ms, max / f.limit_ms);
  }
  std::printf("CPU per plan (user + system, %ld cores):", sysconf(_SC_NPROCESSORS_ONLN));
  for (const auto& [name, ms] : s.cpu_ms_per_plan) std::printf(" %s %.0f ms,", name.c_str(), ms);
  std::printf("\n");
  const std::vector<double>& client = s.ms.at("client_ms");
  const double p50 = Percentile(client, 0.5);
  // client_ms: the call as the caller sees it.
  std::printf(
      "%s\n",
      LimitLine(1, absl::StrCat("CreatePlan end to end, agency ", kAgency, ", client p50 ms"), p50,
                Bound::kAtMost, f.limit_ms)
          .c_str());
}

absl::StatusOr<Samples> Measure(const Flags& f, Stack& s, const std::string& work) {
  const std::string log = s.services[2].process.log_path();
  std::streamoff offset = 0;
  for (int i = 0; i < f.warmup; ++i) {
    if (auto ms = CreatePlan(s, -i - 1); !ms.ok()) return ms.status();
  }
  (void)NewPlanLines(log, &offset);
  Samples out;
  const std::vector<std::pair<std::string, pid_t>> procs = Processes(s, work);
  std::vector<double> cpu_before;
  for (const auto& [name, pid] : procs) cpu_before.push_back(ProcessCpuSeconds(pid));
  for (int i = 0; i < f.plans; ++i) {
    absl::StatusOr<double> ms = CreatePlan(s, i);
    if (!ms.ok()) return ms.status();
    std::vector<std::string> lines = NewPlanLines(log, &offset);
    if (lines.size() != 1) {
      return absl::InternalError(absl::StrCat("plan ", i, ": ", lines.size(),
                                              " plan_created lines in ", log, ", expected 1"));
    }
    for (const auto& [name, v] : MsFields(lines[0])) out.Add(name, v);
    out.Add("client_ms", *ms);
  }
  for (size_t i = 0; i < procs.size(); ++i) {
    out.cpu_ms_per_plan.emplace_back(
        procs[i].first, (ProcessCpuSeconds(procs[i].second) - cpu_before[i]) * 1000 / f.plans);
  }
  return out;
}

int Usage(const std::string& why) {
  std::cerr << "plan_bench: " << why
            << "\nusage: plan_bench [--plans N] [--warmup N] [--limit-ms MS] [--dsn-file F] "
               "[--keep-logs DIR]\n";
  return 2;
}

int Run(const Flags& f) {
  std::string work = "/tmp/seimbang-plan-bench-XXXXXX";
  if (mkdtemp(work.data()) == nullptr) return Usage("mkdtemp failed");
  int rc = 1;
  {
    Stack s;
    std::string dsn_file = f.dsn_file;
    absl::Status st = absl::OkStatus();
    if (dsn_file.empty()) {
      auto server =
          MariaDbServer::Start(SEIMBANG_SOURCE_DIR "/tests/harness/mariadb.sh", work + "/mariadb");
      if (server.ok()) s.mariadb = *std::move(server);
      st = server.status();
      dsn_file = work + "/mariadb/dsn";
    }
    const auto t0 = Clock::now();
    if (st.ok()) st = StartServices(dsn_file, s);
    if (st.ok()) st = LoadMakassar(work, s);
    std::printf("setup (datagen, import, analysis): %.1f s\n",
                std::chrono::duration<double>(Clock::now() - t0).count());
    absl::StatusOr<Samples> samples = st.ok() ? Measure(f, s, work) : absl::StatusOr<Samples>(st);
    if (samples.ok()) {
      Print(*samples, f, s);
      rc = 0;
    } else {
      std::cerr << "plan_bench: " << samples.status() << "\n";
    }
    if (!f.keep_logs.empty()) {
      std::filesystem::create_directories(f.keep_logs);
      for (const StartedService& svc : s.services) {
        std::error_code ec;
        std::filesystem::copy_file(svc.process.log_path(), f.keep_logs + "/" + svc.name + ".log",
                                   std::filesystem::copy_options::overwrite_existing, ec);
      }
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(work, ec);
  return rc;
}

int Main(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return Usage("missing value for " + a);
    const std::string v = argv[++i];
    if (a == "--plans" || a == "--warmup") {
      int n = 0;
      if (!absl::SimpleAtoi(v, &n) || n < 0 || (a == "--plans" && n < 1)) {
        return Usage(a + " needs a count");
      }
      (a == "--plans" ? f.plans : f.warmup) = n;
    } else if (a == "--limit-ms") {
      if (!absl::SimpleAtod(v, &f.limit_ms) || f.limit_ms <= 0) return Usage(a + " needs ms > 0");
    } else if (a == "--dsn-file" || a == "--keep-logs") {
      (a == "--dsn-file" ? f.dsn_file : f.keep_logs) = v;
    } else {
      return Usage("unknown flag " + a);
    }
  }
  return Run(f);
}

}  // namespace
}  // namespace seimbang::bench

int main(int argc, char** argv) { return seimbang::bench::Main(argc, argv); }
