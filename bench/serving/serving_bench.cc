// gRPC serving against its limits, in one run (issues #11 and #22 item 2, bench/RESULTS.md):
// personnel-service GetEmployee, BatchGetEmployees (100 NIPs) and ListEmployees pages (100
// rows) on MariaDB; seimbang-echo-server (the same server bootstrap around a trivial handler:
// the framework's limit) against a minimal callback-API echo server run in this process (what
// gRPC itself does here; also the same minimal server in a process of its own,
// minimal-echo-server, to tell the process boundary's cost from the project's); and each read's
// database work alone, through personnel's own
// repository (the database's limit). Every phase runs under the same closed-loop load of
// --concurrency outstanding calls. Then each phase's CPU per call (the serving process's and
// this one's), and start-up time to SERVING and idle RSS of every service binary.
//
//   serving_bench [--seconds 8] [--warmup 1] [--rounds 2] [--concurrency 8]
//       [--channels 4] [--employees 0 (all)] [--idle-seconds 2] [--startup-runs 5]
//       [--startup-only] [--dsn mysql://user:pw@127.0.0.1:3306/ | --dsn-file FILE]
//
// Each binary starts --startup-runs times, each on a new empty database (migrations included);
// the median is judged against the limit, and the max printed beside it. --startup-only stops
// after the start-up table.
//
// Without --dsn/--dsn-file it starts its own MariaDB (tests/harness/mariadb.sh).
// Exits 1 when any call failed or a phase completed no call.
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/limits/limits.h"
#include "bench/serving/fixture.h"
#include "bench/serving/load.h"
#include "bench/serving/reference_echo.h"
#include "common/db/pool.h"
#include "common/domain/date.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/testing/v1/echo.grpc.pb.h"
#include "services/personnel/repository.h"

namespace seimbang::bench {
namespace {

// A prepared call, started: what RunGrpcLoad's `start` returns.
template <typename Response>
std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> Started(
    std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> call) {
  call->StartCall();
  return call;
}

namespace pv1 = ::seimbang::personnel::v1;
namespace ev1 = ::seimbang::testing::v1;

constexpr int kPageSize = 100;
constexpr int kBatch = 100;  // NIPs per BatchGetEmployees call

struct Flags {
  double seconds = 8;
  double warmup = 1;
  int rounds = 2;
  int concurrency = 8;
  int channels = 4;
  int64_t employees = 0;
  double idle_seconds = 2;
  int startup_runs = 5;
  bool startup_only = false;
  std::string dsn;
  std::string dsn_file;
};

absl::StatusOr<Flags> ParseFlags(int argc, char** argv) {
  Flags f;
  std::map<std::string, std::string> values;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) return absl::InvalidArgumentError("unexpected argument " + a);
    a = a.substr(2);
    const size_t eq = a.find('=');
    if (a == "startup-only") {
      f.startup_only = true;
    } else if (eq != std::string::npos) {
      values[a.substr(0, eq)] = a.substr(eq + 1);
    } else if (i + 1 < argc) {
      values[a] = argv[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--", a, " needs a value"));
    }
  }
  for (const auto& [k, v] : values) {
    bool ok = true;
    if (k == "seconds") {
      ok = absl::SimpleAtod(v, &f.seconds) && f.seconds > 0;
    } else if (k == "warmup") {
      ok = absl::SimpleAtod(v, &f.warmup) && f.warmup >= 0;
    } else if (k == "rounds") {
      ok = absl::SimpleAtoi(v, &f.rounds) && f.rounds > 0;
    } else if (k == "concurrency") {
      ok = absl::SimpleAtoi(v, &f.concurrency) && f.concurrency > 0;
    } else if (k == "channels") {
      ok = absl::SimpleAtoi(v, &f.channels) && f.channels > 0;
    } else if (k == "employees") {
      ok = absl::SimpleAtoi(v, &f.employees) && f.employees >= 0;
    } else if (k == "idle-seconds") {
      ok = absl::SimpleAtod(v, &f.idle_seconds) && f.idle_seconds >= 0;
    } else if (k == "startup-runs") {
      ok = absl::SimpleAtoi(v, &f.startup_runs) && f.startup_runs > 0;
    } else if (k == "dsn") {
      f.dsn = v;
    } else if (k == "dsn-file") {
      f.dsn_file = v;
    } else {
      return absl::InvalidArgumentError("unknown flag --" + k);
    }
    if (!ok) return absl::InvalidArgumentError(absl::StrCat("bad value for --", k, ": ", v));
  }
  return f;
}

// Every NIP and every page token of the employees table, by walking the list once.
struct Catalogue {
  std::vector<std::string> nips;
  std::vector<std::string> page_tokens;  // "" = first page
};

absl::StatusOr<Catalogue> Walk(pv1::PersonnelService::Stub& stub) {
  Catalogue c;
  std::string token;
  do {
    c.page_tokens.push_back(token);
    pv1::ListEmployeesRequest req;
    req.mutable_page()->set_page_size(kPageSize);
    req.mutable_page()->set_page_token(token);
    pv1::ListEmployeesResponse resp;
    grpc::ClientContext ctx;
    grpc::Status st = stub.ListEmployees(&ctx, req, &resp);
    if (!st.ok()) return absl::InternalError("ListEmployees: " + st.error_message());
    for (const pv1::Employee& e : resp.employees()) c.nips.push_back(e.nip());
    token = resp.page().next_page_token();
  } while (!token.empty());
  return c;
}

struct Row {
  std::string name;
  LoadResult result;
  pid_t service = 0;         // the service process that served the phase (0: none)
  double service_cpu_s = 0;  // its CPU during the phase, warm-up and drain included
  double bench_cpu_s = 0;  // this process's: the client, and the reference server in the first row
};

// Runs one phase into `row`, with the CPU it cost the service and this process.
void Measure(Row& row, pid_t service, const std::function<LoadResult()>& phase) {
  row.service = service;
  const double s0 = service > 0 ? ProcessCpuSeconds(service) : 0, b0 = ProcessCpuSeconds(getpid());
  row.result.Merge(phase());
  if (service > 0) row.service_cpu_s += ProcessCpuSeconds(service) - s0;
  row.bench_cpu_s += ProcessCpuSeconds(getpid()) - b0;
}

// CPU per call, over every call of each phase: steadier than calls/s on a shared machine, and
// it says where a call's cost lies. The minimal callback server runs inside this process, so its
// own share is estimated as this process's CPU per reference call less its CPU per call of the
// project's echo (the same client work).
void PrintCpu(const std::vector<Row>& rows) {
  auto per_call = [](double cpu_s, int64_t calls) { return calls > 0 ? cpu_s * 1e6 / calls : 0; };
  std::printf("\n%-28s %14s %14s\n", "CPU per call, us", "service", "this process");
  for (const Row& r : rows) {
    if (r.service > 0) {
      std::printf("%-28s %14.1f %14.1f\n", r.name.c_str(),
                  per_call(r.service_cpu_s, r.result.calls),
                  per_call(r.bench_cpu_s, r.result.calls));
    } else {
      std::printf("%-28s %14s %14.1f\n", r.name.c_str(), "-",
                  per_call(r.bench_cpu_s, r.result.calls));
    }
  }
  const double reference = per_call(rows[0].bench_cpu_s, rows[0].result.calls) -
                           per_call(rows[1].bench_cpu_s, rows[1].result.calls);
  std::printf("%-28s %14.1f %14s  (estimated, see above)\n", "minimal callback server", reference,
              "-");
}

void PrintLoad(const std::vector<Row>& rows) {
  std::printf("%-28s %10s %9s %9s %9s %8s\n", "phase", "calls/s", "p50 ms", "p90 ms", "p99 ms",
              "failed");
  for (const Row& r : rows) {
    Percentiles p = ComputePercentiles(r.result.latency_ns);
    std::printf("%-28s %10.0f %9.2f %9.2f %9.2f %8lld\n", r.name.c_str(), r.result.CallsPerSecond(),
                p.p50_us / 1000, p.p90_us / 1000, p.p99_us / 1000,
                static_cast<long long>(r.result.failed));
  }
}

// Issue #22 item 2's share: the echo of its reference, each read of its ceiling.
constexpr double kServingShare = 0.80;

// One binary's start-ups (their median: Percentile(..., 0.5)): exec to SERVING of each (the
// last one kept running), and from each one's own "startup" log line, its time in ServiceMain
// and in migrations.
struct StartupSeries {
  std::vector<double> ms, in_process_ms, migrations_ms;
  void Add(const StartedService& s) {
    ms.push_back(s.startup_ms);
    in_process_ms.push_back(s.in_process_ms);
    migrations_ms.push_back(s.migrations_ms);
  }
};

double Max(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

void PrintStartupTable(const std::vector<StartedService>& services,
                       const std::vector<StartupSeries>& series, const Flags& f) {
  std::printf(
      "== start-up to SERVING (median and max of %d, each on a new empty database: migrations "
      "included) and idle RSS (%.0f s after SERVING)\n",
      f.startup_runs, f.idle_seconds);
  std::printf("%-10s %-8s %12s %8s %12s %12s %14s\n", "service", "database", "start-up ms",
              "max ms", "in main ms", "migrate ms", "idle RSS MiB");
  for (size_t i = 0; i < services.size(); ++i) {
    const StartedService& s = services[i];
    const StartupSeries& t = series[i];
    std::printf("%-10s %-8s %12.0f %8.0f %12.0f %12.0f %14.1f\n", s.name.c_str(),
                s.database.c_str(), Percentile(t.ms, 0.5), Max(t.ms),
                Percentile(t.in_process_ms, 0.5), Percentile(t.migrations_ms, 0.5), s.idle_rss_mib);
  }
  std::printf(
      "(in main: ServiceMain to SERVING, from the service's \"startup\" log line; the rest of "
      "start-up is loading and static initialisation)\n");
}

// Issue #22 item 7: each service's start-up to SERVING and idle RSS stay where they were: under
// 150 ms (judged on the median start-up), and about 22 MiB (read as at most a tenth over). The
// echo server is not a service.
void PrintStartupLimits(const std::vector<StartedService>& services,
                        const std::vector<StartupSeries>& series) {
  for (size_t i = 0; i < services.size(); ++i) {
    const StartedService& s = services[i];
    if (s.name == "echo") continue;
    const std::vector<double>& ms = series[i].ms;
    const std::string who = absl::StrCat(s.name, "-service on ", s.database);
    std::printf("%s\n", LimitLine(7,
                                  absl::StrFormat("%s, start-up to SERVING ms (median of %d, max "
                                                  "%.0f)",
                                                  who, ms.size(), Max(ms)),
                                  Percentile(ms, 0.5), Bound::kAtMost, 150)
                            .c_str());
    std::printf("%s\n", LimitLine(7, who + ", idle RSS MiB (about 22: at most a tenth over)",
                                  s.idle_rss_mib, Bound::kAtMost, 22 * 1.1)
                            .c_str());
  }
}

// Starts `bin` f.startup_runs times, each with the arguments `args(run)` gives (a new empty
// database each), stopping all but the last, which waits f.idle_seconds and is kept.
absl::Status StartSeries(const Flags& f, const std::string& name, const std::string& database,
                         const std::string& bin,
                         const std::function<absl::StatusOr<std::vector<std::string>>(int)>& args,
                         std::vector<StartedService>& services,
                         std::vector<StartupSeries>& series) {
  StartupSeries t;
  for (int run = 0; run < f.startup_runs; ++run) {
    absl::StatusOr<std::vector<std::string>> a = args(run);
    if (!a.ok()) return a.status();
    const bool last = run + 1 == f.startup_runs;
    absl::StatusOr<StartedService> s =
        StartTimed(name, database, bin, *std::move(a), last ? f.idle_seconds : 0);
    if (!s.ok()) return s.status();
    t.Add(*s);
    if (!last) {
      StopService(s->process);
      continue;
    }
    services.push_back(*std::move(s));
    series.push_back(std::move(t));
  }
  return absl::OkStatus();
}

// Issue #22 item 2, each against its limit: the project's echo against the minimal callback
// echo server; each personnel read against its ceiling 1 / (1/echo + 1/db), the calls per
// second one echo plus the call's own database work would leave on these shared cores.
void PrintTargets(const std::vector<Row>& t) {
  auto ratio = [](double got, double limit) { return limit > 0 ? 100 * got / limit : 0.0; };
  const double ref = t[0].result.CallsPerSecond();
  const double echo = t[1].result.CallsPerSecond();
  std::printf("\n%-28s %10s %10s %8s  (target >= 80%%)\n", "target", "calls/s", "limit", "ratio");
  std::printf("%-28s %10.0f %10.0f %7.1f%%\n", "echo / minimal callback", echo, ref,
              ratio(echo, ref));
  // Not the target's reference: the same minimal server across the same process boundary as the
  // project's echo, which tells the boundary's cost from the project's own.
  const double own = t[8].result.CallsPerSecond();
  std::printf("%-28s %10.0f %10.0f %7.1f%%  (reference in its own process)\n",
              "echo / minimal, own process", echo, own, ratio(echo, own));
  std::vector<std::string> limits = {
      LimitLine(2, "echo (project) / minimal callback echo in the bench's process", echo / ref,
                Bound::kAtLeast, kServingShare)};
  for (int i = 0; i < 3; ++i) {
    const double db = t[2 + i].result.CallsPerSecond();
    const double got = t[5 + i].result.CallsPerSecond();
    const double ceiling = echo > 0 && db > 0 ? 1 / (1 / echo + 1 / db) : 0;
    std::printf("%-28s %10.0f %10.0f %7.1f%%\n", t[5 + i].name.c_str(), got, ceiling,
                ratio(got, ceiling));
    limits.push_back(LimitLine(
        2,
        absl::StrCat(
            t[5 + i].name, " / its ceiling 1/(1/echo + 1/db), p99 ",
            absl::StrFormat("%.2f", ComputePercentiles(t[5 + i].result.latency_ns).p99_us / 1000),
            " ms"),
        got / ceiling, Bound::kAtLeast, kServingShare));
  }
  for (const std::string& line : limits) std::printf("%s\n", line.c_str());
}

int Main(int argc, char** argv) {
  absl::StatusOr<Flags> flags = ParseFlags(argc, argv);
  if (!flags.ok()) {
    std::cerr << "serving_bench: " << flags.status().message() << "\n";
    return 2;
  }
  const Flags& f = *flags;
  char tmpl[] = "/tmp/serving-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return 1;
  const std::string work = tmpl;
  struct Cleanup {
    std::string dir;
    ~Cleanup() { std::filesystem::remove_all(dir); }
  } cleanup{work};
  auto fail = [](const absl::Status& st) {
    std::cerr << "serving_bench: " << st << "\n";
    return 1;
  };

  // The database server: given, or our own.
  std::unique_ptr<MariaDbServer> own_server;
  std::string dsn_file = f.dsn_file;
  if (!f.dsn.empty()) {
    dsn_file = work + "/dsn";
    std::ofstream(dsn_file) << f.dsn << "\n";
  } else if (dsn_file.empty()) {
    absl::StatusOr<std::unique_ptr<MariaDbServer>> s =
        MariaDbServer::Start(SEIMBANG_SOURCE_DIR "/tests/harness/mariadb.sh", work + "/mariadb");
    if (!s.ok()) return fail(s.status());
    own_server = *std::move(s);
    dsn_file = own_server->dsn_file();
  }
  absl::StatusOr<std::string> personnel_dsn = FreshDatabase(dsn_file, "bench_personnel");
  if (!personnel_dsn.ok()) return fail(personnel_dsn.status());

  // Start-up and idle memory of each binary (fresh databases: migrations included).
  std::vector<StartedService> services;
  std::vector<StartupSeries> series;
  auto start = [&](const std::string& name, const std::string& database, const std::string& bin,
                   std::function<absl::StatusOr<std::vector<std::string>>(int)> args) {
    return StartSeries(f, name, database, bin, args, services, series);
  };
  // A new SQLite file per run.
  auto sqlite = [&](const std::string& file, std::vector<std::string> more = {}) {
    return [&work, file, more](int run) -> absl::StatusOr<std::vector<std::string>> {
      std::vector<std::string> a = {absl::StrCat("--db=sqlite:", work, "/", run, "-", file)};
      a.insert(a.end(), more.begin(), more.end());
      return a;
    };
  };
  absl::Status st = start(
      "echo", "none", "seimbang-echo-server",
      [](int) -> absl::StatusOr<std::vector<std::string>> { return std::vector<std::string>{}; });
  if (st.ok()) st = start("personnel", "SQLite", "personnel-service", sqlite("p.db"));
  if (st.ok()) st = start("workload", "SQLite", "workload-service", sqlite("w.db"));
  if (st.ok()) {
    st = start("transfer", "SQLite", "transfer-service",
               sqlite("t.db", {"--personnel-addr=" + services[1].process.address(),
                               "--workload-addr=" + services[2].process.address()}));
  }
  if (st.ok()) {
    // The last run's database is the one the rest of the benchmark imports into.
    st = start("personnel", "MariaDB", "personnel-service",
               [&](int run) -> absl::StatusOr<std::vector<std::string>> {
                 absl::StatusOr<std::string> dsn = run + 1 == f.startup_runs
                                                       ? personnel_dsn
                                                       : FreshDatabase(dsn_file, "bench_startup");
                 if (!dsn.ok()) return dsn.status();
                 return std::vector<std::string>{"--db=" + *dsn};
               });
  }
  if (!st.ok()) return fail(st);
  StartedService& echo = services[0];
  StartedService& personnel = services[4];
  PrintStartupTable(services, series, f);
  PrintStartupLimits(services, series);
  if (f.startup_only) {
    for (StartedService& s : services) StopService(s.process);
    return 0;
  }
  StopService(services[1].process);
  StopService(services[3].process);

  // The Makassar dataset into personnel on MariaDB.
  const std::string data = work + "/data";
  absl::StatusOr<int64_t> rows = WriteMakassarDataset(data, f.employees);
  if (!rows.ok()) return fail(rows.status());
  const auto import_start = Clock::now();
  st = ImportDataset(data, personnel.process.address(), services[2].process.address());
  if (!st.ok()) return fail(st);
  const double import_s = std::chrono::duration<double>(Clock::now() - import_start).count();
  StopService(services[2].process);

  std::vector<std::shared_ptr<grpc::Channel>> personnel_channels =
      MakeBenchChannels(personnel.process.address(), f.channels);
  std::vector<std::shared_ptr<grpc::Channel>> echo_channels =
      MakeBenchChannels(echo.process.address(), f.channels);
  std::vector<std::unique_ptr<pv1::PersonnelService::Stub>> personnel_stubs;
  std::vector<std::unique_ptr<ev1::EchoService::Stub>> echo_stubs;
  for (int i = 0; i < f.channels; ++i) {
    personnel_stubs.push_back(pv1::PersonnelService::NewStub(personnel_channels[i]));
    echo_stubs.push_back(ev1::EchoService::NewStub(echo_channels[i]));
  }
  absl::StatusOr<Catalogue> cat = Walk(*personnel_stubs[0]);
  if (!cat.ok()) return fail(cat.status());
  if (cat->nips.empty()) return fail(absl::FailedPreconditionError("no employee was imported"));
  std::printf(
      "\n== load: %zu employees (%lld rows written, imported in %.1f s), %zu pages of %d; "
      "concurrency %d over %d channels, %d round(s) of %.0f s (+%.0f s warm-up) per phase\n",
      cat->nips.size(), static_cast<long long>(*rows), import_s, cat->page_tokens.size(), kPageSize,
      f.concurrency, f.channels, f.rounds, f.seconds, f.warmup);

  LoadOptions lo;
  lo.concurrency = f.concurrency;
  lo.channels = f.channels;
  lo.warmup_seconds = f.warmup;
  lo.seconds = f.seconds;
  std::mt19937_64 rng(1);
  auto random_nip = [&](std::mt19937_64& r) -> const std::string& {
    return cat->nips[std::uniform_int_distribution<size_t>(0, cat->nips.size() - 1)(r)];
  };
  std::vector<std::string> asked(static_cast<size_t>(f.concurrency));

  db::PoolOptions po;
  po.max_connections = f.concurrency;
  absl::StatusOr<std::unique_ptr<db::Pool>> pool = db::Pool::Open(*personnel_dsn, po);
  if (!pool.ok()) return fail(pool.status());
  personnel::Repository repo(**pool);
  std::vector<std::mt19937_64> worker_rngs;
  for (int w = 0; w < f.concurrency; ++w) worker_rngs.emplace_back(100 + w);
  absl::StatusOr<std::unique_ptr<ReferenceEchoServer>> reference = ReferenceEchoServer::Start();
  if (!reference.ok()) return fail(reference.status());
  // The same minimal server in a process of its own, as the project's echo always is.
  absl::StatusOr<StartedService> own =
      StartTimed("minimal echo", "none", "minimal-echo-server", {}, 0);
  if (!own.ok()) return fail(own.status());
  std::vector<std::shared_ptr<grpc::Channel>> reference_channels =
      MakeBenchChannels((*reference)->address(), f.channels);
  std::vector<std::shared_ptr<grpc::Channel>> own_channels =
      MakeBenchChannels(own->process.address(), f.channels);
  std::vector<std::unique_ptr<ev1::EchoService::Stub>> reference_stubs, own_stubs;
  for (int i = 0; i < f.channels; ++i) {
    reference_stubs.push_back(ev1::EchoService::NewStub(reference_channels[i]));
    own_stubs.push_back(ev1::EchoService::NewStub(own_channels[i]));
  }

  auto echo_load = [&](std::vector<std::unique_ptr<ev1::EchoService::Stub>>& stubs) {
    return RunGrpcLoad<ev1::EchoResponse>(
        lo,
        [&](int slot, grpc::ClientContext* ctx, grpc::CompletionQueue* cq) {
          ev1::EchoRequest req;
          asked[slot] = random_nip(rng);
          req.set_text(asked[slot]);
          return Started(stubs[slot % f.channels]->PrepareAsyncEcho(ctx, req, cq));
        },
        [&](int slot, const ev1::EchoResponse& resp) {
          return resp.text() == asked[slot] ? absl::OkStatus()
                                            : absl::InternalError("echo returned other text");
        });
  };
  // BatchGetEmployees asks for kBatch NIPs drawn at random (repeats allowed; every one exists).
  auto random_batch = [&](std::mt19937_64& r) {
    std::vector<std::string> nips;
    for (int i = 0; i < kBatch; ++i) nips.push_back(random_nip(r));
    return nips;
  };
  std::vector<std::vector<std::string>> batch_asked(static_cast<size_t>(f.concurrency));
  auto page_of = [&](std::mt19937_64& r) {
    return std::uniform_int_distribution<size_t>(0, cat->page_tokens.size() - 1)(r);
  };
  // Every page is full but the last.
  auto page_rows = [&](size_t page) {
    return page + 1 == cat->page_tokens.size()
               ? cat->nips.size() - (cat->page_tokens.size() - 1) * kPageSize
               : static_cast<size_t>(kPageSize);
  };
  auto rows_check = [](size_t got, size_t want) {
    return got == want ? absl::OkStatus()
                       : absl::InternalError(absl::StrCat(got, " rows, expected ", want));
  };

  std::vector<Row> table = {{"echo, minimal callback (ref)", {}}, {"echo (project)", {}},
                            {"repo GetEmployee (db)", {}},        {"repo BatchGet 100 (db)", {}},
                            {"repo List 100 (db)", {}},           {"GetEmployee", {}},
                            {"BatchGetEmployees (100)", {}},      {"ListEmployees (100/page)", {}},
                            {"echo, minimal, own process", {}}};
  for (int round = 0; round < f.rounds; ++round) {
    Measure(table[0], 0, [&] { return echo_load(reference_stubs); });
    Measure(table[1], echo.process.pid(), [&] { return echo_load(echo_stubs); });
    Measure(table[8], own->process.pid(), [&] { return echo_load(own_stubs); });
    // The database part of each call: the service's own repository reads (the same
    // statements and row decoding), on a pool as large as the service's.
    Measure(table[2], 0, [&] {
      return RunWorkerLoad(lo, [&](int w) -> absl::Status {
        const std::string& nip = random_nip(worker_rngs[w]);
        absl::StatusOr<std::optional<pv1::Employee>> e = repo.GetEmployee(nip);
        if (!e.ok()) return e.status();
        if (!*e || (**e).nip() != nip) return absl::NotFoundError("employee not found");
        return absl::OkStatus();
      });
    });
    Measure(table[3], 0, [&] {
      return RunWorkerLoad(lo, [&](int w) -> absl::Status {
        std::vector<std::string> nips = random_batch(worker_rngs[w]);
        absl::StatusOr<std::vector<pv1::Employee>> found = repo.BatchGetEmployees(nips);
        if (!found.ok()) return found.status();
        return found->empty() ? absl::NotFoundError("no employee found") : absl::OkStatus();
      });
    });
    Measure(table[4], 0, [&] {
      return RunWorkerLoad(lo, [&](int w) -> absl::Status {
        const size_t page = page_of(worker_rngs[w]);
        personnel::EmployeeQuery q;
        q.active_on = domain::FormatDate(domain::Today());
        q.after_nip = page == 0 ? "" : cat->nips[page * kPageSize - 1];
        q.limit = kPageSize + 1;
        absl::StatusOr<std::vector<personnel::EmployeeRecord>> rows = repo.ListEmployees(q);
        if (!rows.ok()) return rows.status();
        return rows_check(std::min(rows->size(), static_cast<size_t>(kPageSize)), page_rows(page));
      });
    });
    Measure(table[5], personnel.process.pid(), [&] {
      return RunGrpcLoad<pv1::GetEmployeeResponse>(
          lo,
          [&](int slot, grpc::ClientContext* ctx, grpc::CompletionQueue* cq) {
            pv1::GetEmployeeRequest req;
            asked[slot] = random_nip(rng);
            req.set_nip(asked[slot]);
            return Started(
                personnel_stubs[slot % f.channels]->PrepareAsyncGetEmployee(ctx, req, cq));
          },
          [&](int slot, const pv1::GetEmployeeResponse& resp) {
            return resp.employee().nip() == asked[slot]
                       ? absl::OkStatus()
                       : absl::InternalError("GetEmployee returned another employee");
          });
    });
    Measure(table[6], personnel.process.pid(), [&] {
      return RunGrpcLoad<pv1::BatchGetEmployeesResponse>(
          lo,
          [&](int slot, grpc::ClientContext* ctx, grpc::CompletionQueue* cq) {
            pv1::BatchGetEmployeesRequest req;
            batch_asked[slot] = random_batch(rng);
            for (const std::string& nip : batch_asked[slot]) req.add_nips(nip);
            return Started(
                personnel_stubs[slot % f.channels]->PrepareAsyncBatchGetEmployees(ctx, req, cq));
          },
          [&](int slot, const pv1::BatchGetEmployeesResponse& resp) {
            return rows_check(static_cast<size_t>(resp.employees_size()), batch_asked[slot].size());
          });
    });
    Measure(table[7], personnel.process.pid(), [&] {
      return RunGrpcLoad<pv1::ListEmployeesResponse>(
          lo,
          [&](int slot, grpc::ClientContext* ctx, grpc::CompletionQueue* cq) {
            pv1::ListEmployeesRequest req;
            req.mutable_page()->set_page_size(kPageSize);
            const size_t page = page_of(rng);
            asked[slot] = std::to_string(page);
            req.mutable_page()->set_page_token(cat->page_tokens[page]);
            return Started(
                personnel_stubs[slot % f.channels]->PrepareAsyncListEmployees(ctx, req, cq));
          },
          [&](int slot, const pv1::ListEmployeesResponse& resp) {
            return rows_check(static_cast<size_t>(resp.employees_size()),
                              page_rows(std::stoul(asked[slot])));
          });
    });
  }
  PrintLoad(table);
  PrintTargets(table);
  PrintCpu(table);

  // Close our connections first: the servers' graceful shutdown waits for open calls' channels.
  personnel_stubs.clear();
  echo_stubs.clear();
  reference_stubs.clear();
  reference_channels.clear();
  own_stubs.clear();
  own_channels.clear();
  StopService(own->process);
  personnel_channels.clear();
  echo_channels.clear();
  StopService(personnel.process);
  StopService(echo.process);
  int rc = 0;
  for (const Row& r : table) {
    if (r.result.failed > 0 || r.result.ok == 0) {
      std::cerr << "serving_bench: " << r.name << ": " << r.result.ok << " ok, " << r.result.failed
                << " failed; first error: " << r.result.first_error << "\n";
      rc = 1;
    }
  }
  return rc;
}

}  // namespace
}  // namespace seimbang::bench

int main(int argc, char** argv) { return seimbang::bench::Main(argc, argv); }
