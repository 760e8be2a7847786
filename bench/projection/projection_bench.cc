// The five-year staffing projection through workload-service (issue 21), on datagen data:
// seimbang-datagen writes the profile, seimbangctl's own import loads personnel, workloads and
// signals into a personnel-service and a workload-service (--insecure-dev), then per agency one
// RunAnalysis as of 2026-10-31 and --repeat ProjectStaffing calls, timed (wall time of the RPC
// and the service's compute_ms). Every projection is checked against invariants that hold for
// any data; a violation is printed and the exit code is 1:
//   - per year, the agency's totals (staff, retirements, need, shortage, formasi and its parts)
//     are the sums over the positions;
//   - the formasi parts (existing shortage, retirements, growth) add up to its total;
//   - staff_start of year k+1 = staff_start(k) - retirements(k) (no implicit replacement);
//   - shortage >= 0; per position shortage = max(0, -gap), for the agency at least that (it
//     sums shortages without netting surpluses elsewhere);
//   - every projected unit x position is a row of the analysis run it was computed from.
//
//   projection_bench [--profile makassar|province] [--agencies CODE,...] [--engine sqlite|mariadb]
//       [--mariadb-dsn-file F] [--repeat N] [--seed N]
//
// --agencies keeps only those agencies' rows of every file (a slice of the province profile
// for the smoke in make test); without it every agency of the profile is projected.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tests/harness/service_process.h"
#include "tests/support/test_db.h"
#include "tools/csv/csv.h"
#include "tools/datagen/generator.h"
#include "tools/seimbangctl/cli.h"

namespace seimbang::bench {
namespace {

namespace wv1 = ::seimbang::workload::v1;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Flags {
  std::string profile = "makassar";
  std::set<std::string> agencies;  // empty: all
  std::string engine = "sqlite";
  std::string dsn_file;
  int repeat = 5;
  uint64_t seed = 1;
};

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Keeps the rows of `file` whose `column` is one of `agencies`.
absl::Status KeepAgencies(const std::string& file, const std::string& column,
                          const std::set<std::string>& agencies) {
  auto reader = csv::Reader::Open(file);
  if (!reader.ok()) return reader.status();
  const int at = (*reader)->Column(column);
  if (at < 0) return absl::InvalidArgumentError(absl::StrCat(file, ": no column ", column));
  std::ostringstream out;
  csv::Writer w(out);
  w.Write((*reader)->header());
  std::vector<std::string> fields;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(fields);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (agencies.count(fields[at])) w.Write(fields);
  }
  reader->reset();
  std::ofstream(file, std::ios::trunc) << out.str();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> AgencyCodes(const std::string& dir) {
  auto reader = csv::Reader::Open(dir + "/agencies.csv");
  if (!reader.ok()) return reader.status();
  std::vector<std::string> codes, fields;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(fields);
    if (!more.ok()) return more.status();
    if (!*more) return codes;
    codes.push_back(fields[(*reader)->Column("code")]);
  }
}

absl::StatusOr<std::string> WriteDataset(const Flags& f, const std::string& dir) {
  auto profile = datagen::ParseProfile(f.profile);
  if (!profile.ok()) return profile.status();
  datagen::Options o;
  o.profile = *profile;
  o.seed = f.seed;
  o.out_dir = dir;
  if (auto counts = datagen::Generate(o); !counts.ok()) return counts.status();
  if (!f.agencies.empty()) {
    for (const auto& [file, column] :
         std::vector<std::pair<std::string, std::string>>{{"agencies", "code"},
                                                          {"units", "agency_code"},
                                                          {"employees", "agency_code"},
                                                          {"workloads", "agency_code"},
                                                          {"signals", "agency_code"}}) {
      if (auto st = KeepAgencies(dir + "/" + file + ".csv", column, f.agencies); !st.ok()) {
        return st;
      }
    }
  }
  return dir;
}

absl::StatusOr<testing::ServiceProcess> Start(const std::string& binary,
                                              std::vector<std::string> args) {
  testing::ServiceProcessOptions o;
  o.args = std::move(args);
  o.args.push_back("--insecure-dev");
  o.startup_timeout_ms = 60000;  // a loaded shared machine
  return testing::ServiceProcess::Start(binary, o);
}

absl::StatusOr<std::string> FreshDsn(const Flags& f, const std::string& prefix) {
  if (f.engine == "sqlite") return testsupport::FreshSqliteDsn();
  if (!f.dsn_file.empty()) setenv("SEIMBANG_TEST_MARIADB_DSN_FILE", f.dsn_file.c_str(), 1);
  return testsupport::FreshMariaDbDsn(prefix);
}

absl::StatusOr<wv1::AnalysisSummary> RunAnalysis(wv1::WorkloadAnalysisService::Stub& stub,
                                                 const std::string& agency) {
  wv1::RunAnalysisRequest req;
  req.set_agency_code(agency);
  req.mutable_as_of()->set_year(2026);
  req.mutable_as_of()->set_month(10);
  req.mutable_as_of()->set_day(31);
  grpc::ClientContext ctx;
  auto reader = stub.RunAnalysis(&ctx, req);
  wv1::RunAnalysisResponse ev;
  std::optional<wv1::AnalysisSummary> summary;
  while (reader->Read(&ev)) {
    if (ev.has_summary()) summary = ev.summary();
  }
  grpc::Status st = reader->Finish();
  if (!st.ok())
    return absl::InternalError(absl::StrCat("RunAnalysis ", agency, ": ", st.error_message()));
  if (!summary) return absl::InternalError(absl::StrCat("RunAnalysis ", agency, ": no summary"));
  return *summary;
}

// The unit x positions of a run (every page of GetAnalysis).
absl::StatusOr<std::set<std::pair<int64_t, std::string>>> RunRows(
    wv1::WorkloadAnalysisService::Stub& stub, const std::string& run) {
  std::set<std::pair<int64_t, std::string>> rows;
  wv1::GetAnalysisRequest req;
  req.set_run_id(run);
  req.mutable_page()->set_page_size(1000);
  do {
    wv1::GetAnalysisResponse resp;
    grpc::ClientContext ctx;
    grpc::Status st = stub.GetAnalysis(&ctx, req, &resp);
    if (!st.ok()) return absl::InternalError(absl::StrCat("GetAnalysis: ", st.error_message()));
    for (const auto& r : resp.rows()) rows.insert({r.unit_id(), r.position_code()});
    req.mutable_page()->set_page_token(resp.page().next_page_token());
  } while (!req.page().page_token().empty());
  return rows;
}

void CheckYearSums(const wv1::Projection& p, std::vector<std::string>& bad) {
  const int n = p.summary().agency_size();
  std::vector<wv1::ProjectionYear> sum(n);
  for (const auto& pos : p.positions()) {
    if (pos.years_size() != n) {
      bad.push_back(absl::StrCat(pos.unit_id(), "/", pos.position_code(), " has ", pos.years_size(),
                                 " years, not ", n));
      return;
    }
    for (int k = 0; k < n; ++k) {
      const auto& y = pos.years(k);
      wv1::ProjectionYear& s = sum[k];
      s.set_staff_start(s.staff_start() + y.staff_start());
      s.set_retirements(s.retirements() + y.retirements());
      s.set_need(s.need() + y.need());
      s.set_shortage(s.shortage() + y.shortage());
      auto* f = s.mutable_formasi();
      f->set_total(f->total() + y.formasi().total());
      f->set_existing_shortage(f->existing_shortage() + y.formasi().existing_shortage());
      f->set_retirements(f->retirements() + y.formasi().retirements());
      f->set_growth(f->growth() + y.formasi().growth());
    }
  }
  for (int k = 0; k < n; ++k) {
    const auto& a = p.summary().agency(k);
    const auto& s = sum[k];
    if (a.staff_start() != s.staff_start() || a.retirements() != s.retirements() ||
        a.need() != s.need() || a.shortage() != s.shortage() ||
        a.formasi().total() != s.formasi().total() ||
        a.formasi().existing_shortage() != s.formasi().existing_shortage() ||
        a.formasi().retirements() != s.formasi().retirements() ||
        a.formasi().growth() != s.formasi().growth()) {
      bad.push_back(absl::StrCat("year ", a.year(), ": agency totals ", a.ShortDebugString(),
                                 " are not the sums over positions ", s.ShortDebugString()));
    }
  }
}

// One position's years (`summed` false) or the agency's (`summed` true: shortages are summed
// without netting surpluses, so the shortage is at least max(0, -gap) rather than equal).
void CheckYears(const std::string& where,
                const google::protobuf::RepeatedPtrField<wv1::ProjectionYear>& years, bool summed,
                std::vector<std::string>& bad) {
  for (int k = 0; k < years.size(); ++k) {
    const auto& y = years[k];
    const auto& f = y.formasi();
    if (f.existing_shortage() + f.retirements() + f.growth() != f.total() || f.total() < 0 ||
        f.existing_shortage() < 0 || f.retirements() < 0 || f.growth() < 0) {
      bad.push_back(absl::StrCat(where, " ", y.year(),
                                 ": formasi parts do not add up: ", f.ShortDebugString()));
    }
    const int64_t least = std::max<int64_t>(0, -y.gap());
    if (y.shortage() < 0 || y.gap() != y.staff_start() - y.retirements() - y.need() ||
        (summed ? y.shortage() < least : y.shortage() != least)) {
      bad.push_back(
          absl::StrCat(where, " ", y.year(), ": shortage/gap wrong: ", y.ShortDebugString()));
    }
    if (k + 1 < years.size() && years[k + 1].staff_start() != y.staff_start() - y.retirements()) {
      bad.push_back(absl::StrCat(where, " ", years[k + 1].year(), ": staff_start ",
                                 years[k + 1].staff_start(), " != ", y.staff_start(), " - ",
                                 y.retirements()));
    }
  }
}

std::vector<std::string> Check(const wv1::Projection& p,
                               const std::set<std::pair<int64_t, std::string>>& rows) {
  std::vector<std::string> bad;
  CheckYearSums(p, bad);
  CheckYears("agency", p.summary().agency(), /*summed=*/true, bad);
  for (const auto& pos : p.positions()) {
    const std::string where = absl::StrCat(pos.unit_id(), "/", pos.position_code());
    CheckYears(where, pos.years(), /*summed=*/false, bad);
    if (!rows.count({pos.unit_id(), pos.position_code()})) {
      bad.push_back(absl::StrCat(where, " is projected but not in the analysis run"));
    }
  }
  return bad;
}

struct Timing {
  std::string agency;
  int64_t employees = 0, positions = 0, formasi = 0;
  std::vector<double> wall_ms, compute_ms;
};

std::string Stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return absl::StrFormat("%.1f / %.1f / %.1f", v.front(), v[v.size() / 2], v.back());
}

// RunAnalysis, then --repeat ProjectStaffing of one agency, checked.
absl::StatusOr<Timing> ProjectAgency(wv1::WorkloadAnalysisService::Stub& stub,
                                     const std::string& agency, int repeat,
                                     std::vector<std::string>& bad) {
  auto summary = RunAnalysis(stub, agency);
  if (!summary.ok()) return summary.status();
  auto rows = RunRows(stub, summary->run_id());
  if (!rows.ok()) return rows.status();
  Timing t;
  t.agency = agency;
  for (int i = 0; i < repeat; ++i) {
    wv1::ProjectStaffingRequest req;
    req.set_agency_code(agency);
    req.set_run_id(summary->run_id());
    *req.mutable_as_of() = summary->as_of();
    wv1::FamilyGrowth* g = req.add_growth();  // growth exercises the split too
    g->set_job_family("health");
    g->set_yearly_growth(0.05);
    wv1::ProjectStaffingResponse resp;
    grpc::ClientContext ctx;
    const Clock::time_point start = Clock::now();
    grpc::Status st = stub.ProjectStaffing(&ctx, req, &resp);
    t.wall_ms.push_back(MsSince(start));
    if (!st.ok()) {
      return absl::InternalError(
          absl::StrCat("ProjectStaffing ", agency, ": ", st.error_message()));
    }
    const auto& s = resp.projection().summary();
    t.compute_ms.push_back(static_cast<double>(s.compute_ms()));
    t.employees = s.employees();
    t.positions = s.positions();
    t.formasi = s.formasi_total();
    for (const std::string& b : Check(resp.projection(), *rows)) bad.push_back(agency + ": " + b);
  }
  return t;
}

absl::StatusOr<Flags> ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat(a, " needs a value"));
    const std::string v = argv[++i];
    if (a == "--profile") {
      f.profile = v;
    } else if (a == "--agencies") {
      for (absl::string_view c : absl::StrSplit(v, ',', absl::SkipEmpty())) f.agencies.emplace(c);
    } else if (a == "--engine" && (v == "sqlite" || v == "mariadb")) {
      f.engine = v;
    } else if (a == "--mariadb-dsn-file") {
      f.dsn_file = v;
      f.engine = "mariadb";
    } else if (a == "--repeat" && absl::SimpleAtoi(v, &f.repeat) && f.repeat > 0) {
    } else if (a == "--seed" && absl::SimpleAtoi(v, &f.seed)) {
    } else {
      return absl::InvalidArgumentError(absl::StrCat("bad flag ", a, " ", v));
    }
  }
  return f;
}

int Main(int argc, char** argv) {
  auto flags = ParseFlags(argc, argv);
  if (!flags.ok()) {
    std::cerr << flags.status().message()
              << "\nusage: projection_bench [--profile makassar|province] [--agencies A,B] "
                 "[--engine sqlite|mariadb] [--mariadb-dsn-file F] [--repeat N] [--seed N]\n";
    return 2;
  }
  char tmpl[] = "/tmp/projection-bench-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  auto fail = [&](const absl::Status& st) {
    std::cerr << "projection_bench: " << st << "\n";
    fs::remove_all(dir);
    return 1;
  };
  Clock::time_point t0 = Clock::now();
  if (auto d = WriteDataset(*flags, dir + "/data"); !d.ok()) return fail(d.status());
  auto pdsn = FreshDsn(*flags, "bench_proj_p");
  auto wdsn = FreshDsn(*flags, "bench_proj_w");
  if (!pdsn.ok() || !wdsn.ok()) return fail(pdsn.ok() ? wdsn.status() : pdsn.status());
  auto personnel = Start("personnel-service", {"--db=" + *pdsn});
  if (!personnel.ok()) return fail(personnel.status());
  auto workload =
      Start("workload-service", {"--db=" + *wdsn, "--personnel-addr=" + personnel->address()});
  if (!workload.ok()) return fail(workload.status());
  std::ostringstream out, err;
  if (int rc = ctl::RunCli({"--personnel", personnel->address(), "--workload", workload->address(),
                            "import", dir + "/data"},
                           {}, out, err);
      rc != ctl::kExitOk) {
    return fail(
        absl::InternalError(absl::StrCat("import exited ", rc, ":\n", out.str(), err.str())));
  }
  const double setup_s = MsSince(t0) / 1000;
  auto codes = AgencyCodes(dir + "/data");
  if (!codes.ok()) return fail(codes.status());
  auto stub = wv1::WorkloadAnalysisService::NewStub(
      grpc::CreateChannel(workload->address(), grpc::InsecureChannelCredentials()));
  std::vector<std::string> bad;
  std::vector<Timing> timings;
  for (const std::string& code : *codes) {
    auto t = ProjectAgency(*stub, code, flags->repeat, bad);
    if (!t.ok()) return fail(t.status());
    timings.push_back(*std::move(t));
  }
  std::cout << absl::StrFormat(
      "# projection_bench --profile %s%s --engine %s --repeat %d (%s)\n", flags->profile,
      flags->agencies.empty() ? "" : " --agencies " + absl::StrJoin(flags->agencies, ","),
      flags->engine, flags->repeat, "ProjectStaffing after RunAnalysis as of 2026-10-31");
  std::cout << absl::StrFormat("# generate + import: %.1f s\n", setup_s);
  std::cout << "agency  employees  positions  formasi  wall ms (min / median / max)  compute ms "
               "(min / median / max)\n";
  int64_t employees = 0;
  double wall_total = 0;
  for (const Timing& t : timings) {
    employees += t.employees;
    std::vector<double> w = t.wall_ms;
    std::sort(w.begin(), w.end());
    wall_total += w[w.size() / 2];
    std::cout << absl::StrFormat("%-7s %9d  %9d  %7d  %28s  %31s\n", t.agency, t.employees,
                                 t.positions, t.formasi, Stats(t.wall_ms), Stats(t.compute_ms));
  }
  std::cout << absl::StrFormat("# %d agencies, %d employees, median wall summed: %.1f ms\n",
                               timings.size(), employees, wall_total);
  // Where the last call's time went, as workload-service logs it (read, fetch, compute, store).
  std::ifstream log(workload->log_path());
  std::string line, last;
  while (std::getline(log, line)) {
    if (line.find("projection_created") != std::string::npos) last = line;
  }
  std::cout << "# last projection_created: " << last << "\n";
  workload->Stop();
  personnel->Stop();
  fs::remove_all(dir);
  for (const std::string& b : bad) std::cerr << "invariant violated: " << b << "\n";
  if (!bad.empty()) return 1;
  std::cout << "# invariants hold for every projection\n";
  return 0;
}

}  // namespace
}  // namespace seimbang::bench

int main(int argc, char** argv) { return seimbang::bench::Main(argc, argv); }
