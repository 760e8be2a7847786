#ifndef SEIMBANG_COMMON_DB_SQLITE_CONNECTION_H_
#define SEIMBANG_COMMON_DB_SQLITE_CONNECTION_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/db/connection.h"
#include "common/db/dsn.h"

namespace seimbang::db {

// WAL, busy_timeout 5 s, foreign keys on. Transactions start with BEGIN IMMEDIATE so two
// writers queue on the busy timeout instead of deadlocking on a read-to-write upgrade.
[[nodiscard]] absl::StatusOr<std::unique_ptr<Connection>> OpenSqliteConnection(const Dsn& dsn);

}  // namespace seimbang::db

#endif  // SEIMBANG_COMMON_DB_SQLITE_CONNECTION_H_
