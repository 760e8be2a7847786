#include "common/db/dsn.h"

#include <optional>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace seimbang::db {
namespace {

constexpr absl::string_view kSqlitePrefix = "sqlite:";
constexpr absl::string_view kMysqlPrefix = "mysql://";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(static_cast<unsigned char>(c));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    int hi = HexDigit(in[i + 1]);
    int lo = HexDigit(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

absl::StatusOr<Dsn> ParseSqlite(absl::string_view rest) {
  if (rest.empty()) {
    return absl::InvalidArgumentError("sqlite DSN needs a path (sqlite:PATH or sqlite::memory:)");
  }
  Dsn dsn;
  dsn.dialect = Dialect::kSqlite;
  dsn.path = std::string(rest);
  return dsn;
}

// USER[:PASSWORD], percent-decoded.
absl::Status ParseUserinfo(absl::string_view userinfo, Dsn& dsn) {
  absl::string_view user = userinfo;
  absl::string_view password;
  if (size_t colon = userinfo.find(':'); colon != absl::string_view::npos) {
    user = userinfo.substr(0, colon);
    password = userinfo.substr(colon + 1);
  }
  std::optional<std::string> decoded_user = PercentDecode(user);
  std::optional<std::string> decoded_password = PercentDecode(password);
  if (!decoded_user || !decoded_password) {
    return absl::InvalidArgumentError("invalid percent-encoding in mysql DSN user or password");
  }
  if (decoded_user->empty()) {
    return absl::InvalidArgumentError(
        "mysql DSN needs a user (mysql://USER:PASSWORD@HOST:PORT/DB)");
  }
  dsn.user = *std::move(decoded_user);
  dsn.password = *std::move(decoded_password);
  return absl::OkStatus();
}

// HOST[:PORT] or [IPV6][:PORT].
absl::Status ParseHostPort(absl::string_view hostport, Dsn& dsn) {
  absl::string_view host = hostport;
  absl::string_view port;
  if (absl::StartsWith(hostport, "[")) {  // IPv6 literal: [::1]:3306
    size_t close = hostport.find(']');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError("unterminated IPv6 address in mysql DSN");
    }
    host = hostport.substr(1, close - 1);
    absl::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return absl::InvalidArgumentError("invalid host in mysql DSN");
      port = after.substr(1);
    }
  } else if (size_t colon = hostport.rfind(':'); colon != absl::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  if (host.empty()) return absl::InvalidArgumentError("mysql DSN needs a host");
  dsn.host = std::string(host);
  if (!port.empty() || hostport.size() != host.size()) {
    int64_t value = 0;
    bool digits = !port.empty() && port.size() <= 9 &&
                  port.find_first_not_of("0123456789") == absl::string_view::npos;
    if (!digits || !absl::SimpleAtoi(port, &value)) {
      return absl::InvalidArgumentError(absl::StrCat("invalid port '", port, "' in mysql DSN"));
    }
    if (value < 1 || value > 65535) {
      return absl::InvalidArgumentError(absl::StrCat("port ", value, " out of range"));
    }
    dsn.port = static_cast<int>(value);
  }
  return absl::OkStatus();
}

// One NAME=VALUE of the query string.
absl::Status ParseOption(absl::string_view option, Dsn& dsn) {
  std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(option, '=');
  if (kv.first == "local_infile") {
    if (kv.second != "0" && kv.second != "1") {
      return absl::InvalidArgumentError("mysql DSN option local_infile= takes 0 or 1");
    }
    dsn.local_infile = kv.second == "1";
    return absl::OkStatus();
  }
  if (kv.first == "read_timeout" || kv.first == "write_timeout") {
    int seconds = 0;
    if (!absl::SimpleAtoi(kv.second, &seconds) || seconds < 1 || seconds > 86400 ||
        kv.second.find_first_not_of("0123456789") != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("mysql DSN option ", kv.first, "= takes whole seconds, 1..86400"));
    }
    (kv.first == "read_timeout" ? dsn.read_timeout_seconds : dsn.write_timeout_seconds) = seconds;
    return absl::OkStatus();
  }
  if (kv.first != "socket") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown mysql DSN option '", kv.first,
                     "', expected socket=, local_infile=, read_timeout= or write_timeout="));
  }
  std::optional<std::string> socket = PercentDecode(kv.second);
  if (!socket || socket->empty()) {
    return absl::InvalidArgumentError("mysql DSN option socket= needs a path");
  }
  dsn.socket = *std::move(socket);
  return absl::OkStatus();
}

absl::StatusOr<Dsn> ParseMysql(absl::string_view rest) {
  Dsn dsn;
  dsn.dialect = Dialect::kMysql;
  absl::string_view query;
  if (size_t q = rest.find('?'); q != absl::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  // The last '@' separates credentials, so an unencoded '@' or '/' in a password still parses.
  size_t at = rest.rfind('@');
  if (at == absl::string_view::npos || at == 0) {
    return absl::InvalidArgumentError(
        "mysql DSN needs a user (mysql://USER:PASSWORD@HOST:PORT/DB)");
  }
  if (absl::Status s = ParseUserinfo(rest.substr(0, at), dsn); !s.ok()) return s;
  absl::string_view location = rest.substr(at + 1);

  size_t slash = location.find('/');
  absl::string_view hostport = location.substr(0, slash);
  if (slash == absl::string_view::npos || slash + 1 == location.size()) {
    return absl::InvalidArgumentError("mysql DSN needs a database name");
  }
  dsn.database = std::string(location.substr(slash + 1));
  if (absl::StrContains(dsn.database, '/')) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid database name '", dsn.database, "' in mysql DSN"));
  }
  if (absl::Status s = ParseHostPort(hostport, dsn); !s.ok()) return s;
  for (absl::string_view option : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    if (absl::Status s = ParseOption(option, dsn); !s.ok()) return s;
  }
  return dsn;
}

}  // namespace

absl::StatusOr<Dsn> ParseDsn(std::string_view dsn_text) {
  absl::string_view dsn(dsn_text.data(), dsn_text.size());
  if (absl::StartsWith(dsn, kSqlitePrefix)) return ParseSqlite(dsn.substr(kSqlitePrefix.size()));
  if (absl::StartsWith(dsn, kMysqlPrefix)) return ParseMysql(dsn.substr(kMysqlPrefix.size()));
  size_t colon = dsn.find(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError("DSN has no scheme, expected sqlite: or mysql://");
  }
  absl::string_view scheme = dsn.substr(0, colon);
  if (scheme == "mysql") {
    return absl::InvalidArgumentError("mysql DSN must start with mysql://");
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown DSN scheme '", scheme, "', expected sqlite: or mysql://"));
}

std::string RedactDsn(std::string_view dsn_text) {
  absl::string_view dsn(dsn_text.data(), dsn_text.size());
  if (!absl::StartsWith(dsn, kMysqlPrefix)) return std::string(dsn);
  absl::string_view rest = dsn.substr(kMysqlPrefix.size());
  absl::string_view before_query = rest.substr(0, rest.find('?'));
  size_t at = before_query.rfind('@');
  if (at == absl::string_view::npos) return std::string(dsn);
  size_t colon = before_query.substr(0, at).find(':');
  if (colon == absl::string_view::npos) return std::string(dsn);
  return absl::StrCat(kMysqlPrefix, rest.substr(0, colon + 1), "***", rest.substr(at));
}

}  // namespace seimbang::db
