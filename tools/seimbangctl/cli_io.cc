// seimbangctl plumbing: flags, token, TLS and channels, tables / JSON / CSV output,
// progress and RPC errors.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/auth/verifier.h"
#include "common/domain/date.h"
#include "common/domain/text.h"
#include "common/errors/errors.h"
#include "common/proto_convert/date.h"
#include "tools/csv/csv.h"
#include "tools/seimbangctl/cli_internal.h"
#include "tools/seimbangctl/report.h"

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
std::vector<std::string> Cli::Flags(const std::string& name) const {
  std::vector<std::string> out;
  auto it = args_.flag_values.find(name);
  if (it == args_.flag_values.end()) return out;
  for (const std::string& v : it->second) {
    for (absl::string_view part : absl::StrSplit(v, ',', absl::SkipWhitespace())) {
      out.emplace_back(absl::StripAsciiWhitespace(part));
    }
  }
  return out;
}
std::string Cli::Required(const std::string& name) const {
  auto it = args_.flags.find(name);
  if (it == args_.flags.end() || it->second.empty()) throw UsageError{T("err.required", name)};
  return it->second;
}
const std::string& Cli::Word(size_t i, const std::string& what) const {
  if (i >= args_.words.size()) throw UsageError{T("err.missing_arg", what)};
  return args_.words[i];
}
bool Cli::Switch(const std::string& name) const { return args_.switches.count(name) > 0; }
int64_t Cli::IntFlag(const std::string& name, int64_t def) const {
  std::string v = Flag(name);
  if (v.empty()) return def;
  int64_t out = 0;
  if (!absl::SimpleAtoi(v, &out)) throw UsageError{T("err.whole_number", name, v)};
  return out;
}
cv1::Date Cli::DateFlag(const std::string& name) const {
  std::string v = Required(name);
  auto d = domain::ParseDate(v);
  if (!d.ok()) throw UsageError{T("err.date", name, v)};
  return proto_convert::ToProto(*d);
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
    throw UsageError{T("err.tls_pair")};
  }
  if (!c.tls_cert.empty() && c.tls_ca.empty()) {
    throw UsageError{T("err.tls_ca")};
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
namespace {
struct Service {
  const char* name;
  const char* flag;
  const char* env;
  const char* def;
};
constexpr Service kPersonnel{"personnel", "personnel", "SEIMBANG_PERSONNEL_ADDR", "127.0.0.1:7001"};
constexpr Service kWorkload{"workload", "workload", "SEIMBANG_WORKLOAD_ADDR", "127.0.0.1:7002"};
constexpr Service kTransfer{"transfer", "transfer", "SEIMBANG_TRANSFER_ADDR", "127.0.0.1:7003"};
}  // namespace
// Notes the service a stub call goes to, for RpcError.
void Cli::Note(const char* service, const char* flag, const char* env, const char* def) {
  last_service_ = service;
  last_flag_ = flag;
  last_env_ = env;
  last_address_ = Global(flag, env, def);
}
// The service's stub, its channel made on first use; notes the service for RpcError.
template <typename Stub, typename NewStub>
Stub& Cli::Connect(std::unique_ptr<Stub>& stub, const char* service, const char* flag,
                   const char* env, const char* def, NewStub new_stub) {
  Note(service, flag, env, def);
  if (!stub) stub = new_stub(Channel(flag, env, def), grpc::StubOptions());
  return *stub;
}
PersonnelStub& Cli::Personnel() {
  return Connect(personnel_, kPersonnel.name, kPersonnel.flag, kPersonnel.env, kPersonnel.def,
                 &pv1::PersonnelService::NewStub);
}
WorkloadStub& Cli::Workload() {
  return Connect(workload_, kWorkload.name, kWorkload.flag, kWorkload.env, kWorkload.def,
                 &wv1::WorkloadAnalysisService::NewStub);
}
TransferStub& Cli::Transfer() {
  return Connect(transfer_, kTransfer.name, kTransfer.flag, kTransfer.env, kTransfer.def,
                 &tv1::TransferPlanningService::NewStub);
}

// An RPC failed: plain words, the field violations, and the exit code.
int Cli::RpcError(const std::string& what, const grpc::Status& s) {
  if (s.error_code() != grpc::StatusCode::UNAVAILABLE) {
    err_ << "seimbangctl: " << T("rpc.failed", what, s.error_message(), CodeName(s.error_code()))
         << "\n";
    for (const auto& v : errors::FieldViolationsOf(s)) {
      err_ << "  - " << v.field << ": " << v.description << "\n";
    }
    // The code in the user's words, from the catalogue, after the service's own detail.
    const std::string means = absl::StrCat("rpc.means.", CodeName(s.error_code()));
    if (HasText(means)) err_ << "  " << T("rpc.means", T(means)) << "\n";
    return s.error_code() == grpc::StatusCode::NOT_FOUND ? kExitNotFound : kExitError;
  }
  // Unreachable: which service at which address, what to check; TLS only when
  // TLS flags were given or the connection broke off as a TLS handshake does
  // (a refused or unresolvable address is no TLS matter).
  err_ << "seimbangctl: "
       << T("rpc.unreachable", what, last_service_, last_address_, CodeName(s.error_code()))
       << "\n";
  err_ << "  " << T("rpc.detail", s.error_message()) << "\n";
  err_ << "  " << T("rpc.check_running", last_service_, last_address_) << "\n";
  err_ << "  " << T("rpc.check_address", last_flag_, last_env_) << "\n";
  const std::string& m = s.error_message();
  const bool refused =
      absl::StrContains(m, "Connection refused") || absl::StrContains(m, "DNS resolution failed") ||
      absl::StrContains(m, "Name or service not known") || absl::StrContains(m, "No address");
  const server::ClientTlsOptions tls = Tls();
  if (!tls.ca_file.empty() || !refused) {
    if (tls.ca_file.empty()) {
      err_ << "  " << T("rpc.hint_tls") << "\n";
    } else if (tls.cert_file.empty()) {
      err_ << "  " << T("rpc.hint_mtls") << "\n";
    } else {
      err_ << "  " << T("rpc.hint_tls_files") << "\n";
    }
  }
  return kExitError;
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

namespace {
// A JSON value (protobuf's Value) as YAML, indented by `indent`.
void YamlOf(const google::protobuf::Value& v, int indent, bool in_list, std::string& out);

std::string YamlScalar(const std::string& s) {
  bool plain = !s.empty() && s.find_first_of(":#{}[],&*!|>'\"%@`\n") == std::string::npos &&
               s.front() != ' ' && s.back() != ' ' && s.front() != '-' && s != "true" &&
               s != "false" && s != "null" && s != "yes" && s != "no" &&
               !absl::ascii_isdigit(static_cast<unsigned char>(s.front()));
  if (plain) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    if (c == '\n') {
      q += "\\n";
      continue;
    }
    q += c;
  }
  return q + "\"";
}

void YamlOf(const google::protobuf::Value& v, int indent, bool in_list, std::string& out) {
  const std::string pad(indent, ' ');
  switch (v.kind_case()) {
    case google::protobuf::Value::kStructValue: {
      if (v.struct_value().fields().empty()) {
        out += " {}\n";
        return;
      }
      // Fields in name order: protobuf's map has none of its own.
      std::map<std::string, const google::protobuf::Value*> fields;
      for (const auto& [k, f] : v.struct_value().fields()) fields[k] = &f;
      bool first = true;
      if (!in_list) out += "\n";
      for (const auto& [k, f] : fields) {
        out += (in_list && first) ? "" : pad;
        first = false;
        out += k + ":";
        YamlOf(*f, indent + 2, false, out);
      }
      return;
    }
    case google::protobuf::Value::kListValue: {
      if (v.list_value().values().empty()) {
        out += " []\n";
        return;
      }
      out += "\n";
      for (const auto& e : v.list_value().values()) {
        out += pad + "- ";
        if (e.kind_case() == google::protobuf::Value::kStructValue &&
            !e.struct_value().fields().empty()) {
          YamlOf(e, indent + 2, true, out);
        } else {
          std::string scalar;
          YamlOf(e, indent + 2, false, scalar);
          out += scalar.substr(1);  // without the space after "key:"
        }
      }
      return;
    }
    case google::protobuf::Value::kStringValue:
      out += " " + YamlScalar(v.string_value()) + "\n";
      return;
    case google::protobuf::Value::kNumberValue: {
      double d = v.number_value();
      out += " " +
             (d == std::floor(d) && std::abs(d) < 1e15 ? absl::StrCat(static_cast<int64_t>(d))
                                                       : absl::StrCat(d)) +
             "\n";
      return;
    }
    case google::protobuf::Value::kBoolValue:
      out += v.bool_value() ? " true\n" : " false\n";
      return;
    default:
      out += " null\n";
  }
}
}  // namespace

// The message as YAML, with protobuf's JSON names (as `--output json`).
std::string Cli::Yaml(const google::protobuf::Message& m) {
  google::protobuf::Value v;
  if (!google::protobuf::util::JsonStringToMessage(Json(m), &v).ok()) return Json(m);
  std::string out;
  YamlOf(v, 0, false, out);
  return out.substr(out.rfind('\n', 0) == 0 ? 1 : 0);
}

// Prints `m` as JSON or YAML, or `t` as a table / CSV.
void Cli::Emit(const google::protobuf::Message& m, const Table& t,
               const std::string& next_page_token) {
  if (output_ == "json") {
    std::string json = Json(m);
    if (json.empty() || json.back() != '\n') json += '\n';
    out_ << json;
    return;
  }
  if (output_ == "yaml") {
    out_ << Yaml(m);
    return;
  }
  PrintTable(t);
  if (next_page_token.empty()) return;
  if (output_ == "csv") {
    out_ << "# next_page_token: " << next_page_token << "\n";
  } else {
    out_ << T("page.next", next_page_token) << "\n";
  }
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
      width[i] = std::max(width[i], domain::Utf8Length(r[i]));
  };
  // For people, the machine column names in the chosen language ("unit_name": "nama unit"), and
  // in a field/value table the field names too; a name without a "col." entry (already words)
  // prints as it is.
  auto words = [&](const std::string& name) {
    const std::string key = "col." + name;
    return HasText(key) ? T(key) : name;
  };
  std::vector<std::string> header;
  header.reserve(t.header.size());
  for (const std::string& h : t.header) header.push_back(words(h));
  std::vector<std::vector<std::string>> rows = t.rows;
  if (!t.header.empty() && t.header[0] == "field") {
    for (auto& r : rows) {
      if (!r.empty()) r[0] = words(r[0]);
    }
  }
  measure(header);
  for (const auto& r : rows) measure(r);
  auto line = [&](const std::vector<std::string>& r) {
    std::string s;
    for (size_t i = 0; i < r.size(); ++i) {
      s += r[i];
      if (i + 1 < r.size()) s += std::string(width[i] - domain::Utf8Length(r[i]) + 2, ' ');
    }
    out_ << s << "\n";
  };
  if (!header.empty()) {
    line(header);
    std::vector<std::string> dashes;
    for (size_t w : width) dashes.push_back(std::string(w, '-'));
    line(dashes);
  }
  for (const auto& r : rows) line(r);
}

// Progress: a bar with counts and rate redrawn on stderr when it is a terminal,
// nothing otherwise (stdout stays machine-readable, logs stay quiet). The stage
// is named from the catalogue; the services' own message text is not shown.
void Cli::Progress(const cv1::Progress& p) { Progress(p.stage(), "", p.done(), p.total()); }
void Cli::Progress(const std::string& stage, const std::string& message, int64_t done,
                   int64_t total) {
  if (!terminal_) return;
  const auto now = std::chrono::steady_clock::now();
  if (stage != last_stage_) progress_start_ = now;
  last_stage_ = stage;
  const std::string key = absl::StrCat("stage.", stage);
  std::string line = HasText(key) ? T(key) : stage;
  if (!message.empty()) absl::StrAppend(&line, " ", message);
  if (total > 0) {
    int filled = static_cast<int>(30.0 * std::min(done, total) / total);
    absl::StrAppend(&line, " [", std::string(filled, '#'), std::string(30 - filled, ' '), "] ",
                    done, "/", total);
  } else if (done > 0) {
    absl::StrAppend(&line, " ", done);
  }
  const double seconds = std::chrono::duration<double>(now - progress_start_).count();
  if (done > 0 && seconds > 0.2) {
    absl::StrAppend(&line, "  ", T("progress.rate", absl::StrFormat("%.0f", done / seconds)));
  }
  err_ << "\r\033[K" << line << std::flush;
  progress_open_ = true;
}
void Cli::EndProgress() {
  if (progress_open_) err_ << "\n";
  progress_open_ = false;
  last_stage_.clear();
}

std::string Cli::DateText(const cv1::Date& d) {
  return domain::FormatDate(proto_convert::ToDomain(d));
}
std::string Cli::Decimal(double v, int decimals) const {
  if (lang_ == Lang::kId && output_ != "csv") return FormatDecimal(v, decimals);
  return absl::StrFormat("%.*f", decimals, v);
}
std::string Cli::Pct(double v) const { return absl::StrCat(Decimal(v * 100, 1), "%"); }

}  // namespace seimbang::ctl
