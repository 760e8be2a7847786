#include "common/db/sqlite_connection.h"

#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include "absl/strings/str_cat.h"

namespace seimbang::db {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// Bounds memory when a caller builds SQL dynamically (IN lists of varying length).
constexpr size_t kMaxCachedStatements = 128;

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  std::string message =
      absl::StrCat("sqlite ", what, ": ", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return absl::AlreadyExistsError(message);
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return RetryableAbortedError(message);
    default:
      return absl::InternalError(message);
  }
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  absl::StatusOr<ResultSet> Query(std::string_view sql, const Params& params) override {
    absl::StatusOr<sqlite3_stmt*> stmt = Prepare(sql, params);
    if (!stmt.ok()) return stmt.status();
    ResultSet result;
    int n = sqlite3_column_count(*stmt);
    for (int i = 0; i < n; ++i) result.columns.emplace_back(sqlite3_column_name(*stmt, i));
    auto columns = std::make_shared<const std::vector<std::string>>(result.columns);
    while (true) {
      int rc = sqlite3_step(*stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Finish(*stmt, rc, "query");
      std::vector<Value> values;
      values.reserve(n);
      for (int i = 0; i < n; ++i) values.push_back(ColumnValue(*stmt, i));
      result.rows.emplace_back(columns, std::move(values));
    }
    sqlite3_reset(*stmt);
    return result;
  }

  absl::StatusOr<int64_t> Execute(std::string_view sql, const Params& params) override {
    absl::StatusOr<sqlite3_stmt*> stmt = Prepare(sql, params);
    if (!stmt.ok()) return stmt.status();
    int rc;
    do {
      rc = sqlite3_step(*stmt);
    } while (rc == SQLITE_ROW);
    if (rc != SQLITE_DONE) return Finish(*stmt, rc, "execute");
    sqlite3_reset(*stmt);
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  absl::StatusOr<int64_t> LastInsertId() override {
    return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
  }

  absl::Status Begin() override {
    if (in_transaction_) return absl::FailedPreconditionError("transaction already open");
    absl::Status s = Exec("BEGIN IMMEDIATE");
    if (s.ok()) in_transaction_ = true;
    return s;
  }
  absl::Status Commit() override {
    if (!in_transaction_) return absl::FailedPreconditionError("no transaction to commit");
    absl::Status s = Exec("COMMIT");
    // A failed COMMIT (busy) leaves the transaction open; roll it back so the caller can retry.
    if (!s.ok() && !sqlite3_get_autocommit(db_)) Exec("ROLLBACK").IgnoreError();
    in_transaction_ = false;
    return s;
  }
  absl::Status Rollback() override {
    if (!in_transaction_) return absl::FailedPreconditionError("no transaction to roll back");
    in_transaction_ = false;
    if (sqlite3_get_autocommit(db_)) return absl::OkStatus();  // already rolled back by SQLite
    return Exec("ROLLBACK");
  }
  absl::Status Ping() override { return Exec("SELECT 1"); }

  absl::Status Exec(const char* sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
    if (rc == SQLITE_OK) return absl::OkStatus();
    absl::Status s = SqliteError(db_, rc, sql);
    sqlite3_free(error);
    return s;
  }

 private:
  absl::StatusOr<sqlite3_stmt*> Prepare(std::string_view sql, const Params& params) {
    sqlite3_stmt* stmt = nullptr;
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) {
      stmt = it->second;
    } else {
      int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
      if (stmt == nullptr) return absl::InvalidArgumentError("empty SQL statement");
      if (statements_.size() >= kMaxCachedStatements) {
        for (auto& [s, st] : statements_) sqlite3_finalize(st);
        statements_.clear();
      }
      statements_.emplace(std::string(sql), stmt);
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      return absl::InvalidArgumentError(absl::StrCat("statement has ", expected,
                                                     " placeholders but ", params.size(),
                                                     " parameters were given"));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      const Value& v = params[i];
      if (const auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    return stmt;
  }

  absl::Status Finish(sqlite3_stmt* stmt, int rc, absl::string_view what) {
    absl::Status s = SqliteError(db_, sqlite3_extended_errcode(db_), what);
    (void)rc;
    sqlite3_reset(stmt);
    // An error inside a transaction can make SQLite roll it back on its own.
    return s;
  }

  static Value ColumnValue(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_NULL:
        return std::monostate{};
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_blob(stmt, i));
        int size = sqlite3_column_bytes(stmt, i);
        return std::string(text != nullptr ? text : "", static_cast<size_t>(size));
      }
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> OpenSqliteConnection(const Dsn& dsn) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(dsn.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = absl::UnavailableError(
        absl::StrCat("cannot open sqlite database ", dsn.path, ": ",
                     db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  auto connection = std::make_unique<SqliteConnection>(db);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"}) {
    if (absl::Status s = connection->Exec(pragma); !s.ok()) {
      return absl::UnavailableError(
          absl::StrCat("cannot configure sqlite database ", dsn.path, ": ", s.message()));
    }
  }
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace seimbang::db
