#include "common/db/connection.h"

#include "absl/strings/cord.h"
#include "common/db/mysql_connection.h"
#include "common/db/sqlite_connection.h"

namespace seimbang::db {

namespace {
constexpr absl::string_view kRetryableUrl = "type.seimbang.dev/db.retryable";
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
    absl::StatusOr<int64_t> n = Execute(sql, params);
    if (!n.ok()) return n.status();
    total += *n;
  }
  return total;
}

absl::StatusOr<std::unique_ptr<Connection>> OpenConnection(const Dsn& dsn) {
  if (dsn.dialect == Dialect::kSqlite) return OpenSqliteConnection(dsn);
  return OpenMysqlConnection(dsn);
}

}  // namespace seimbang::db
