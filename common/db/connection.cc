#include "common/db/connection.h"

#include <algorithm>
#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/mysql_connection.h"
#include "common/db/sqlite_connection.h"

namespace seimbang::db {

namespace {
constexpr absl::string_view kRetryableUrl = "type.seimbang.dev/db.retryable";

// Runs `sql` with `params` on `c` and adds the rows it changed to *total.
absl::Status ExecuteAdding(Connection& c, std::string_view sql, const Params& params,
                           int64_t* total) {
  absl::StatusOr<int64_t> n = c.Execute(sql, params);
  if (!n.ok()) return n.status();
  *total += *n;
  return absl::OkStatus();
}
}  // namespace

absl::Status RetryableAbortedError(std::string_view message) {
  absl::Status status = absl::AbortedError(absl::string_view(message.data(), message.size()));
  status.SetPayload(kRetryableUrl, absl::Cord("1"));
  return status;
}

bool IsRetryable(const absl::Status& status) {
  return absl::IsAborted(status) && status.GetPayload(kRetryableUrl).has_value();
}

absl::StatusOr<std::optional<Row>> Connection::QueryOne(std::string_view sql,
                                                        const Params& params) {
  absl::StatusOr<ResultSet> result = Query(sql, params);
  if (!result.ok()) return result.status();
  if (result->rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(result->rows.front()));
}

absl::StatusOr<int64_t> Connection::ExecuteBatch(std::string_view sql,
                                                 const std::vector<Params>& batch) {
  int64_t total = 0;
  for (const Params& params : batch) {
    if (absl::Status s = ExecuteAdding(*this, sql, params, &total); !s.ok()) return s;
  }
  return total;
}

absl::StatusOr<int64_t> Connection::InsertRows(std::string_view table,
                                               const std::vector<std::string>& columns,
                                               const std::vector<Params>& rows) {
  if (columns.empty()) return absl::InvalidArgumentError("InsertRows needs at least one column");
  // Below SQLite's 32,766 and MySQL's 65,535 placeholders per statement.
  const size_t per_statement = std::max<size_t>(1, 30000 / columns.size());
  std::string row_placeholders =
      absl::StrCat("(", absl::StrJoin(std::vector<std::string>(columns.size(), "?"), ","), ")");
  int64_t total = 0;
  for (size_t i = 0; i < rows.size(); i += per_statement) {
    const size_t n = std::min(per_statement, rows.size() - i);
    std::string sql = absl::StrCat("INSERT INTO ", std::string(table), " (",
                                   absl::StrJoin(columns, ", "), ") VALUES ");
    Params params;
    params.reserve(n * columns.size());
    for (size_t j = 0; j < n; ++j) {
      const Params& row = rows[i + j];
      if (row.size() != columns.size()) {
        return absl::InvalidArgumentError(absl::StrCat("InsertRows: row ", i + j, " has ",
                                                       row.size(), " values for ", columns.size(),
                                                       " columns"));
      }
      absl::StrAppend(&sql, j ? "," : "", row_placeholders);
      params.insert(params.end(), row.begin(), row.end());
    }
    if (absl::Status s = ExecuteAdding(*this, sql, params, &total); !s.ok()) return s;
  }
  return total;
}

absl::StatusOr<int64_t> Connection::InsertBulkRows(std::string_view table,
                                                   const std::vector<std::string>& columns,
                                                   const BulkRows& rows) {
  return InsertRows(table, columns, rows.rows);
}

BulkRows PrepareBulkRows(std::vector<Params> rows, bool load_data) {
  BulkRows bulk{std::move(rows), {}};
  if (load_data) {
    AppendLoadDataRows(bulk.rows, bulk.load_data);
  }
  return bulk;
}

absl::StatusOr<int64_t> Connection::LoadDataFile(std::string_view table,
                                                 const std::vector<std::string>&, int, int64_t) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot load a file into ", std::string(table), ": no LOAD DATA LOCAL here"));
}

absl::StatusOr<std::unique_ptr<Connection>> OpenConnection(const Dsn& dsn) {
  if (dsn.dialect == Dialect::kSqlite) return OpenSqliteConnection(dsn);
  return OpenMysqlConnection(dsn);
}

void AndWhere(bool when, std::string_view condition, Value value, std::string& sql,
              Params& params) {
  if (!when) return;
  sql.append(" AND ").append(condition);
  params.push_back(std::move(value));
}

void AppendLimit(int limit, std::string& sql, Params& params) {
  if (limit < 0) return;
  sql += " LIMIT ?";
  params.push_back(Int(limit));
}

}  // namespace seimbang::db
