#include "bench/soak/soak.h"

#include <grpcpp/grpcpp.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "common/proto_convert/date.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tests/harness/service_process.h"
#include "tests/harness/services.h"
#include "tests/support/http.h"
#include "tests/support/test_db.h"
#include "tools/csv/csv.h"
#include "tools/datagen/generator.h"
#include "tools/seimbangctl/cli.h"
#include "tools/seimbangctl/import_rows.h"

namespace seimbang::soak {
namespace {

namespace ppb = ::seimbang::personnel::v1;
namespace wpb = ::seimbang::workload::v1;
namespace tpb = ::seimbang::transfer::v1;
namespace cpb = ::seimbang::common::v1;
using Clock = std::chrono::steady_clock;

constexpr char kAgency[] = "73.71";  // Kota Makassar in the datagen profile
constexpr int kLightDeadlineMs = 30000;
constexpr int kHeavyDeadlineMs = 600000;
constexpr int kImportBatch = 5;

cpb::Date D(int y, int m, int d) { return proto_convert::ToProto(domain::Date{y, m, d}); }
cpb::Date AsOf() { return D(2026, 10, 31); }     // the dataset's as-of date
cpb::Date Effective() { return D(2027, 1, 1); }  // the demo's effective date

std::unique_ptr<grpc::ClientContext> Ctx(int deadline_ms) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms));
  return ctx;
}

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

int64_t RssKib(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return 0;
}

// The value of the unlabelled gauge `name` in a scrape of a service's /metrics, in KiB; -1 when
// absent.
int64_t GaugeKib(const std::string& text, const std::string& name) {
  const size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return static_cast<int64_t>(std::atof(text.c_str() + at + name.size() + 2) / 1024);
}

double Percentile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

// Latencies and failures per kind, shared by the load threads.
class Recorder {
 public:
  void Add(const std::string& kind, double ms, const grpc::Status& s) {
    absl::MutexLock lock(&mu_);
    Samples& k = by_kind_[kind];
    k.ms.push_back(ms);
    if (!s.ok()) {
      ++k.errors;
      if (first_errors_.size() < 20) {
        first_errors_.push_back(absl::StrCat(kind, ": ", s.error_code(), " ", s.error_message()));
      }
    }
  }
  // A call of `kind` sent again after UNAVAILABLE, as its contract allows.
  void AddResent(const std::string& kind) {
    absl::MutexLock lock(&mu_);
    ++resent_[kind];
  }
  void Fill(SoakReport& r) {
    absl::MutexLock lock(&mu_);
    for (const auto& [kind, n] : resent_) {
      r.resent += n;
      r.resent_kinds.push_back(absl::StrCat(kind, " ", n));
    }
    for (const std::string& kind : Kinds()) {
      KindStats st;
      st.kind = kind;
      auto it = by_kind_.find(kind);
      if (it != by_kind_.end()) {
        std::vector<double>& ms = it->second.ms;
        st.calls = static_cast<int64_t>(ms.size());
        st.errors = it->second.errors;
        st.max_ms = ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end());
        st.p50_ms = Percentile(ms, 0.50);
        st.p99_ms = Percentile(ms, 0.99);
      }
      r.kinds.push_back(st);
    }
    r.first_errors = first_errors_;
  }

 private:
  struct Samples {
    std::vector<double> ms;
    int64_t errors = 0;
  };
  absl::Mutex mu_;
  std::map<std::string, Samples> by_kind_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> first_errors_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int64_t> resent_ ABSL_GUARDED_BY(mu_);
};

// What the load draws from: the dataset as imported, and the latest run and policy.
struct Dataset {
  std::vector<ppb::Employee> employees;  // as in employees.csv (agency 73.71 only)
  std::vector<int64_t> units;            // active units of the agency
  std::vector<std::pair<int64_t, std::string>> workloads;  // (unit, position) with a definition
};

absl::StatusOr<Dataset> ReadDataset(const std::string& dir) {
  Dataset d;
  auto emp = csv::Reader::Open(dir + "/employees.csv");
  if (!emp.ok()) return emp.status();
  std::vector<std::string> f;
  while (true) {
    absl::StatusOr<bool> more = (*emp)->Next(f);
    if (!more.ok()) return more.status();
    if (!*more) break;
    const ctl::CsvRow row((*emp)->header(), f);
    if (row.Get("agency_code") != kAgency) continue;
    ctl::Converted<ppb::Employee> e = ctl::EmployeeFromCsv(row);
    if (e.problems.empty()) {
      e.message.clear_agency_code();  // output only on the contract
      d.employees.push_back(std::move(e.message));
    }
  }
  auto units = csv::Reader::Open(dir + "/units.csv");
  if (!units.ok()) return units.status();
  const int id = (*units)->Column("id"), agency = (*units)->Column("agency_code"),
            active = (*units)->Column("active");
  while (true) {
    absl::StatusOr<bool> more = (*units)->Next(f);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (f[agency] == kAgency && f[active] != "false" && f[active] != "0") {
      d.units.push_back(std::atoll(f[id].c_str()));
    }
  }
  auto work = csv::Reader::Open(dir + "/workloads.csv");
  if (!work.ok()) return work.status();
  const int wu = (*work)->Column("unit_id"), wp = (*work)->Column("position_code"),
            wa = (*work)->Column("agency_code");
  std::set<std::pair<int64_t, std::string>> keys;
  while (true) {
    absl::StatusOr<bool> more = (*work)->Next(f);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (f[wa] == kAgency) keys.insert({std::atoll(f[wu].c_str()), f[wp]});
  }
  d.workloads.assign(keys.begin(), keys.end());
  if (d.employees.empty() || d.units.empty() || d.workloads.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("dataset in ", dir, " has no agency ",
                                                      kAgency, " employees, units or workloads"));
  }
  return d;
}

// The three services (--insecure-dev) and their stubs, owned by `started`.
struct Services {
  std::unique_ptr<testing::TestServices> started;
  std::vector<testing::ServiceProcess*> procs;  // personnel, workload, transfer
  ppb::PersonnelService::Stub* personnel = nullptr;
  wpb::WorkloadAnalysisService::Stub* workload = nullptr;
  tpb::TransferPlanningService::Stub* transfer = nullptr;
};

absl::StatusOr<Services> StartServices(const SoakOptions& o, const std::string& work_dir) {
  std::vector<std::string> dsns;
  for (const char* name : {"personnel", "workload", "transfer"}) {
    if (o.engine == "sqlite") {
      dsns.push_back(absl::StrCat("sqlite:", work_dir, "/", name, ".db"));
    } else {
      absl::StatusOr<std::string> dsn = testsupport::FreshMariaDbDsn(absl::StrCat("soak_", name));
      if (!dsn.ok()) return dsn.status();
      dsns.push_back(*dsn);
    }
  }
  testing::TestServicesOptions so;
  so.bin_dir = o.bin_dir;
  so.startup_timeout_ms = 60000;  // MariaDB migrations on a loaded machine
  Services s;
  s.started = std::make_unique<testing::TestServices>(so);
  if (absl::Status st = s.started->StartAll(dsns[0], dsns[1], dsns[2]); !st.ok()) return st;
  s.procs = {s.started->personnel(), s.started->workload(), s.started->transfer()};
  s.personnel = s.started->personnel_stub();
  s.workload = s.started->workload_stub();
  s.transfer = s.started->transfer_stub();
  return s;
}

// Runs the load: `workers` paced threads of light calls and one thread of heavy ones.
class Load {
 public:
  Load(
      const SoakOptions& o, Services& s, const Dataset& d, Recorder& rec, std::string run_id,
      std::string policy_id, std::function<void()> after_round = [] {})
      : o_(o),
        s_(s),
        d_(d),
        rec_(rec),
        run_id_(std::move(run_id)),
        policy_id_(std::move(policy_id)),
        after_round_(std::move(after_round)) {}

  void Run() {
    end_ = Clock::now() + absl::ToChronoNanoseconds(o_.duration);
    std::vector<std::thread> threads;
    for (int w = 0; w < o_.workers; ++w) threads.emplace_back([this, w] { Worker(w); });
    threads.emplace_back([this] { Heavy(); });
    for (std::thread& t : threads) t.join();
  }

  // Records the call's latency and status under `kind`.
  template <typename F>
  grpc::Status Timed(const std::string& kind, F&& call) {
    const auto t = Clock::now();
    grpc::Status st = call();
    rec_.Add(kind, MsSince(t), st);
    return st;
  }

  grpc::Status RunAnalysis(std::string* run_id) {
    wpb::RunAnalysisRequest req;
    req.set_agency_code(kAgency);
    *req.mutable_as_of() = AsOf();
    req.set_label("soak");
    auto ctx = Ctx(kHeavyDeadlineMs);
    auto reader = s_.workload->RunAnalysis(ctx.get(), req);
    wpb::RunAnalysisResponse ev;
    while (reader->Read(&ev)) {
      if (ev.has_summary()) *run_id = ev.summary().run_id();
    }
    return reader->Finish();
  }

  grpc::Status CreatePlan(const std::string& run_id) {
    tpb::CreatePlanRequest req;
    req.set_agency_code(kAgency);
    req.set_analysis_run_id(run_id);
    req.set_policy_id(policy_id_);
    *req.mutable_effective_date() = Effective();
    req.set_label("soak");
    auto ctx = Ctx(kHeavyDeadlineMs);
    auto reader = s_.transfer->CreatePlan(ctx.get(), req);
    tpb::CreatePlanResponse ev;
    bool planned = false;
    while (reader->Read(&ev)) planned |= ev.has_plan();
    grpc::Status st = reader->Finish();
    if (st.ok() && !planned) return {grpc::StatusCode::INTERNAL, "CreatePlan sent no plan"};
    return st;
  }

 private:
  std::string CurrentRun() {
    absl::MutexLock lock(&mu_);
    return run_id_;
  }

  void Heavy() {
    auto next = Clock::now();
    while (next < end_) {
      std::this_thread::sleep_until(next);
      std::string run;
      grpc::Status st = Timed("RunAnalysis", [&] { return RunAnalysis(&run); });
      if (st.ok() && !run.empty()) {
        {
          absl::MutexLock lock(&mu_);
          run_id_ = run;
        }
        Timed("CreatePlan", [&] { return CreatePlan(run); });
      }
      after_round_();
      next += absl::ToChronoNanoseconds(o_.heavy_every);
    }
  }

  // Open loop at rate / workers calls per second; after a stall it carries on from now
  // rather than bursting to catch up.
  void Worker(int w) {
    std::mt19937_64 rng(static_cast<uint64_t>(w) + 1);
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(static_cast<double>(o_.workers) / o_.rate));
    // This worker alone writes employees and workloads with index % workers == w, so an
    // etag can only go stale through a bug, never through the soak's own races.
    std::vector<size_t> mine_e, mine_w;
    for (size_t i = static_cast<size_t>(w); i < d_.employees.size();
         i += static_cast<size_t>(o_.workers)) {
      mine_e.push_back(i);
    }
    for (size_t i = static_cast<size_t>(w); i < d_.workloads.size();
         i += static_cast<size_t>(o_.workers)) {
      mine_w.push_back(i);
    }
    size_t cursor_e = 0, cursor_w = 0;
    auto next = Clock::now();
    // Weights: 70% reads, 30% writes; GetStaffing (an aggregate over the agency) is rarer.
    const std::vector<std::pair<int, int>> weights = {{0, 20}, {1, 10}, {2, 2}, {3, 6}, {4, 12},
                                                      {5, 10}, {6, 12}, {7, 6}, {8, 6}, {9, 6}};
    int total = 0;
    for (const auto& [op, wgt] : weights) total += wgt;
    while (true) {
      std::this_thread::sleep_until(next);
      if (Clock::now() >= end_) break;
      int pick = std::uniform_int_distribution<int>(0, total - 1)(rng);
      int op = 0;
      for (const auto& [o, wgt] : weights) {
        if (pick < wgt) {
          op = o;
          break;
        }
        pick -= wgt;
      }
      switch (op) {
        case 0:
          GetEmployee(d_.employees[rng() % d_.employees.size()].nip());
          break;
        case 1:
          ListEmployees(d_.units[rng() % d_.units.size()]);
          break;
        case 2:
          GetStaffing();
          break;
        case 3:
          ListAnalyses();
          break;
        case 4:
          GetAnalysis();
          break;
        case 5:
          ListPlans();
          break;
        case 6:
          UpdateEmployee(d_.employees[mine_e[cursor_e++ % mine_e.size()]].nip());
          break;
        case 7: {
          std::vector<const ppb::Employee*> batch;
          for (int i = 0; i < kImportBatch; ++i) {
            batch.push_back(&d_.employees[mine_e[cursor_e++ % mine_e.size()]]);
          }
          ImportRecords(batch, cursor_e);
          break;
        }
        case 8:
          UpsertWorkload(d_.workloads[mine_w[cursor_w++ % mine_w.size()]]);
          break;
        case 9:
          SubmitPreferences(d_.employees[mine_e[cursor_e++ % mine_e.size()]].nip(),
                            d_.units[rng() % d_.units.size()]);
          break;
      }
      next += interval;
      if (const auto now = Clock::now(); next < now) next = now;
    }
  }

  grpc::Status GetEmployee(const std::string& nip, ppb::Employee* out = nullptr) {
    ppb::GetEmployeeRequest req;
    req.set_nip(nip);
    ppb::GetEmployeeResponse resp;
    grpc::Status st = Timed("GetEmployee", [&] {
      return s_.personnel->GetEmployee(Ctx(kLightDeadlineMs).get(), req, &resp);
    });
    if (out != nullptr) *out = resp.employee();
    return st;
  }

  void ListEmployees(int64_t unit) {
    ppb::ListEmployeesRequest req;
    req.mutable_filter()->set_agency_code(kAgency);
    req.mutable_filter()->set_unit_subtree(unit);
    req.mutable_page()->set_page_size(100);
    ppb::ListEmployeesResponse resp;
    Timed("ListEmployees",
          [&] { return s_.personnel->ListEmployees(Ctx(kLightDeadlineMs).get(), req, &resp); });
  }

  void GetStaffing() {
    ppb::GetStaffingRequest req;
    req.set_agency_code(kAgency);
    *req.mutable_as_of() = AsOf();
    ppb::GetStaffingResponse resp;
    Timed("GetStaffing",
          [&] { return s_.personnel->GetStaffing(Ctx(kLightDeadlineMs).get(), req, &resp); });
  }

  void ListAnalyses() {
    wpb::ListAnalysesRequest req;
    req.set_agency_code(kAgency);
    req.mutable_page()->set_page_size(20);
    wpb::ListAnalysesResponse resp;
    Timed("ListAnalyses",
          [&] { return s_.workload->ListAnalyses(Ctx(kLightDeadlineMs).get(), req, &resp); });
  }

  void GetAnalysis() {
    wpb::GetAnalysisRequest req;
    req.set_run_id(CurrentRun());
    req.mutable_page()->set_page_size(100);
    wpb::GetAnalysisResponse resp;
    Timed("GetAnalysis",
          [&] { return s_.workload->GetAnalysis(Ctx(kLightDeadlineMs).get(), req, &resp); });
  }

  void ListPlans() {
    tpb::ListPlansRequest req;
    req.set_agency_code(kAgency);
    req.mutable_page()->set_page_size(20);
    tpb::ListPlansResponse resp;
    Timed("ListPlans",
          [&] { return s_.transfer->ListPlans(Ctx(kLightDeadlineMs).get(), req, &resp); });
  }

  // Read, change a field that no rule depends on, write back with the etag just read.
  void UpdateEmployee(const std::string& nip) {
    ppb::Employee e;
    if (!GetEmployee(nip, &e).ok()) return;
    const std::string suffix = " (soak)";
    std::string field = e.education_field();
    if (field.size() >= suffix.size() &&
        field.compare(field.size() - suffix.size(), suffix.size(), suffix) == 0) {
      field.resize(field.size() - suffix.size());
    } else {
      field += suffix;
    }
    e.set_education_field(field);
    ppb::UpdateEmployeeRequest req;
    *req.mutable_employee() = e;
    ppb::UpdateEmployeeResponse resp;
    Timed("UpdateEmployee",
          [&] { return s_.personnel->UpdateEmployee(Ctx(kLightDeadlineMs).get(), req, &resp); });
  }

  // A small upsert batch of the dataset's own rows, each with a changed education field.
  // One ImportRecords stream of `batch`, with its education field marked by `round`.
  grpc::Status SendImport(const std::vector<const ppb::Employee*>& batch, size_t round,
                          ppb::ImportRecordsResponse* resp) {
    auto ctx = Ctx(kLightDeadlineMs);
    auto writer = s_.personnel->ImportRecords(ctx.get(), resp);
    int64_t seq = 0;
    for (const ppb::Employee* e : batch) {
      ppb::ImportRecordsRequest r;
      *r.mutable_employee() = *e;
      r.mutable_employee()->set_education_field(
          absl::StrCat(e->education_field(), " (impor ", round % 7, ")"));
      r.set_sequence(++seq);
      if (!writer->Write(r)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  void ImportRecords(const std::vector<const ppb::Employee*>& batch, size_t round) {
    ppb::ImportRecordsResponse resp;
    Timed("ImportRecords", [&] {
      grpc::Status st = SendImport(batch, round, &resp);
      if (st.error_code() == grpc::StatusCode::UNAVAILABLE) {
        // The contract: "UNAVAILABLE: nothing applied" (personnel.proto), so a client sends the
        // stream again, once; the report counts these (a connection a server closed at its
        // maximum age can fail a stream that starts just then, grpc/grpc#31733).
        rec_.AddResent("ImportRecords");
        st = SendImport(batch, round, &resp);
      }
      if (st.ok() && resp.summary().rejected() > 0) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            absl::StrCat("import rejected ", resp.summary().rejected(),
                                         " rows: ", resp.summary().errors(0).ShortDebugString()));
      }
      return st;
    });
  }

  void UpsertWorkload(const std::pair<int64_t, std::string>& key) {
    wpb::GetWorkloadRequest get;
    get.set_unit_id(key.first);
    get.set_position_code(key.second);
    wpb::GetWorkloadResponse got;
    grpc::Status st = Timed("GetWorkload", [&] {
      return s_.workload->GetWorkload(Ctx(kLightDeadlineMs).get(), get, &got);
    });
    if (!st.ok()) return;
    wpb::UpsertWorkloadRequest req;
    *req.mutable_workload() = got.workload();
    req.mutable_workload()->clear_update_time_ms();
    if (req.workload().tasks_size() > 0) {
      wpb::Task* t = req.mutable_workload()->mutable_tasks(0);
      t->set_volume(t->volume() >= 1 ? t->volume() - 1 : t->volume() + 1);
    }
    wpb::UpsertWorkloadResponse resp;
    Timed("UpsertWorkload",
          [&] { return s_.workload->UpsertWorkload(Ctx(kLightDeadlineMs).get(), req, &resp); });
  }

  void SubmitPreferences(const std::string& nip, int64_t unit) {
    tpb::SubmitPreferencesRequest req;
    tpb::Preference* p = req.mutable_preference();
    p->set_nip(nip);
    p->set_agency_code(kAgency);
    p->add_preferred_unit_ids(unit);
    p->set_reason("dekat rumah");
    *p->mutable_valid_until() = D(2027, 12, 31);
    tpb::SubmitPreferencesResponse resp;
    Timed("SubmitPreferences",
          [&] { return s_.transfer->SubmitPreferences(Ctx(kLightDeadlineMs).get(), req, &resp); });
  }

  const SoakOptions& o_;
  Services& s_;
  const Dataset& d_;
  Recorder& rec_;
  Clock::time_point end_;
  absl::Mutex mu_;
  std::string run_id_ ABSL_GUARDED_BY(mu_);
  std::string policy_id_;
  std::function<void()> after_round_;
};

int Shell(const std::string& cmd) {
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

// Everything the soak started, undone in reverse order whatever happens.
class Cleanup {
 public:
  ~Cleanup() {
    services.started.reset();  // SIGTERM each service, callers before their downstreams
    if (!mariadb_dir.empty()) {
      (void)Shell(absl::StrCat(source_dir, "/tests/harness/mariadb.sh stop '", mariadb_dir,
                               "' >/dev/null 2>&1"));
    }
    if (remove_dir) {
      std::error_code ec;
      std::filesystem::remove_all(work_dir, ec);
    }
  }
  Services services;
  std::string source_dir, mariadb_dir, work_dir;
  bool remove_dir = false;
};

}  // namespace

const std::vector<std::string>& Kinds() {
  static const auto* k = new std::vector<std::string>{
      "GetEmployee",       "ListEmployees", "GetStaffing", "UpdateEmployee", "ImportRecords",
      "ListAnalyses",      "GetAnalysis",   "GetWorkload", "UpsertWorkload", "RunAnalysis",
      "SubmitPreferences", "ListPlans",     "CreatePlan"};
  return *k;
}

int64_t SoakReport::calls() const {
  int64_t n = 0;
  for (const KindStats& k : kinds) n += k.calls;
  return n;
}
int64_t SoakReport::errors() const {
  int64_t n = 0;
  for (const KindStats& k : kinds) n += k.errors;
  return n + warmup_errors;
}

absl::StatusOr<SoakReport> RunSoak(const SoakOptions& o) {
  if (o.engine != "mariadb" && o.engine != "sqlite") {
    return absl::InvalidArgumentError(
        absl::StrCat("--engine must be mariadb or sqlite, not '", o.engine, "'"));
  }
  if (o.rate <= 0 || o.workers < 1) {
    return absl::InvalidArgumentError("--rate and --workers must be positive");
  }
  Cleanup c;
  c.source_dir = o.source_dir;
  c.work_dir = o.work_dir;
  if (c.work_dir.empty()) {
    std::string tmpl = "/tmp/seimbang-soak-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) return absl::InternalError("mkdtemp failed");
    c.work_dir = tmpl;
    c.remove_dir = true;
  }
  std::filesystem::create_directories(c.work_dir);
  const auto setup_start = Clock::now();

  if (o.engine == "mariadb") {
    std::string dsn_file = o.mariadb_dsn_file;
    if (dsn_file.empty()) {
      c.mariadb_dir = c.work_dir + "/mariadb";
      const std::string log = c.work_dir + "/mariadb-start.log";
      // The server's watchdog outlives the soak by half an hour at most.
      const int64_t ttl = absl::ToInt64Seconds(o.duration) + 1800;
      if (Shell(absl::StrCat("SEIMBANG_MARIADB_TTL=", ttl, " ", o.source_dir,
                             "/tests/harness/mariadb.sh start '", c.mariadb_dir, "' >'", log,
                             "' 2>&1")) != 0) {
        return absl::UnavailableError(absl::StrCat("mariadb.sh start failed; see ", log));
      }
      dsn_file = c.mariadb_dir + "/dsn";
    }
    // tests/support creates each service's database on the server this file names.
    setenv("SEIMBANG_TEST_MARIADB_DSN_FILE", dsn_file.c_str(), 1);
  }

  const std::string data_dir = c.work_dir + "/data";
  datagen::Options g;
  g.profile = datagen::Profile::kMakassar;
  g.seed = 1;
  g.out_dir = data_dir;
  if (auto counts = datagen::Generate(g); !counts.ok()) return counts.status();
  absl::StatusOr<Dataset> data = ReadDataset(data_dir);
  if (!data.ok()) return data.status();

  absl::StatusOr<Services> services = StartServices(o, c.work_dir);
  if (!services.ok()) return services.status();
  c.services = *std::move(services);
  Services& s = c.services;

  // The import is seimbangctl's own, as an operator would run it.
  std::ostringstream out, err;
  const int rc =
      ctl::RunCli({"--personnel", s.procs[0]->address(), "--workload", s.procs[1]->address(),
                   "--transfer", s.procs[2]->address(), "import", data_dir},
                  {}, out, err);
  if (rc != ctl::kExitOk) {
    return absl::InternalError(absl::StrCat("import failed (exit ", rc, "): ", err.str()));
  }

  Recorder warmup;  // the first analysis and plan are setup, not load
  tpb::CreatePolicyRequest preq;
  preq.mutable_policy()->set_agency_code(kAgency);
  preq.mutable_policy()->set_name("Kebijakan soak");
  tpb::CreatePolicyResponse presp;
  if (grpc::Status st = s.transfer->CreatePolicy(Ctx(kLightDeadlineMs).get(), preq, &presp);
      !st.ok()) {
    return absl::InternalError(absl::StrCat("CreatePolicy: ", st.error_message()));
  }
  Load first(o, s, *data, warmup, "", presp.policy().id());
  std::string run_id;
  if (grpc::Status st = first.RunAnalysis(&run_id); !st.ok()) {
    return absl::InternalError(absl::StrCat("first RunAnalysis: ", st.error_message()));
  }
  if (grpc::Status st = first.CreatePlan(run_id); !st.ok()) {
    return absl::InternalError(absl::StrCat("first CreatePlan: ", st.error_message()));
  }

  SoakReport report;
  report.engine = o.engine;
  report.employees = static_cast<int64_t>(data->employees.size());
  report.setup_seconds = MsSince(setup_start) / 1000;
  const char* names[] = {"personnel-service", "workload-service", "transfer-service"};
  for (size_t i = 0; i < s.procs.size(); ++i) {
    ServiceMemory m;
    m.service = names[i];
    m.cold_kib = RssKib(s.procs[i]->pid());
    report.memory.push_back(m);
  }
  if (o.warmup > absl::ZeroDuration()) {
    SoakOptions warm_options = o;
    warm_options.duration = o.warmup;
    warm_options.heavy_every = o.warmup_heavy_every;
    Recorder warm_rec;
    Load warm(warm_options, s, *data, warm_rec, run_id, presp.policy().id());
    const auto warm_start = Clock::now();
    warm.Run();
    report.warmup_seconds = MsSince(warm_start) / 1000;
    SoakReport warm_report;
    warm_rec.Fill(warm_report);
    report.warmup_calls = warm_report.calls();
    report.warmup_errors = warm_report.errors();
    report.resent += warm_report.resent;
    for (const std::string& k : warm_report.resent_kinds) {
      report.resent_kinds.push_back("warm-up " + k);
    }
    for (const std::string& e : warm_report.first_errors) {
      report.first_errors.push_back("warm-up " + e);
    }
  }
  for (size_t i = 0; i < s.procs.size(); ++i) {
    report.memory[i].start_kib = RssKib(s.procs[i]->pid());
  }

  Recorder rec;
  Load load(o, s, *data, rec, run_id, presp.policy().id(), [&] {
    for (size_t i = 0; i < s.procs.size(); ++i) {
      ServiceMemory& m = report.memory[i];
      m.samples_kib.push_back(RssKib(s.procs[i]->pid()));
      const std::string scrape = testsupport::HttpGet(s.procs[i]->metrics_port());  // one a round
      m.heap_in_use_kib.push_back(GaugeKib(scrape, "seimbang_heap_in_use_bytes"));
      m.heap_free_kib.push_back(GaugeKib(scrape, "seimbang_heap_free_bytes"));
    }
  });
  const auto load_start = Clock::now();
  load.Run();
  report.load_seconds = MsSince(load_start) / 1000;
  for (size_t i = 0; i < s.procs.size(); ++i) {
    report.memory[i].end_kib = RssKib(s.procs[i]->pid());
  }
  std::vector<std::string> warm_errors = std::move(report.first_errors);
  rec.Fill(report);
  report.first_errors.insert(report.first_errors.begin(), warm_errors.begin(), warm_errors.end());
  for (size_t i = 0; i < s.procs.size(); ++i) {
    if (!s.procs[i]->Running()) {
      report.first_errors.push_back(
          absl::StrCat(names[i], " is no longer running; its log: ", s.procs[i]->log_path()));
      // A dead service is the worst error: make sure it cannot read as a clean run.
      report.kinds.front().errors += 1;
    }
  }
  return report;
}

RoundTrend TrendOfRounds(const std::vector<int64_t>& samples_kib, size_t n) {
  RoundTrend t;
  if (n == 0 || samples_kib.size() < 2 * n) return t;
  auto median_mib = [](std::vector<int64_t> v) {
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    const double kib = v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2.0;
    return kib / 1024.0;
  };
  t.first_mib = median_mib({samples_kib.begin(), samples_kib.begin() + n});
  t.last_mib = median_mib({samples_kib.end() - n, samples_kib.end()});
  t.ratio = t.first_mib > 0 ? t.last_mib / t.first_mib : 0;
  return t;
}

std::string FormatReport(const SoakReport& r) {
  std::string out = absl::StrFormat(
      "engine %s, %d employees, setup %.1f s (datagen, import, first analysis and plan), "
      "warm-up %.1f s (%d calls, %d errors), load %.1f s, %d calls (%.1f/s), %d errors\n\n",
      r.engine, r.employees, r.setup_seconds, r.warmup_seconds, r.warmup_calls, r.warmup_errors,
      r.load_seconds, r.calls(),
      r.load_seconds > 0 ? static_cast<double>(r.calls()) / r.load_seconds : 0.0, r.errors());
  if (r.resent > 0) {
    absl::StrAppend(&out, "sent again after UNAVAILABLE (the contract's \"nothing applied\"): ",
                    absl::StrJoin(r.resent_kinds, ", "), "\n\n");
  }
  absl::StrAppend(&out, "| RPC | calls | errors | p50 ms | p99 ms | max ms |\n",
                  "|---|---:|---:|---:|---:|---:|\n");
  for (const KindStats& k : r.kinds) {
    absl::StrAppend(&out, absl::StrFormat("| %s | %d | %d | %.1f | %.1f | %.1f |\n", k.kind,
                                          k.calls, k.errors, k.p50_ms, k.p99_ms, k.max_ms));
  }
  // "cold" is read before any load (no pool connection, thread or buffer of the load yet);
  // "start" after the warm-up, when the measured window begins: flat = end / start.
  absl::StrAppend(&out,
                  "\n| service | RSS cold MiB | RSS start (after warm-up) MiB | RSS end MiB | "
                  "end / start | end / cold |\n",
                  "|---|---:|---:|---:|---:|---:|\n");
  for (const ServiceMemory& m : r.memory) {
    auto ratio = [](int64_t a, int64_t b) { return b > 0 ? static_cast<double>(a) / b : 0.0; };
    absl::StrAppend(&out,
                    absl::StrFormat("| %s | %.1f | %.1f | %.1f | %.3f | %.3f |\n", m.service,
                                    m.cold_kib / 1024.0, m.start_kib / 1024.0, m.end_kib / 1024.0,
                                    ratio(m.end_kib, m.start_kib), ratio(m.end_kib, m.cold_kib)));
  }
  absl::StrAppend(&out,
                  "\n| service | first 3 rounds MiB (median) | last 3 rounds MiB (median) | "
                  "last / first |\n",
                  "|---|---:|---:|---:|\n");
  for (const ServiceMemory& m : r.memory) {
    const RoundTrend t = TrendOfRounds(m.samples_kib);
    absl::StrAppend(&out, absl::StrFormat("| %s | %.1f | %.1f | %.3f |\n", m.service, t.first_mib,
                                          t.last_mib, t.ratio));
  }
  absl::StrAppend(&out, "\nRSS MiB after each RunAnalysis + CreatePlan round:\n");
  for (const ServiceMemory& m : r.memory) {
    absl::StrAppend(&out, "  ", m.service, ":");
    for (int64_t kib : m.samples_kib) absl::StrAppend(&out, absl::StrFormat(" %.0f", kib / 1024.0));
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out, "\nmalloc in use / kept free, MiB, at the same moments:\n");
  for (const ServiceMemory& m : r.memory) {
    absl::StrAppend(&out, "  ", m.service, ":");
    for (size_t i = 0; i < m.heap_in_use_kib.size() && i < m.heap_free_kib.size(); ++i) {
      absl::StrAppend(&out, absl::StrFormat(" %.1f/%.1f", m.heap_in_use_kib[i] / 1024.0,
                                            m.heap_free_kib[i] / 1024.0));
    }
    absl::StrAppend(&out, "\n");
  }
  if (!r.first_errors.empty()) {
    absl::StrAppend(&out, "\nfirst errors:\n");
    for (const std::string& e : r.first_errors) absl::StrAppend(&out, "  ", e, "\n");
  }
  return out;
}

}  // namespace seimbang::soak
