#ifndef SEIMBANG_COMMON_DB_MYSQL_CONNECTION_H_
#define SEIMBANG_COMMON_DB_MYSQL_CONNECTION_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/db/connection.h"
#include "common/db/dsn.h"

namespace seimbang::db {

// Connector/C++ 1.1 over TCP or a Unix socket; utf8mb4, UTC session time zone, autocommit
// outside explicit transactions, CLIENT_FOUND_ROWS, never OPT_RECONNECT.
[[nodiscard]] absl::StatusOr<std::unique_ptr<Connection>> OpenMysqlConnection(const Dsn& dsn);

}  // namespace seimbang::db

#endif  // SEIMBANG_COMMON_DB_MYSQL_CONNECTION_H_
