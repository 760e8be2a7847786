// seimbangctl plumbing: flags, token, TLS and channels, tables / JSON / CSV output,
// progress and RPC errors.
#include <google/protobuf/util/json_util.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/auth/verifier.h"
#include "common/domain/date.h"
#include "common/errors/errors.h"
#include "tools/csv/csv.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;
namespace wv1 = seimbang::workload::v1;
namespace tv1 = seimbang::transfer::v1;
namespace cv1 = seimbang::common::v1;

std::string Cli::Global(const std::string& flag, const std::string& env,
                        const std::string& def) const {
  auto it = args_.global.find(flag);
  if (it != args_.global.end()) return it->second;
  auto e = env_.find(env);
  if (e != env_.end() && !e->second.empty()) return e->second;
  return def;
}
std::string Cli::Flag(const std::string& name, const std::string& def) const {
  auto it = args_.flags.find(name);
  return it == args_.flags.end() ? def : it->second;
}
std::string Cli::Required(const std::string& name) const {
  auto it = args_.flags.find(name);
  if (it == args_.flags.end() || it->second.empty())
    throw UsageError{absl::StrCat("--", name, " is required")};
  return it->second;
}
const std::string& Cli::Word(size_t i, const std::string& what) const {
  if (i >= args_.words.size()) throw UsageError{absl::StrCat("missing ", what)};
  return args_.words[i];
}
bool Cli::Switch(const std::string& name) const { return args_.switches.count(name) > 0; }
int64_t Cli::IntFlag(const std::string& name, int64_t def) const {
  std::string v = Flag(name);
  if (v.empty()) return def;
  int64_t out = 0;
  if (!absl::SimpleAtoi(v, &out))
    throw UsageError{absl::StrCat("--", name, " must be a whole number")};
  return out;
}
cv1::Date Cli::DateFlag(const std::string& name) const {
  std::string v = Required(name);
  auto d = domain::ParseDate(v);
  if (!d.ok()) throw UsageError{absl::StrCat("--", name, ": '", v, "' is not a date YYYY-MM-DD")};
  cv1::Date out;
  out.set_year(d->year);
  out.set_month(d->month);
  out.set_day(d->day);
  return out;
}

std::string Cli::Token() {
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
std::unique_ptr<grpc::ClientContext> Cli::Ctx(int64_t ms) {
  return server::ClientContextWithDeadline(ms, Token());
}
// The services' TLS as their own peers use it (server::ClientTlsFromConfig):
// plaintext without --tls-ca, TLS with it, mTLS with --tls-cert/--tls-key too.
server::ClientTlsOptions Cli::Tls() const {
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
std::shared_ptr<grpc::Channel> Cli::Channel(const std::string& flag, const std::string& env,
                                            const std::string& def) {
  std::string target = Global(flag, env, def);
  server::ChannelOptions options;
  options.tls = Tls();
  auto ch = server::MakeChannel(target, options);
  if (!ch.ok()) throw UsageError{absl::StrCat("--", flag, ": ", ch.status().message())};
  return *ch;
}
pv1::PersonnelService::Stub& Cli::Personnel() {
  if (!personnel_) {
    personnel_ = pv1::PersonnelService::NewStub(
        Channel("personnel", "SEIMBANG_PERSONNEL_ADDR", "127.0.0.1:7001"));
  }
  return *personnel_;
}
wv1::WorkloadAnalysisService::Stub& Cli::Workload() {
  if (!workload_) {
    workload_ = wv1::WorkloadAnalysisService::NewStub(
        Channel("workload", "SEIMBANG_WORKLOAD_ADDR", "127.0.0.1:7002"));
  }
  return *workload_;
}
tv1::TransferPlanningService::Stub& Cli::Transfer() {
  if (!transfer_) {
    transfer_ = tv1::TransferPlanningService::NewStub(
        Channel("transfer", "SEIMBANG_TRANSFER_ADDR", "127.0.0.1:7003"));
  }
  return *transfer_;
}

// An RPC failed: plain words, the field violations, and the exit code.
int Cli::RpcError(const std::string& what, const grpc::Status& s) {
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
std::string Cli::CodeName(grpc::StatusCode c) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(c));
}

std::string Cli::Json(const google::protobuf::Message& m) {
  std::string s;
  google::protobuf::util::JsonPrintOptions o;
  o.add_whitespace = true;
  o.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(m, &s, o);
  return s;
}

// Prints `m` as JSON, or `t` as a table / CSV.
void Cli::Emit(const google::protobuf::Message& m, const Table& t) {
  if (output_ == "json") {
    std::string json = Json(m);
    if (json.empty() || json.back() != '\n') json += '\n';
    out_ << json;
    return;
  }
  PrintTable(t);
}
void Cli::PrintTable(const Table& t) {
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
size_t Cli::Utf8Len(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Progress: a redrawn bar on a terminal, plain lines otherwise (to stderr, so
// stdout stays machine-readable).
void Cli::Progress(const cv1::Progress& p) {
  Progress(p.stage(), p.message(), p.done(), p.total());
}
void Cli::Progress(const std::string& stage, const std::string& message, int64_t done,
                   int64_t total) {
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
    err_ << stage << ": " << message << (total > 0 ? absl::StrCat(" (", done, "/", total, ")") : "")
         << "\n";
  }
  last_stage_ = stage;
}
void Cli::EndProgress() {
  if (progress_open_) err_ << "\n";
  progress_open_ = false;
  last_stage_.clear();
}

std::string Cli::DateText(const cv1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}
std::string Cli::F2(double v) { return absl::StrFormat("%.2f", v); }
std::string Cli::Pct(double v) { return absl::StrFormat("%.1f%%", v * 100); }

}  // namespace seimbang::ctl
