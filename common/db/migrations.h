#ifndef SEIMBANG_COMMON_DB_MIGRATIONS_H_
#define SEIMBANG_COMMON_DB_MIGRATIONS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/db/pool.h"

namespace seimbang::db {

// One schema step. `sql` may hold several statements, each ending with `;` at the end of a
// line. Released migrations are never edited: their checksum is recorded and checked.
struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

// Applies the pending migrations of `service` in version order, each in its own transaction
// where the engine allows (MySQL commits DDL implicitly), and records version, name, checksum
// and applied_at (unix ms) in schema_migrations. Refuses with FAILED_PRECONDITION when an
// applied migration was changed or the database has one this binary does not know.
// Concurrent starts are serialized (MySQL GET_LOCK, SQLite BEGIN IMMEDIATE). When `applied` is
// set, it receives how many migrations this call applied (0 when the schema was current or
// another replica applied them first), also on failure.
[[nodiscard]] absl::Status Migrate(Pool& pool, std::string_view service,
                                   const std::vector<Migration>& migrations,
                                   int* applied = nullptr);

// Changes nothing: OK when every migration of `service` is applied unchanged;
// FAILED_PRECONDITION naming the first pending one (or the changed or unknown one) otherwise.
[[nodiscard]] absl::Status VerifyMigrated(Pool& pool, std::string_view service,
                                          const std::vector<Migration>& migrations);

// 16 hex digits of FNV-1a 64 over the SQL with line endings normalized to \n.
std::string MigrationChecksum(std::string_view sql);

// The statements of a migration: split at `;` ending a line, blank and comment-only parts
// dropped.
std::vector<std::string> SplitStatements(std::string_view sql);

}  // namespace seimbang::db

#endif  // SEIMBANG_COMMON_DB_MIGRATIONS_H_
