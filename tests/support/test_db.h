#ifndef SEIMBANG_TESTS_SUPPORT_TEST_DB_H_
#define SEIMBANG_TESTS_SUPPORT_TEST_DB_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/dialect.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"

namespace seimbang::testsupport {

// A fresh, empty database on the throwaway MariaDB started by tests/harness/mariadb.sh (the
// CTest fixture `mariadb`), named <prefix>_<pid>_<counter>; returns a full mysql:// DSN to it.
// FAILED_PRECONDITION naming the fix when SEIMBANG_TEST_MARIADB_DSN_FILE is unset or missing:
// MariaDB tests fail, they never skip.
absl::StatusOr<std::string> FreshMariaDbDsn(std::string_view prefix);
// The same through the server's Unix socket (reads socket_dsn next to the dsn file).
absl::StatusOr<std::string> FreshMariaDbSocketDsn(std::string_view prefix);

// sqlite:<a new temporary file> (under $TMPDIR or /tmp), removed when the process exits.
std::string FreshSqliteDsn();

// Removes `path` (and its SQLite -wal, -shm and -journal siblings) when the process exits:
// ctest runs every case as a process of its own, and each used to leave its files in /tmp.
void RemoveAtExit(std::string path);

// A fresh database for a test parameterised over the engines: FreshSqliteDsn() when `engine`
// is "sqlite", else FreshMariaDbDsn(prefix).
absl::StatusOr<std::string> FreshDsn(std::string_view engine, std::string_view prefix);

// FreshDsn opened as a pool and migrated as `service` with `migrations` for the pool's dialect
// (a service's Migrations function).
absl::StatusOr<std::unique_ptr<db::Pool>> FreshMigratedPool(
    std::string_view engine, std::string_view prefix, std::string_view service,
    const std::function<std::vector<db::Migration>(db::Dialect)>& migrations);

// Lets time pass for a transfer plan, as stored in the service's database `dsn`: moves its
// submission `days` calendar days into the past, so its objection window (at most `days`
// working days) has closed. For tests of what happens after the window (issue 18).
absl::Status AgePlanSubmission(const std::string& dsn, const std::string& plan_id, int days);

}  // namespace seimbang::testsupport

#endif  // SEIMBANG_TESTS_SUPPORT_TEST_DB_H_
