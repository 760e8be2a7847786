#ifndef SEIMBANG_COMMON_DB_DSN_H_
#define SEIMBANG_COMMON_DB_DSN_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/db/dialect.h"

namespace seimbang::db {

// A parsed connection string. Forms:
//   sqlite:PATH                   sqlite::memory:
//   mysql://USER[:PASSWORD]@HOST[:PORT]/DB
//   mysql://USER[:PASSWORD]@localhost/DB?socket=/path/to.sock
//   options after ?, joined with &: socket=PATH, local_infile=0|1, read_timeout=SECONDS,
//   write_timeout=SECONDS
struct Dsn {
  Dialect dialect = Dialect::kSqlite;
  // sqlite: the file path, or ":memory:".
  std::string path;
  // mysql: user and password are percent-decoded.
  std::string user;
  std::string password;
  std::string host;
  int port = 3306;
  std::string database;
  // mysql: Unix socket; when set, host and port are not used.
  std::string socket;
  // mysql: bulk inserts (Connection::InsertRows) through LOAD DATA LOCAL INFILE; ?local_infile=0
  // turns it off (multi-row INSERTs instead), e.g. where policy forbids local infile.
  bool local_infile = true;
  // mysql: how long one read from / write to the server may block before the connection is
  // dropped (UNAVAILABLE), so a hung server cannot hold a thread forever. 0: no limit, the
  // default, because a legitimate statement (LOAD DATA, a national aggregate) may run for
  // minutes before its first reply byte. The pool's health ping always uses its own short one.
  int read_timeout_seconds = 0;
  int write_timeout_seconds = 0;

  bool in_memory() const { return dialect == Dialect::kSqlite && path == ":memory:"; }
};

[[nodiscard]] absl::StatusOr<Dsn> ParseDsn(std::string_view dsn);

// The DSN with its password replaced by *** so it can be logged.
std::string RedactDsn(std::string_view dsn);

}  // namespace seimbang::db

#endif  // SEIMBANG_COMMON_DB_DSN_H_
