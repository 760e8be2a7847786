// Fuzzes connection-string parsing and redaction: a parsed password never
// survives RedactDsn, and the redacted DSN still means the same connection.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "common/db/dsn.h"
#include "tests/fuzz/fuzz_check.h"

namespace db = seimbang::db;

namespace {

// Occurrences of `needle` in `hay`, overlapping ones included.
size_t CountOccurrences(std::string_view hay, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = hay.find(needle); pos != std::string_view::npos;
       pos = hay.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const std::string redacted = db::RedactDsn(text);
  absl::StatusOr<db::Dsn> dsn = db::ParseDsn(text);
  if (!dsn.ok()) {
    SEIMBANG_FUZZ_CHECK_REJECTION(dsn.status());
    return 0;
  }
  if (dsn->dialect == db::Dialect::kSqlite) {
    SEIMBANG_FUZZ_CHECK(!dsn->path.empty(), "sqlite DSN with an empty path");
    SEIMBANG_FUZZ_CHECK(redacted == text, "a sqlite DSN has nothing to redact");
    return 0;
  }
  SEIMBANG_FUZZ_CHECK(!dsn->user.empty() && !dsn->host.empty() && !dsn->database.empty(),
                      "mysql DSN without user, host or database");
  SEIMBANG_FUZZ_CHECK(dsn->port >= 1 && dsn->port <= 65535, "port %d", dsn->port);
  if (dsn->password.empty()) return 0;

  SEIMBANG_FUZZ_CHECK(redacted != text || dsn->password == "***",
                      "password parsed but nothing redacted");
  // Textual check, exact when the password is written raw (no '%' escapes)
  // and cannot overlap the "***" that replaces it: every copy of the password
  // left in the redacted text was already somewhere else in the DSN.
  if (text.find('%') == std::string_view::npos && dsn->password.find('*') == std::string::npos) {
    SEIMBANG_FUZZ_CHECK(
        CountOccurrences(redacted, dsn->password) < CountOccurrences(text, dsn->password),
        "password survives redaction: '%s'", redacted.c_str());
  }
  // Semantic check: the redacted DSN is the same connection with password ***.
  absl::StatusOr<db::Dsn> again = db::ParseDsn(redacted);
  SEIMBANG_FUZZ_CHECK(again.ok(), "redacted DSN '%s' does not parse: %s", redacted.c_str(),
                      std::string(again.status().message()).c_str());
  SEIMBANG_FUZZ_CHECK(again->password == "***", "redacted password is '%s'",
                      again->password.c_str());
  SEIMBANG_FUZZ_CHECK(again->dialect == dsn->dialect && again->user == dsn->user &&
                          again->host == dsn->host && again->port == dsn->port &&
                          again->database == dsn->database && again->socket == dsn->socket,
                      "redaction changed the connection: '%s'", redacted.c_str());
  return 0;
}
