#include "tools/seimbangctl/cli.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/verifier.h"
#include "common/domain/date.h"
#include "common/errors/errors.h"
#include "common/server/channel.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tools/csv/csv.h"
#include "tools/seimbangctl/import_rows.h"
#include "tools/seimbangctl/report.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;
namespace wv1 = seimbang::workload::v1;
namespace tv1 = seimbang::transfer::v1;
namespace cv1 = seimbang::common::v1;

namespace {

constexpr char kUsage[] =
    R"(usage: seimbangctl [global flags] COMMAND ...

global flags (before the command):
  --personnel ADDR   personnel service (env SEIMBANG_PERSONNEL_ADDR, default 127.0.0.1:7001)
  --workload ADDR    workload-analysis service (env SEIMBANG_WORKLOAD_ADDR, default 127.0.0.1:7002)
  --transfer ADDR    transfer-planning service (env SEIMBANG_TRANSFER_ADDR, default 127.0.0.1:7003)
  --token T | --token-file F   bearer token (env SEIMBANG_TOKEN / SEIMBANG_TOKEN_FILE)
  --tls-ca F         TLS: trust this CA for the services (env SEIMBANG_TLS_CA)
  --tls-cert F --tls-key F     mTLS: present this client certificate (env SEIMBANG_TLS_CERT / _KEY)
  --tls-server-name N          name to verify in the services' certificate (port-forwards)
  --output table|json|csv      output format (default table)

commands:
  token --role R [--agency A] [--nip N] --secret-file F | --private-key-file F
        [--issuer I] [--audience A] [--ttl 1h] [--subject S]
  import DIR [--dry-run]
  employees get NIP | list [--agency A] [--unit U] [--position P] [--family F] [--page-size N] [--page-token T]
  analysis run --agency A --as-of DATE [--label L] | show RUN | compare RUN1 RUN2
  policy create --agency A --name N [--file policy.json] | show ID
  plan create --agency A --run RUN --policy ID --effective DATE [--label L]
  plan show ID | moves ID [--top N] [--unit U] [--family F] [--by-id] | explain ID MOVE
  plan compare A B | submit ID | approve ID [--note N] | reject ID --reason R | cancel ID [--reason R]
  plan revise ID [--label L] | execute ID | export ID [--format csv|sk] | story ID --unit-name TEXT
  objection file PLAN MOVE --reason R | resolve ID --accept|--reject [--note N] | list PLAN
  report PLAN --out FILE.html

exit codes: 0 ok, 2 usage error, 3 not found, 4 server or other error
)";

const std::set<std::string> kGlobalFlags = {"personnel",  "workload",       "transfer", "token",
                                            "token-file", "output",         "tls-ca",   "tls-cert",
                                            "tls-key",    "tls-server-name"};
const std::set<std::string> kSwitches = {"accept", "reject", "dry-run", "by-id", "all", "help"};

struct UsageError {
  std::string message;
};

// A simple table printed aligned (table) or as CSV (csv).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

class Cli {
 public:
  Cli(Args args, const std::map<std::string, std::string>& env, std::ostream& out,
      std::ostream& err, bool terminal)
      : args_(std::move(args)), env_(env), out_(out), err_(err), terminal_(terminal) {}

  int Run();

 private:
  // ---- plumbing
  std::string Global(const std::string& flag, const std::string& env,
                     const std::string& def) const {
    auto it = args_.global.find(flag);
    if (it != args_.global.end()) return it->second;
    auto e = env_.find(env);
    if (e != env_.end() && !e->second.empty()) return e->second;
    return def;
  }
  std::string Flag(const std::string& name, const std::string& def = "") const {
    auto it = args_.flags.find(name);
    return it == args_.flags.end() ? def : it->second;
  }
  std::string Required(const std::string& name) const {
    auto it = args_.flags.find(name);
    if (it == args_.flags.end() || it->second.empty())
      throw UsageError{absl::StrCat("--", name, " is required")};
    return it->second;
  }
  const std::string& Word(size_t i, const std::string& what) const {
    if (i >= args_.words.size()) throw UsageError{absl::StrCat("missing ", what)};
    return args_.words[i];
  }
  bool Switch(const std::string& name) const { return args_.switches.count(name) > 0; }
  int64_t IntFlag(const std::string& name, int64_t def) const {
    std::string v = Flag(name);
    if (v.empty()) return def;
    int64_t out = 0;
    if (!absl::SimpleAtoi(v, &out))
      throw UsageError{absl::StrCat("--", name, " must be a whole number")};
    return out;
  }
  cv1::Date DateFlag(const std::string& name) const {
    std::string v = Required(name);
    auto d = domain::ParseDate(v);
    if (!d.ok()) throw UsageError{absl::StrCat("--", name, ": '", v, "' is not a date YYYY-MM-DD")};
    cv1::Date out;
    out.set_year(d->year);
    out.set_month(d->month);
    out.set_day(d->day);
    return out;
  }

  std::string Token() {
    if (token_loaded_) return token_;
    token_loaded_ = true;
    token_ = Global("token", "SEIMBANG_TOKEN", "");
    if (token_.empty()) {
      std::string file = Global("token-file", "SEIMBANG_TOKEN_FILE", "");
      if (!file.empty()) {
        auto t = auth::ReadKeyFile(file);
        if (!t.ok()) throw UsageError{std::string(t.status().message())};
        token_ = std::string(absl::StripAsciiWhitespace(*t));
      }
    }
    return token_;
  }
  std::unique_ptr<grpc::ClientContext> Ctx(int64_t ms = 60000) {
    return server::ClientContextWithDeadline(ms, Token());
  }
  // The services' TLS as their own peers use it (server::ClientTlsFromConfig):
  // plaintext without --tls-ca, TLS with it, mTLS with --tls-cert/--tls-key too.
  server::ClientTlsOptions Tls() const {
    server::ServerConfig c;
    c.tls_ca = Global("tls-ca", "SEIMBANG_TLS_CA", "");
    c.tls_cert = Global("tls-cert", "SEIMBANG_TLS_CERT", "");
    c.tls_key = Global("tls-key", "SEIMBANG_TLS_KEY", "");
    if (c.tls_cert.empty() != c.tls_key.empty()) {
      throw UsageError{"--tls-cert and --tls-key go together"};
    }
    if (!c.tls_cert.empty() && c.tls_ca.empty()) {
      throw UsageError{"--tls-cert needs --tls-ca (the CA that signed the services' certificates)"};
    }
    server::ClientTlsOptions tls = server::ClientTlsFromConfig(c);
    tls.server_name_override = Global("tls-server-name", "SEIMBANG_TLS_SERVER_NAME", "");
    return tls;
  }
  std::shared_ptr<grpc::Channel> Channel(const std::string& flag, const std::string& env,
                                         const std::string& def) {
    std::string target = Global(flag, env, def);
    server::ChannelOptions options;
    options.tls = Tls();
    auto ch = server::MakeChannel(target, options);
    if (!ch.ok()) throw UsageError{absl::StrCat("--", flag, ": ", ch.status().message())};
    return *ch;
  }
  pv1::PersonnelService::Stub& Personnel() {
    if (!personnel_) {
      personnel_ = pv1::PersonnelService::NewStub(
          Channel("personnel", "SEIMBANG_PERSONNEL_ADDR", "127.0.0.1:7001"));
    }
    return *personnel_;
  }
  wv1::WorkloadAnalysisService::Stub& Workload() {
    if (!workload_) {
      workload_ = wv1::WorkloadAnalysisService::NewStub(
          Channel("workload", "SEIMBANG_WORKLOAD_ADDR", "127.0.0.1:7002"));
    }
    return *workload_;
  }
  tv1::TransferPlanningService::Stub& Transfer() {
    if (!transfer_) {
      transfer_ = tv1::TransferPlanningService::NewStub(
          Channel("transfer", "SEIMBANG_TRANSFER_ADDR", "127.0.0.1:7003"));
    }
    return *transfer_;
  }

  // An RPC failed: plain words, the field violations, and the exit code.
  int RpcError(const std::string& what, const grpc::Status& s) {
    err_ << "seimbangctl: " << what << " failed: " << s.error_message() << " ("
         << CodeName(s.error_code()) << ")\n";
    for (const auto& v : errors::FieldViolationsOf(s)) {
      err_ << "  - " << v.field << ": " << v.description << "\n";
    }
    if (s.error_code() == grpc::StatusCode::UNAVAILABLE) {
      // A TLS listener drops a plaintext or certificate-less client during the
      // handshake, which gRPC reports only as UNAVAILABLE: say what to check.
      const server::ClientTlsOptions tls = Tls();
      if (tls.ca_file.empty()) {
        err_ << "  hint: if the service serves TLS, pass --tls-ca (and --tls-cert/--tls-key "
                "when it requires client certificates)\n";
      } else if (tls.cert_file.empty()) {
        err_ << "  hint: if the service requires client certificates (mTLS), pass --tls-cert "
                "and --tls-key\n";
      }
    }
    return s.error_code() == grpc::StatusCode::NOT_FOUND ? kExitNotFound : kExitError;
  }
  static std::string CodeName(grpc::StatusCode c) {
    return absl::StatusCodeToString(static_cast<absl::StatusCode>(c));
  }

  std::string Json(const google::protobuf::Message& m) {
    std::string s;
    google::protobuf::util::JsonPrintOptions o;
    o.add_whitespace = true;
    o.always_print_primitive_fields = true;
    (void)google::protobuf::util::MessageToJsonString(m, &s, o);
    return s;
  }

  // Prints `m` as JSON, or `t` as a table / CSV.
  void Emit(const google::protobuf::Message& m, const Table& t) {
    if (output_ == "json") {
      std::string json = Json(m);
      if (json.empty() || json.back() != '\n') json += '\n';
      out_ << json;
      return;
    }
    PrintTable(t);
  }
  void PrintTable(const Table& t) {
    if (output_ == "csv") {
      csv::Writer w(out_);
      if (!t.header.empty()) w.Write(t.header);
      for (const auto& r : t.rows) w.Write(r);
      return;
    }
    size_t columns = t.header.size();
    for (const auto& r : t.rows) columns = std::max(columns, r.size());
    std::vector<size_t> width(columns, 0);
    auto measure = [&](const std::vector<std::string>& r) {
      for (size_t i = 0; i < r.size() && i < width.size(); ++i)
        width[i] = std::max(width[i], Utf8Len(r[i]));
    };
    measure(t.header);
    for (const auto& r : t.rows) measure(r);
    auto line = [&](const std::vector<std::string>& r) {
      std::string s;
      for (size_t i = 0; i < r.size(); ++i) {
        s += r[i];
        if (i + 1 < r.size()) s += std::string(width[i] - Utf8Len(r[i]) + 2, ' ');
      }
      out_ << s << "\n";
    };
    if (!t.header.empty()) {
      line(t.header);
      std::vector<std::string> dashes;
      for (size_t w : width) dashes.push_back(std::string(w, '-'));
      line(dashes);
    }
    for (const auto& r : t.rows) line(r);
  }
  static size_t Utf8Len(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }

  // Progress: a redrawn bar on a terminal, plain lines otherwise (to stderr, so
  // stdout stays machine-readable).
  void Progress(const cv1::Progress& p) { Progress(p.stage(), p.message(), p.done(), p.total()); }
  void Progress(const std::string& stage, const std::string& message, int64_t done, int64_t total) {
    if (output_ == "json" && !terminal_) return;
    if (terminal_) {
      std::string bar;
      if (total > 0) {
        int filled = static_cast<int>(30.0 * std::min(done, total) / total);
        bar = absl::StrCat("[", std::string(filled, '#'), std::string(30 - filled, ' '), "] ", done,
                           "/", total, " ");
      }
      err_ << "\r\033[K" << stage << " " << bar << message << std::flush;
      progress_open_ = true;
    } else if (stage != last_stage_ || (total > 0 && done == total)) {
      err_ << stage << ": " << message
           << (total > 0 ? absl::StrCat(" (", done, "/", total, ")") : "") << "\n";
    }
    last_stage_ = stage;
  }
  void EndProgress() {
    if (progress_open_) err_ << "\n";
    progress_open_ = false;
    last_stage_.clear();
  }

  static std::string DateText(const cv1::Date& d) {
    return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
  }
  static std::string F2(double v) { return absl::StrFormat("%.2f", v); }
  static std::string Pct(double v) { return absl::StrFormat("%.1f%%", v * 100); }

  // ---- commands
  int Token_();
  int Import();
  int ImportPersonnel(const std::string& path, const std::string& kind, bool dry_run);
  int ImportWorkloads(const std::string& path, bool dry_run);
  int ImportSignals(const std::string& path, bool dry_run);
  void PrintSummary(const std::string& file, const cv1::ImportSummary& s, int64_t local_rejected);
  int Employees();
  int Analysis();
  int Policy();
  int Plan();
  int PlanStory(const std::string& plan_id);
  int Objection();
  int Report();

  // Helpers fetching everything across pages.
  bool AllAnalysisRows(const std::string& run, std::vector<wv1::PositionRow>& rows,
                       wv1::AnalysisSummary* summary, grpc::Status& st);
  bool AllMoves(const std::string& plan, bool by_importance, std::vector<tv1::Move>& moves,
                grpc::Status& st);
  bool AllUnits(const std::string& agency, std::vector<pv1::Unit>& units, grpc::Status& st);
  bool GetPlan(const std::string& id, tv1::GetPlanResponse& resp, grpc::Status& st);
  void PrintPlanSummary(const tv1::PlanSummary& p, const std::vector<tv1::UnfilledNeed>& unfilled);
  void PrintAnalysisSummary(const wv1::AnalysisSummary& s);

  Args args_;
  const std::map<std::string, std::string>& env_;
  std::ostream& out_;
  std::ostream& err_;
  bool terminal_;
  std::string output_ = "table";
  bool token_loaded_ = false;
  std::string token_;
  bool progress_open_ = false;
  std::string last_stage_;
  std::unique_ptr<pv1::PersonnelService::Stub> personnel_;
  std::unique_ptr<wv1::WorkloadAnalysisService::Stub> workload_;
  std::unique_ptr<tv1::TransferPlanningService::Stub> transfer_;
};

int Cli::Run() {
  output_ = Global("output", "SEIMBANG_OUTPUT", "table");
  if (output_ != "table" && output_ != "json" && output_ != "csv") {
    throw UsageError{"--output must be table, json or csv"};
  }
  if (args_.words.empty() || Switch("help")) throw UsageError{""};
  const std::string& cmd = args_.words[0];
  if (cmd == "token") return Token_();
  if (cmd == "import") return Import();
  if (cmd == "employees") return Employees();
  if (cmd == "analysis") return Analysis();
  if (cmd == "policy") return Policy();
  if (cmd == "plan") return Plan();
  if (cmd == "objection") return Objection();
  if (cmd == "report") return Report();
  throw UsageError{absl::StrCat("unknown command '", cmd, "'")};
}

// ------------------------------------------------------------------ token

int Cli::Token_() {
  auth::MintOptions o;
  auto role = auth::ParseRole(Required("role"));
  if (!role.ok()) throw UsageError{std::string(role.status().message())};
  o.claims.role = *role;
  o.claims.agency = Flag("agency");
  o.claims.nip = Flag("nip");
  o.claims.subject = Flag("subject", "seimbangctl-" + std::string(auth::RoleName(*role)));
  if (!absl::ParseDuration(Flag("ttl", "1h"), &o.ttl) || o.ttl <= absl::ZeroDuration()) {
    throw UsageError{"--ttl must be a positive duration such as 30m or 2h"};
  }
  // iss/aud must match the services' --auth-issuer/--auth-audience when those are set.
  o.issuer = Flag("issuer");
  o.audience = Flag("audience");
  const std::string secret_file = Flag("secret-file");
  const std::string private_key_file = Flag("private-key-file");
  if (secret_file.empty() == private_key_file.empty()) {
    throw UsageError{
        "give one of --secret-file (HS256) or --private-key-file (RS256/ES256 PEM private key)"};
  }
  if (!secret_file.empty()) {
    auto secret = auth::ReadKeyFile(secret_file);
    if (!secret.ok()) {
      err_ << "seimbangctl: " << secret.status().message() << "\n";
      return kExitError;
    }
    std::string key(*secret);
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    o.algorithm = auth::Algorithm::kHS256;
    o.key = key;
  } else {
    auto key = auth::ReadSigningKeyFile(private_key_file);
    if (!key.ok()) {
      err_ << "seimbangctl: " << key.status().message() << "\n";
      return kExitError;
    }
    o.algorithm = key->algorithm;
    o.key = std::move(key->pem);
  }
  o.issued_at = absl::Now();
  auto token = auth::Mint(o);
  if (!token.ok()) {
    err_ << "seimbangctl: cannot mint a token: " << token.status().message() << "\n";
    return kExitError;
  }
  out_ << *token << "\n";
  return kExitOk;
}

// ------------------------------------------------------------------ import

void Cli::PrintSummary(const std::string& file, const cv1::ImportSummary& s,
                       int64_t local_rejected) {
  out_ << absl::StrFormat("%-14s received %d, inserted %d, updated %d, unchanged %d, rejected %d\n",
                          file, s.received() + local_rejected, s.inserted(), s.updated(),
                          s.unchanged(), s.rejected() + local_rejected);
  for (const auto& e : s.errors()) {
    out_ << absl::StrFormat("  line %d%s %s: %s\n", e.sequence(),
                            e.natural_key().empty() ? "" : absl::StrCat(" [", e.natural_key(), "]"),
                            e.field().empty() ? "row" : e.field(), e.reason());
  }
}

int Cli::Import() {
  const std::string dir = Word(1, "DIR");
  const bool dry_run = Switch("dry-run");
  for (const char* kind : {"agencies", "units", "positions", "employees"}) {
    int rc = ImportPersonnel(absl::StrCat(dir, "/", kind, ".csv"), kind, dry_run);
    if (rc != kExitOk) return rc;
  }
  int rc = ImportWorkloads(dir + "/workloads.csv", dry_run);
  if (rc != kExitOk) return rc;
  return ImportSignals(dir + "/signals.csv", dry_run);
}

namespace {
// "  line 7 unit_id: 'x' is not a whole number", or without a column for the record as a whole.
std::string RejectedLine(int64_t line, const RowProblem& p) {
  return p.column.empty() ? absl::StrFormat("  line %d: %s", line, p.reason)
                          : absl::StrFormat("  line %d %s: %s", line, p.column, p.reason);
}
}  // namespace

int Cli::ImportPersonnel(const std::string& path, const std::string& kind, bool dry_run) {
  auto reader = csv::Reader::Open(path);
  if (!reader.ok()) {
    err_ << "seimbangctl: " << reader.status().message() << "\n";
    return kExitError;
  }
  csv::Reader& r = **reader;
  const auto& required = kind == "agencies"    ? RequiredAgencyColumns()
                         : kind == "units"     ? RequiredUnitColumns()
                         : kind == "positions" ? RequiredPositionColumns()
                                               : RequiredEmployeeColumns();
  if (auto s = r.RequireColumns(required); !s.ok()) {
    err_ << "seimbangctl: " << path << ": " << s.message() << "\n";
    return kExitError;
  }
  pv1::ImportRecordsResponse resp;
  auto ctx = Ctx(30 * 60 * 1000);
  auto stream = Personnel().ImportRecords(ctx.get(), &resp);
  pv1::ImportRecordsRequest first;
  first.mutable_options()->set_dry_run(dry_run);
  bool open = stream->Write(first);
  std::vector<std::string> fields;
  std::vector<std::string> local;  // rows refused before sending
  int64_t sent = 0;
  absl::flat_hash_map<std::string, int64_t> nip_lines;  // employees: NIP -> first line
  const std::string file = absl::StrCat(kind, ".csv");
  while (open) {
    auto more = r.Next(fields);
    if (!more.ok()) {
      local.push_back(absl::StrCat("  ", more.status().message()));
      break;
    }
    if (!*more) break;
    CsvRow row(r.header(), fields);
    pv1::ImportRecordsRequest req;
    req.set_sequence(r.line());
    std::vector<RowProblem> problems;
    if (kind == "agencies") {
      auto c = AgencyFromCsv(row);
      problems = c.problems;
      *req.mutable_agency() = std::move(c.message);
    } else if (kind == "units") {
      auto c = UnitFromCsv(row);
      problems = c.problems;
      *req.mutable_unit() = std::move(c.message);
    } else if (kind == "positions") {
      auto c = PositionFromCsv(row);
      problems = c.problems;
      *req.mutable_position() = std::move(c.message);
    } else {
      auto c = EmployeeFromCsv(row);
      problems = c.problems;
      // Two rows of one file with the same NIP are two people or a typo, never an update.
      if (problems.empty()) {
        auto [it, first_time] = nip_lines.emplace(c.message.nip(), r.line());
        if (!first_time) {
          problems.push_back({"nip", absl::StrCat("the same NIP is on line ", it->second)});
        }
      }
      *req.mutable_employee() = std::move(c.message);
    }
    if (!problems.empty()) {
      local.push_back(RejectedLine(r.line(), problems[0]));
      continue;
    }
    open = stream->Write(req, grpc::WriteOptions().set_buffer_hint());
    if (++sent % 2000 == 0) Progress("import", file, sent, 0);
  }
  stream->WritesDone();
  grpc::Status st = stream->Finish();
  EndProgress();
  if (!st.ok()) return RpcError(absl::StrCat("import of ", file), st);
  PrintSummary(file, resp.summary(), static_cast<int64_t>(local.size()));
  if (resp.summary().received() != sent) {
    // Never report a partial import as a finished one.
    err_ << "seimbangctl: import of " << file << ": personnel received "
         << resp.summary().received() << " of the " << sent << " rows sent\n";
    return kExitError;
  }
  for (const auto& l : local) out_ << l << "\n";
  for (const auto& w : resp.warnings()) {
    (void)w;  // Warnings (e.g. rank outside band) are counted, not listed: messy data is expected.
  }
  if (resp.warnings_size() > 0)
    out_ << "  " << resp.warnings_size() << " warnings (e.g. rank outside the position's band)\n";
  return kExitOk;
}

int Cli::ImportWorkloads(const std::string& path, bool dry_run) {
  auto reader = csv::Reader::Open(path);
  if (!reader.ok()) {
    err_ << "seimbangctl: " << reader.status().message() << "\n";
    return kExitError;
  }
  csv::Reader& r = **reader;
  if (auto s = r.RequireColumns(RequiredWorkloadColumns()); !s.ok()) {
    err_ << "seimbangctl: " << path << ": " << s.message() << "\n";
    return kExitError;
  }
  wv1::ImportWorkloadResponse resp;
  auto ctx = Ctx(30 * 60 * 1000);
  auto stream = Workload().ImportWorkload(ctx.get(), &resp);
  std::vector<std::string> fields, local;
  bool open = true, first = true;
  int64_t sent = 0;
  while (open) {
    auto more = r.Next(fields);
    if (!more.ok()) {
      local.push_back(absl::StrCat("  ", more.status().message()));
      break;
    }
    if (!*more) break;
    auto c = WorkloadFromCsv(CsvRow(r.header(), fields));
    if (!c.problems.empty()) {
      local.push_back(RejectedLine(r.line(), c.problems[0]));
      continue;
    }
    c.message.set_sequence(r.line());
    if (first) c.message.set_dry_run(dry_run);
    first = false;
    open = stream->Write(c.message, grpc::WriteOptions().set_buffer_hint());
    if (++sent % 2000 == 0) Progress("import", "workloads.csv", sent, 0);
  }
  stream->WritesDone();
  grpc::Status st = stream->Finish();
  EndProgress();
  if (!st.ok()) return RpcError("import of workloads.csv", st);
  PrintSummary("workloads.csv", resp.summary(), static_cast<int64_t>(local.size()));
  for (const auto& l : local) out_ << l << "\n";
  return kExitOk;
}

int Cli::ImportSignals(const std::string& path, bool dry_run) {
  auto reader = csv::Reader::Open(path);
  if (!reader.ok()) {
    err_ << "seimbangctl: " << reader.status().message() << "\n";
    return kExitError;
  }
  csv::Reader& r = **reader;
  if (auto s = r.RequireColumns(RequiredSignalColumns()); !s.ok()) {
    err_ << "seimbangctl: " << path << ": " << s.message() << "\n";
    return kExitError;
  }
  constexpr int kBatch = 10000;  // the RPC's limit per call
  std::vector<std::string> fields, local;
  int64_t received = 0, recorded = 0, first_line = 0, last_line = 0;
  wv1::RecordDemandSignalsRequest batch;
  int rc = kExitOk;
  auto flush = [&]() {
    if (batch.signals_size() == 0) return true;
    if (dry_run) {
      recorded += batch.signals_size();
      batch.Clear();
      return true;
    }
    wv1::RecordDemandSignalsResponse resp;
    auto ctx = Ctx(5 * 60 * 1000);
    grpc::Status st = Workload().RecordDemandSignals(ctx.get(), batch, &resp);
    if (!st.ok()) {
      rc = RpcError(absl::StrCat("signals.csv lines ", first_line, "-", last_line), st);
      return false;
    }
    recorded += resp.recorded();
    batch.Clear();
    Progress("import", "signals.csv", recorded, 0);
    return true;
  };
  while (true) {
    auto more = r.Next(fields);
    if (!more.ok()) {
      local.push_back(absl::StrCat("  ", more.status().message()));
      break;
    }
    if (!*more) break;
    ++received;
    auto c = SignalFromCsv(CsvRow(r.header(), fields));
    if (!c.problems.empty()) {
      local.push_back(RejectedLine(r.line(), c.problems[0]));
      continue;
    }
    if (batch.signals_size() == 0) first_line = r.line();
    last_line = r.line();
    *batch.add_signals() = std::move(c.message);
    if (batch.signals_size() == kBatch && !flush()) break;
  }
  if (rc == kExitOk) flush();
  EndProgress();
  if (rc != kExitOk) return rc;
  out_ << absl::StrFormat("%-14s received %d, recorded %d, rejected %d\n", "signals.csv", received,
                          recorded, local.size());
  for (const auto& l : local) out_ << l << "\n";
  return kExitOk;
}

// ------------------------------------------------------------------ employees

int Cli::Employees() {
  const std::string& sub = Word(1, "employees subcommand (get|list)");
  if (sub == "get") {
    pv1::GetEmployeeRequest req;
    req.set_nip(Word(2, "NIP"));
    pv1::GetEmployeeResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Personnel().GetEmployee(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("GetEmployee", st);
    const auto& e = resp.employee();
    Table t{{"field", "value"},
            {{"nip", e.nip()},
             {"name", e.name()},
             {"type", pv1::EmploymentType_Name(e.employment_type())},
             {"agency", e.agency_code()},
             {"unit_id", absl::StrCat(e.unit_id())},
             {"position", e.position_code()},
             {"rank", e.rank()},
             {"education", absl::StrCat(pv1::EducationLevel_Name(e.education_level()), " ",
                                        e.education_field())},
             {"in_post_since", DateText(e.in_post_since())},
             {"birth_date", DateText(e.birth_date())},
             {"home_kecamatan", e.home_kecamatan()},
             {"competencies", absl::StrJoin(e.competency_tags(), ", ")},
             {"version", absl::StrCat(e.version())}}};
    Emit(resp, t);
    return kExitOk;
  }
  if (sub == "list") {
    pv1::ListEmployeesRequest req;
    req.mutable_filter()->set_agency_code(Flag("agency"));
    req.mutable_filter()->set_unit_subtree(IntFlag("unit", 0));
    req.mutable_filter()->set_position_code(Flag("position"));
    req.mutable_filter()->set_job_family(Flag("family"));
    req.mutable_page()->set_page_size(static_cast<int32_t>(IntFlag("page-size", 100)));
    req.mutable_page()->set_page_token(Flag("page-token"));
    pv1::ListEmployeesResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Personnel().ListEmployees(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("ListEmployees", st);
    Table t{{"nip", "name", "unit_id", "position", "rank", "type"}, {}};
    for (const auto& e : resp.employees()) {
      t.rows.push_back({e.nip(), e.name(), absl::StrCat(e.unit_id()), e.position_code(), e.rank(),
                        e.employment_type() == pv1::EMPLOYMENT_TYPE_PPPK ? "PPPK" : "PNS"});
    }
    Emit(resp, t);
    if (output_ == "table" && !resp.page().next_page_token().empty()) {
      out_ << "next page: --page-token " << resp.page().next_page_token() << "\n";
    }
    return kExitOk;
  }
  throw UsageError{absl::StrCat("unknown employees subcommand '", sub, "'")};
}

// ------------------------------------------------------------------ analysis

void Cli::PrintAnalysisSummary(const wv1::AnalysisSummary& s) {
  Table t{
      {"", ""},
      {{"run", s.run_id()},
       {"agency", s.agency_code()},
       {"as of", DateText(s.as_of())},
       {"label", s.label()},
       {"units / unit x positions", absl::StrCat(s.units(), " / ", s.positions())},
       {"staff / need", absl::StrCat(s.total_staff(), " / ", s.total_need())},
       {"surplus / deficit", absl::StrCat(s.total_surplus(), " / ", s.total_deficit())},
       {"over / under / vacant",
        absl::StrCat(s.positions_over(), " / ", s.positions_under(), " / ", s.positions_vacant())},
       {"balanced share", Pct(s.balanced_share())},
       {"EJ CV / Gini", absl::StrCat(F2(s.ej_cv()), " / ", F2(s.ej_gini()))},
       {"Robin Hood index", Pct(s.robin_hood_index())},
       {"WKE (minutes/year)", absl::StrFormat("%.0f", s.settings().effective_minutes_per_year())}}};
  t.header.clear();
  Emit(s, t);
}

int Cli::Analysis() {
  const std::string& sub = Word(1, "analysis subcommand (run|show|compare)");
  if (sub == "run") {
    wv1::RunAnalysisRequest req;
    req.set_agency_code(Required("agency"));
    *req.mutable_as_of() = DateFlag("as-of");
    req.set_label(Flag("label"));
    req.set_request_id(Flag("request-id"));
    auto ctx = Ctx(30 * 60 * 1000);
    auto reader = Workload().RunAnalysis(ctx.get(), req);
    wv1::RunAnalysisResponse ev;
    wv1::AnalysisSummary summary;
    bool got = false;
    while (reader->Read(&ev)) {
      if (ev.has_progress()) Progress(ev.progress());
      if (ev.has_summary()) {
        summary = ev.summary();
        got = true;
      }
    }
    grpc::Status st = reader->Finish();
    EndProgress();
    if (!st.ok()) return RpcError("RunAnalysis", st);
    if (!got) {
      err_ << "seimbangctl: RunAnalysis ended without a summary\n";
      return kExitError;
    }
    PrintAnalysisSummary(summary);
    return kExitOk;
  }
  if (sub == "show") {
    std::vector<wv1::PositionRow> rows;
    wv1::AnalysisSummary summary;
    grpc::Status st;
    if (!AllAnalysisRows(Word(2, "RUN"), rows, &summary, st)) return RpcError("GetAnalysis", st);
    PrintAnalysisSummary(summary);
    if (output_ != "table") return kExitOk;
    std::sort(rows.begin(), rows.end(), [](const wv1::PositionRow& a, const wv1::PositionRow& b) {
      return a.gap() < b.gap();
    });
    Table t{{"unit", "position", "family", "staff", "need", "gap", "EJ"}, {}};
    auto add = [&](const wv1::PositionRow& r) {
      t.rows.push_back({absl::StrCat(r.unit_id()), r.position_code(), r.job_family(),
                        absl::StrCat(r.staff()), absl::StrCat(r.required_headcount()),
                        absl::StrCat(r.gap()), r.vacant() ? "vacant" : F2(r.ej())});
    };
    for (size_t i = 0; i < rows.size() && i < 10 && rows[i].gap() < 0; ++i) add(rows[i]);
    out_ << "\nLargest shortages and surpluses:\n";
    for (size_t i = 0; i < rows.size() && i < 10; ++i) {
      const auto& r = rows[rows.size() - 1 - i];
      if (r.gap() <= 0) break;
      add(r);
    }
    PrintTable(t);
    return kExitOk;
  }
  if (sub == "compare") {
    wv1::CompareAnalysesRequest req;
    req.set_base_run_id(Word(2, "RUN1"));
    req.set_other_run_id(Word(3, "RUN2"));
    req.mutable_page()->set_page_size(static_cast<int32_t>(IntFlag("page-size", 100)));
    wv1::CompareAnalysesResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Workload().CompareAnalyses(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("CompareAnalyses", st);
    Table t{{"", "delta"},
            {{"need", absl::StrCat(resp.total_need_delta())},
             {"staff", absl::StrCat(resp.total_staff_delta())},
             {"surplus", absl::StrCat(resp.total_surplus_delta())},
             {"deficit", absl::StrCat(resp.total_deficit_delta())},
             {"balanced share", Pct(resp.balanced_share_delta())},
             {"EJ CV", F2(resp.ej_cv_delta())},
             {"Robin Hood index", Pct(resp.robin_hood_index_delta())},
             {"rows that differ", absl::StrCat(resp.rows_size())}}};
    Emit(resp, t);
    return kExitOk;
  }
  throw UsageError{absl::StrCat("unknown analysis subcommand '", sub, "'")};
}

bool Cli::AllAnalysisRows(const std::string& run, std::vector<wv1::PositionRow>& rows,
                          wv1::AnalysisSummary* summary, grpc::Status& st) {
  std::string token;
  do {
    wv1::GetAnalysisRequest req;
    req.set_run_id(run);
    req.mutable_page()->set_page_size(1000);
    req.mutable_page()->set_page_token(token);
    wv1::GetAnalysisResponse resp;
    auto ctx = Ctx();
    st = Workload().GetAnalysis(ctx.get(), req, &resp);
    if (!st.ok()) return false;
    if (summary != nullptr) *summary = resp.summary();
    for (auto& r : *resp.mutable_rows()) rows.push_back(std::move(r));
    token = resp.page().next_page_token();
  } while (!token.empty());
  return true;
}

// ------------------------------------------------------------------ policy

int Cli::Policy() {
  const std::string& sub = Word(1, "policy subcommand (create|show)");
  if (sub == "create") {
    tv1::CreatePolicyRequest req;
    std::string file = Flag("file");
    if (!file.empty()) {
      auto text = auth::ReadKeyFile(file);
      if (!text.ok()) {
        err_ << "seimbangctl: " << text.status().message() << "\n";
        return kExitError;
      }
      auto s = google::protobuf::util::JsonStringToMessage(*text, req.mutable_policy());
      if (!s.ok()) throw UsageError{absl::StrCat(file, ": not a Policy in JSON: ", s.ToString())};
    }
    req.mutable_policy()->set_agency_code(Required("agency"));
    req.mutable_policy()->set_name(Required("name"));
    req.set_request_id(Flag("request-id"));
    tv1::CreatePolicyResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().CreatePolicy(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("CreatePolicy", st);
    const auto& p = resp.policy();
    Emit(p, Table{{},
                  {{"id", p.id()},
                   {"agency", p.agency_code()},
                   {"name", p.name()},
                   {"version", absl::StrCat(p.version())}}});
    return kExitOk;
  }
  if (sub == "show") {
    tv1::GetPolicyRequest req;
    req.set_id(Word(2, "ID"));
    tv1::GetPolicyResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().GetPolicy(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("GetPolicy", st);
    if (output_ == "json") {
      Emit(resp.policy(), {});
    } else {
      out_ << Json(resp.policy()) << "\n";
    }
    return kExitOk;
  }
  throw UsageError{absl::StrCat("unknown policy subcommand '", sub, "'")};
}

// ------------------------------------------------------------------ plan

bool Cli::GetPlan(const std::string& id, tv1::GetPlanResponse& resp, grpc::Status& st) {
  tv1::GetPlanRequest req;
  req.set_plan_id(id);
  auto ctx = Ctx();
  st = Transfer().GetPlan(ctx.get(), req, &resp);
  return st.ok();
}

bool Cli::AllMoves(const std::string& plan, bool by_importance, std::vector<tv1::Move>& moves,
                   grpc::Status& st) {
  std::string token;
  do {
    tv1::ListMovesRequest req;
    req.set_plan_id(plan);
    req.set_by_importance(by_importance);
    req.mutable_page()->set_page_size(1000);
    req.mutable_page()->set_page_token(token);
    tv1::ListMovesResponse resp;
    auto ctx = Ctx();
    st = Transfer().ListMoves(ctx.get(), req, &resp);
    if (!st.ok()) return false;
    for (auto& m : *resp.mutable_moves()) moves.push_back(std::move(m));
    token = resp.page().next_page_token();
  } while (!token.empty());
  return true;
}

bool Cli::AllUnits(const std::string& agency, std::vector<pv1::Unit>& units, grpc::Status& st) {
  std::string token;
  do {
    pv1::ListUnitsRequest req;
    req.set_agency_code(agency);
    req.set_include_inactive(true);
    req.mutable_page()->set_page_size(1000);
    req.mutable_page()->set_page_token(token);
    pv1::ListUnitsResponse resp;
    auto ctx = Ctx();
    st = Personnel().ListUnits(ctx.get(), req, &resp);
    if (!st.ok()) return false;
    for (auto& u : *resp.mutable_units()) units.push_back(std::move(u));
    token = resp.page().next_page_token();
  } while (!token.empty());
  return true;
}

void Cli::PrintPlanSummary(const tv1::PlanSummary& p,
                           const std::vector<tv1::UnfilledNeed>& unfilled) {
  out_ << "Plan " << p.id() << " (" << tv1::PlanState_Name(p.state()) << ", revision "
       << p.revision() << ") for " << p.agency_code() << ", effective "
       << DateText(p.effective_date()) << "\n";
  out_ << "  " << p.candidates() << " employees considered, " << p.eligible()
       << " eligible; solved in " << p.solve_ms() << " ms\n\n";
  const auto& b = p.before();
  const auto& a = p.after();
  PrintTable(
      {{"", "before", "after"},
       {{"unit x positions over need", absl::StrCat(b.units_over()), absl::StrCat(a.units_over())},
        {"unit x positions under need", absl::StrCat(b.units_under()),
         absl::StrCat(a.units_under())},
        {"total surplus", absl::StrCat(b.total_surplus()), absl::StrCat(a.total_surplus())},
        {"total deficit", absl::StrCat(b.total_deficit()), absl::StrCat(a.total_deficit())},
        {"balanced share", Pct(b.balanced_share()), Pct(a.balanced_share())},
        {"EJ coefficient of variation", F2(b.ej_cv()), F2(a.ej_cv())},
        {"Robin Hood index", Pct(b.robin_hood_index()), Pct(a.robin_hood_index())}}});
  out_ << "\nMoves: " << p.moves() << " (lower bound " << p.moves_lower_bound() << ")\n";
  Table fam{{"job family", "moves", "lower bound"}, {}};
  for (const auto& f : p.by_family()) {
    fam.rows.push_back({f.job_family(), absl::StrCat(f.moves()), absl::StrCat(f.lower_bound())});
  }
  if (!fam.rows.empty()) PrintTable(fam);
  out_ << "\nUnfilled: " << p.unfilled() << " people still missing\n";
  Table un{{"unit", "position", "missing", "reason"}, {}};
  for (size_t i = 0; i < unfilled.size() && i < 10; ++i) {
    const auto& u = unfilled[i];
    std::string reason = absl::AsciiStrToLower(
        std::string(absl::StripPrefix(tv1::UnfilledReason_Name(u.reason()), "UNFILLED_REASON_")));
    if (!u.rule().empty()) absl::StrAppend(&reason, " (", u.rule(), ")");
    un.rows.push_back({u.unit_name(), u.position_code(), absl::StrCat(u.missing()), reason});
  }
  if (!un.rows.empty()) PrintTable(un);
  if (unfilled.size() > 10) out_ << "  ... and " << unfilled.size() - 10 << " more\n";
}

int Cli::Plan() {
  const std::string& sub = Word(1, "plan subcommand");
  if (sub == "create" || sub == "revise") {
    tv1::PlanSummary plan;
    bool got = false;
    auto ctx = Ctx(60 * 60 * 1000);
    grpc::Status st;
    if (sub == "create") {
      tv1::CreatePlanRequest req;
      req.set_agency_code(Required("agency"));
      req.set_analysis_run_id(Required("run"));
      req.set_policy_id(Required("policy"));
      *req.mutable_effective_date() = DateFlag("effective");
      req.set_label(Flag("label"));
      req.set_request_id(Flag("request-id"));
      auto reader = Transfer().CreatePlan(ctx.get(), req);
      tv1::CreatePlanResponse ev;
      while (reader->Read(&ev)) {
        if (ev.has_progress()) Progress(ev.progress());
        if (ev.has_plan()) plan = ev.plan(), got = true;
      }
      st = reader->Finish();
    } else {
      tv1::RevisePlanRequest req;
      req.set_plan_id(Word(2, "ID"));
      req.set_label(Flag("label"));
      req.set_request_id(Flag("request-id"));
      auto reader = Transfer().RevisePlan(ctx.get(), req);
      tv1::RevisePlanResponse ev;
      while (reader->Read(&ev)) {
        if (ev.has_progress()) Progress(ev.progress());
        if (ev.has_plan()) plan = ev.plan(), got = true;
      }
      st = reader->Finish();
    }
    EndProgress();
    if (!st.ok()) return RpcError(sub == "create" ? "CreatePlan" : "RevisePlan", st);
    if (!got) {
      err_ << "seimbangctl: the plan stream ended without a plan\n";
      return kExitError;
    }
    if (output_ == "json") {
      Emit(plan, {});
    } else {
      PrintPlanSummary(plan, {});
    }
    return kExitOk;
  }
  if (sub == "show") {
    tv1::GetPlanResponse resp;
    grpc::Status st;
    if (!GetPlan(Word(2, "ID"), resp, st)) return RpcError("GetPlan", st);
    if (output_ == "json") {
      Emit(resp, {});
    } else {
      PrintPlanSummary(resp.plan(), {resp.unfilled().begin(), resp.unfilled().end()});
    }
    return kExitOk;
  }
  if (sub == "moves") {
    tv1::ListMovesRequest req;
    req.set_plan_id(Word(2, "ID"));
    req.set_by_importance(!Switch("by-id"));
    req.set_unit_id(IntFlag("unit", 0));
    req.set_job_family(Flag("family"));
    req.mutable_page()->set_page_size(
        static_cast<int32_t>(IntFlag("top", IntFlag("page-size", 20))));
    req.mutable_page()->set_page_token(Flag("page-token"));
    tv1::ListMovesResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().ListMoves(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("ListMoves", st);
    if (output_ == "table") {
      int i = 0;
      for (const auto& m : resp.moves()) {
        out_ << absl::StrFormat(
            "%2d. %s  %s (%s)\n    %s / %s  ->  %s / %s   [importance %.0f, cost %.0f]\n    %s\n",
            ++i, m.id(), m.employee_name(), m.nip(), m.from_unit_name(), m.from_position_code(),
            m.to_unit_name(), m.to_position_code(), m.importance(), m.cost().total(), m.summary());
      }
      if (resp.moves().empty()) out_ << "no moves\n";
      return kExitOk;
    }
    Table t{{"id", "nip", "name", "family", "from_unit", "from_position", "to_unit", "to_position",
             "importance", "cost", "summary"},
            {}};
    for (const auto& m : resp.moves()) {
      t.rows.push_back({m.id(), m.nip(), m.employee_name(), m.job_family(), m.from_unit_name(),
                        m.from_position_code(), m.to_unit_name(), m.to_position_code(),
                        F2(m.importance()), F2(m.cost().total()), m.summary()});
    }
    Emit(resp, t);
    return kExitOk;
  }
  if (sub == "explain") {
    tv1::ExplainMoveRequest req;
    req.set_plan_id(Word(2, "ID"));
    req.set_move_id(Word(3, "MOVE"));
    tv1::ExplainMoveResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().ExplainMove(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("ExplainMove", st);
    if (output_ == "json") {
      Emit(resp, {});
      return kExitOk;
    }
    const auto& m = resp.move();
    out_ << m.id() << ": " << m.employee_name() << " (" << m.nip() << ")\n  " << resp.sentence()
         << "\n\n";
    auto slot = [&](const std::string& what, const tv1::SlotState& s) {
      return std::vector<std::string>{what, absl::StrCat(s.unit_name(), " / ", s.position_code()),
                                      absl::StrCat(s.staff_before(), " -> ", s.staff_after()),
                                      absl::StrCat(s.need()),
                                      absl::StrCat(F2(s.ej_before()), " -> ", F2(s.ej_after()))};
    };
    PrintTable({{"", "unit / position", "staff", "need", "EJ"},
                {slot("from", resp.source()), slot("to", resp.target())}});
    out_ << "\nRules met: " << absl::StrJoin(resp.rules_satisfied(), ", ") << "\n";
    out_ << absl::StrFormat(
        "Cost: %.1f (base %.1f, distance %.1f for %.1f km, competency %.1f, preference %.1f, "
        "rotation %.1f)\n",
        m.cost().total(), m.cost().base(), m.cost().distance(), m.cost().distance_km(),
        m.cost().competency(), m.cost().preference(), m.cost().rotation());
    if (resp.has_best_alternative()) {
      const auto& a = resp.best_alternative();
      out_ << absl::StrFormat("Best alternative: %s / %s, %.1f more\n", a.unit_name(),
                              a.position_code(), a.extra_cost());
    }
    return kExitOk;
  }
  if (sub == "compare") {
    tv1::ComparePlansRequest req;
    req.set_base_plan_id(Word(2, "A"));
    req.set_other_plan_id(Word(3, "B"));
    tv1::ComparePlansResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().ComparePlans(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("ComparePlans", st);
    Table t{{"change", "move", "nip", "name", "from", "to"}, {}};
    for (const auto& m : resp.added()) {
      t.rows.push_back(
          {"added", m.id(), m.nip(), m.employee_name(), m.from_unit_name(), m.to_unit_name()});
    }
    for (const auto& m : resp.removed()) {
      t.rows.push_back(
          {"removed", m.id(), m.nip(), m.employee_name(), m.from_unit_name(), m.to_unit_name()});
    }
    if (output_ == "table") {
      out_ << absl::StrFormat("%s: %d moves, %s: %d moves; %d unchanged, %d added, %d removed\n",
                              resp.base().id(), resp.base().moves(), resp.other().id(),
                              resp.other().moves(), resp.unchanged(), resp.added_size(),
                              resp.removed_size());
    }
    Emit(resp, t);
    return kExitOk;
  }
  if (sub == "submit" || sub == "approve" || sub == "reject" || sub == "cancel") {
    const std::string id = Word(2, "ID");
    tv1::GetPlanResponse cur;
    grpc::Status st;
    if (!GetPlan(id, cur, st)) return RpcError("GetPlan", st);
    tv1::PlanSummary plan;
    auto ctx = Ctx();
    if (sub == "submit") {
      tv1::SubmitPlanRequest req;
      req.set_plan_id(id);
      req.set_etag(cur.plan().etag());
      req.set_request_id(Flag("request-id"));
      tv1::SubmitPlanResponse resp;
      st = Transfer().SubmitPlan(ctx.get(), req, &resp);
      plan = resp.plan();
    } else if (sub == "approve") {
      tv1::ApprovePlanRequest req;
      req.set_plan_id(id);
      req.set_etag(cur.plan().etag());
      req.set_note(Flag("note"));
      req.set_request_id(Flag("request-id"));
      tv1::ApprovePlanResponse resp;
      st = Transfer().ApprovePlan(ctx.get(), req, &resp);
      plan = resp.plan();
    } else if (sub == "reject") {
      tv1::RejectPlanRequest req;
      req.set_plan_id(id);
      req.set_etag(cur.plan().etag());
      req.set_reason(Required("reason"));
      req.set_request_id(Flag("request-id"));
      tv1::RejectPlanResponse resp;
      st = Transfer().RejectPlan(ctx.get(), req, &resp);
      plan = resp.plan();
    } else {
      tv1::CancelPlanRequest req;
      req.set_plan_id(id);
      req.set_etag(cur.plan().etag());
      req.set_reason(Flag("reason"));
      req.set_request_id(Flag("request-id"));
      tv1::CancelPlanResponse resp;
      st = Transfer().CancelPlan(ctx.get(), req, &resp);
      plan = resp.plan();
    }
    if (!st.ok()) return RpcError(absl::StrCat("plan ", sub), st);
    Emit(plan, Table{{}, {{"plan", plan.id()}, {"state", tv1::PlanState_Name(plan.state())}}});
    return kExitOk;
  }
  if (sub == "execute") {
    const std::string id = Word(2, "ID");
    tv1::ExecutePlanRequest req;
    req.set_plan_id(id);
    req.set_request_id(Flag("request-id"));
    tv1::ExecutePlanResponse resp;
    auto ctx = Ctx(60 * 60 * 1000);
    grpc::Status st = Transfer().ExecutePlan(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("ExecutePlan", st);
    tv1::Execution ex = resp.execution();
    // ExecutePlan may return while the saga still runs: follow it to the end.
    while (ex.finish_time_ms() == 0 && ex.plan_state() == tv1::PLAN_STATE_EXECUTING) {
      Progress(
          "execute",
          absl::StrCat(ex.applied(), " applied, ", ex.stale(), " stale, ", ex.failed(), " failed"),
          ex.total() - ex.pending(), ex.total());
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      tv1::GetExecutionRequest g;
      g.set_plan_id(id);
      g.mutable_page()->set_page_size(1);
      tv1::GetExecutionResponse gr;
      auto c2 = Ctx();
      st = Transfer().GetExecution(c2.get(), g, &gr);
      if (!st.ok()) return RpcError("GetExecution", st);
      ex = gr.execution();
    }
    EndProgress();
    Emit(ex, Table{{},
                   {{"plan", ex.plan_id()},
                    {"state", tv1::PlanState_Name(ex.plan_state())},
                    {"moves", absl::StrCat(ex.total())},
                    {"applied / stale / failed / pending",
                     absl::StrCat(ex.applied(), " / ", ex.stale(), " / ", ex.failed(), " / ",
                                  ex.pending())},
                    {"last error", ex.last_error()}}});
    return ex.failed() > 0 ? kExitError : kExitOk;
  }
  if (sub == "export") {
    tv1::ExportPlanRequest req;
    req.set_plan_id(Word(2, "ID"));
    std::string format = Flag("format", "csv");
    if (format == "csv") {
      req.set_format(tv1::EXPORT_FORMAT_CSV);
    } else if (format == "sk") {
      req.set_format(tv1::EXPORT_FORMAT_DECREE_DRAFTS);
    } else {
      throw UsageError{"--format must be csv or sk"};
    }
    auto ctx = Ctx(10 * 60 * 1000);
    auto reader = Transfer().ExportPlan(ctx.get(), req);
    tv1::ExportPlanResponse line;
    while (reader->Read(&line)) {
      out_ << line.text();
      if (format == "sk") out_ << "\n\f\n";
    }
    grpc::Status st = reader->Finish();
    if (!st.ok()) return RpcError("ExportPlan", st);
    return kExitOk;
  }
  if (sub == "story") return PlanStory(Word(2, "ID"));
  throw UsageError{absl::StrCat("unknown plan subcommand '", sub, "'")};
}

// Staff against need for the units whose name contains the text (and their sub-units).
int Cli::PlanStory(const std::string& plan_id) {
  const std::string text = Required("unit-name");
  tv1::GetPlanResponse plan;
  grpc::Status st;
  if (!GetPlan(plan_id, plan, st)) return RpcError("GetPlan", st);
  std::vector<pv1::Unit> units;
  if (!AllUnits(plan.plan().agency_code(), units, st)) return RpcError("ListUnits", st);
  std::vector<wv1::PositionRow> rows;
  if (!AllAnalysisRows(plan.plan().analysis_run_id(), rows, nullptr, st))
    return RpcError("GetAnalysis", st);
  std::vector<tv1::Move> moves;
  if (!AllMoves(plan_id, true, moves, st)) return RpcError("ListMoves", st);

  std::map<int64_t, const pv1::Unit*> by_id;
  for (const auto& u : units) by_id[u.id()] = &u;
  const std::string needle = absl::AsciiStrToLower(text);
  auto matches = [&](int64_t id) {
    for (int depth = 0; depth < 64; ++depth) {
      auto it = by_id.find(id);
      if (it == by_id.end()) return false;
      if (absl::StrContains(absl::AsciiStrToLower(it->second->name()), needle)) return true;
      id = it->second->parent_id();
      if (id == 0) return false;
    }
    return false;
  };
  std::map<int64_t, std::string> names;
  for (const auto& u : units) names[u.id()] = u.name();
  std::vector<ReportSlot> slots = BuildSlots(rows, moves, names);
  struct Agg {
    int need = 0, before = 0, after = 0, in = 0, out = 0;
  };
  std::map<int64_t, Agg> agg;
  Agg total;
  for (const auto& s : slots) {
    if (!matches(s.unit_id)) continue;
    Agg& a = agg[s.unit_id];
    a.need += s.need;
    a.before += s.staff_before;
    a.after += s.staff_after;
  }
  std::vector<const tv1::Move*> in_moves, out_moves;
  for (const auto& m : moves) {
    bool to = matches(m.to_unit_id()), from = matches(m.from_unit_id());
    if (to && from) continue;  // inside the story's units: no change to their total
    if (to) ++agg[m.to_unit_id()].in, in_moves.push_back(&m);
    if (from) ++agg[m.from_unit_id()].out, out_moves.push_back(&m);
  }
  if (agg.empty()) {
    err_ << "seimbangctl: no unit of agency " << plan.plan().agency_code()
         << " has a name containing '" << text << "'\n";
    return kExitNotFound;
  }
  Table t{{"unit", "need", "staff before", "staff after", "moves in", "moves out"}, {}};
  for (const auto& [id, a] : agg) {
    t.rows.push_back({names[id], absl::StrCat(a.need), absl::StrCat(a.before),
                      absl::StrCat(a.after), absl::StrCat(a.in), absl::StrCat(a.out)});
    total.need += a.need, total.before += a.before, total.after += a.after, total.in += a.in,
        total.out += a.out;
  }
  t.rows.push_back({"TOTAL", absl::StrCat(total.need), absl::StrCat(total.before),
                    absl::StrCat(total.after), absl::StrCat(total.in), absl::StrCat(total.out)});
  if (output_ == "table") {
    out_ << "Units matching '" << text << "' in plan " << plan_id << ": staff " << total.before
         << " -> " << total.after << " against a need of " << total.need << "\n\n";
  }
  PrintTable(t);
  if (output_ != "table") return kExitOk;
  auto list = [&](const char* title, const std::vector<const tv1::Move*>& ms) {
    if (ms.empty()) return;
    out_ << "\n" << title << " (" << ms.size() << "), most important first:\n";
    for (size_t i = 0; i < ms.size() && i < 10; ++i) {
      const auto& m = *ms[i];
      out_ << "  " << m.id() << "  " << m.employee_name() << ": " << m.from_unit_name() << " -> "
           << m.to_unit_name() << " (" << m.to_position_code() << ")\n      " << m.summary()
           << "\n";
    }
    if (ms.size() > 10) out_ << "  ... and " << ms.size() - 10 << " more\n";
  };
  list("Moves in", in_moves);
  list("Moves out", out_moves);
  int missing = 0;
  Table un{{"unit", "position", "missing", "reason"}, {}};
  for (const auto& u : plan.unfilled()) {
    if (!matches(u.unit_id())) continue;
    missing += u.missing();
    std::string reason = absl::AsciiStrToLower(
        std::string(absl::StripPrefix(tv1::UnfilledReason_Name(u.reason()), "UNFILLED_REASON_")));
    if (!u.rule().empty()) absl::StrAppend(&reason, " (", u.rule(), ")");
    un.rows.push_back({u.unit_name(), u.position_code(), absl::StrCat(u.missing()), reason});
  }
  out_ << "\nUnfilled needs: " << missing << "\n";
  if (!un.rows.empty()) PrintTable(un);
  return kExitOk;
}

// ------------------------------------------------------------------ objections

int Cli::Objection() {
  const std::string& sub = Word(1, "objection subcommand (file|resolve|list)");
  auto row = [](const tv1::Objection& o) {
    return std::vector<std::string>{
        o.id(), o.plan_id(), o.move_id(), o.nip(), tv1::ObjectionState_Name(o.state()), o.reason()};
  };
  const std::vector<std::string> header = {"id", "plan", "move", "nip", "state", "reason"};
  if (sub == "file") {
    tv1::FileObjectionRequest req;
    req.set_plan_id(Word(2, "PLAN"));
    req.set_move_id(Word(3, "MOVE"));
    req.set_reason(Required("reason"));
    req.set_request_id(Flag("request-id"));
    tv1::FileObjectionResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().FileObjection(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("FileObjection", st);
    Emit(resp.objection(), Table{header, {row(resp.objection())}});
    return kExitOk;
  }
  if (sub == "resolve") {
    if (Switch("accept") == Switch("reject"))
      throw UsageError{"give exactly one of --accept or --reject"};
    tv1::ResolveObjectionRequest req;
    req.set_objection_id(Word(2, "ID"));
    req.set_accept(Switch("accept"));
    req.set_note(Flag("note"));
    req.set_request_id(Flag("request-id"));
    tv1::ResolveObjectionResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().ResolveObjection(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("ResolveObjection", st);
    Emit(resp.objection(), Table{header, {row(resp.objection())}});
    return kExitOk;
  }
  if (sub == "list") {
    tv1::ListObjectionsRequest req;
    req.set_plan_id(Word(2, "PLAN"));
    req.mutable_page()->set_page_size(static_cast<int32_t>(IntFlag("page-size", 100)));
    req.mutable_page()->set_page_token(Flag("page-token"));
    tv1::ListObjectionsResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().ListObjections(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("ListObjections", st);
    Table t{header, {}};
    for (const auto& o : resp.objections()) t.rows.push_back(row(o));
    Emit(resp, t);
    return kExitOk;
  }
  throw UsageError{absl::StrCat("unknown objection subcommand '", sub, "'")};
}

// ------------------------------------------------------------------ report

int Cli::Report() {
  const std::string plan_id = Word(1, "PLAN");
  const std::string path = Required("out");
  ReportInput in;
  tv1::GetPlanResponse plan;
  grpc::Status st;
  if (!GetPlan(plan_id, plan, st)) return RpcError("GetPlan", st);
  in.plan = plan.plan();
  in.unfilled.assign(plan.unfilled().begin(), plan.unfilled().end());
  {
    tv1::GetPolicyRequest req;
    req.set_id(in.plan.policy_id());
    req.set_version(in.plan.policy_version());
    tv1::GetPolicyResponse resp;
    auto ctx = Ctx();
    st = Transfer().GetPolicy(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("GetPolicy", st);
    in.policy = resp.policy();
  }
  if (!AllMoves(plan_id, true, in.moves, st)) return RpcError("ListMoves", st);
  std::vector<wv1::PositionRow> rows;
  wv1::AnalysisSummary summary;
  if (!AllAnalysisRows(in.plan.analysis_run_id(), rows, &summary, st))
    return RpcError("GetAnalysis", st);
  if (summary.settings().effective_minutes_per_year() > 0) {
    in.effective_minutes_per_year = summary.settings().effective_minutes_per_year();
  }
  std::vector<pv1::Unit> units;
  std::map<int64_t, std::string> names;
  if (AllUnits(in.plan.agency_code(), units, st)) {
    for (const auto& u : units) names[u.id()] = u.name();
  }
  {
    pv1::GetAgencyRequest req;
    req.set_code(in.plan.agency_code());
    pv1::GetAgencyResponse resp;
    auto ctx = Ctx();
    if (Personnel().GetAgency(ctx.get(), req, &resp).ok()) in.agency_name = resp.agency().name();
  }
  in.slots = BuildSlots(rows, in.moves, names);
  in.generated_at = absl::FormatTime("%Y-%m-%d %H:%M %Z", absl::Now(), absl::UTCTimeZone());
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << RenderPlanReport(in);
  f.close();
  if (!f) {
    err_ << "seimbangctl: cannot write " << path << "\n";
    return kExitError;
  }
  if (output_ == "table") out_ << "wrote " << path << " (" << in.moves.size() << " moves)\n";
  return kExitOk;
}

}  // namespace

absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& argv) {
  Args a;
  bool in_command = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& s = argv[i];
    if (s.size() > 2 && s.rfind("--", 0) == 0) {
      std::string name = s.substr(2), value;
      bool has_value = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
      if (!in_command && !kGlobalFlags.count(name) && name != "help") {
        return absl::InvalidArgumentError(absl::StrCat("unknown global flag --", name,
                                                       " (global flags come before the command)"));
      }
      if (kSwitches.count(name) && !has_value) {
        a.switches.insert(name);
        continue;
      }
      if (!has_value) {
        if (i + 1 >= argv.size())
          return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
        value = argv[++i];
      }
      (in_command ? a.flags : a.global)[name] = value;
      continue;
    }
    in_command = true;
    a.words.push_back(s);
  }
  return a;
}

int RunCli(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
           std::ostream& out, std::ostream& err, bool terminal) {
  auto args = ParseArgs(argv);
  if (!args.ok()) {
    err << "seimbangctl: " << args.status().message() << "\n\n" << kUsage;
    return kExitUsage;
  }
  try {
    Cli cli(*std::move(args), env, out, err, terminal);
    return cli.Run();
  } catch (const UsageError& u) {
    if (!u.message.empty()) err << "seimbangctl: " << u.message << "\n\n";
    err << kUsage;
    return kExitUsage;
  }
}

}  // namespace seimbang::ctl
