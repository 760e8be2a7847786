#include "common/audit/audit_rows.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"
#include "common/proto_convert/row.h"

namespace seimbang::audit {

absl::Status InsertEvent(db::Connection& conn, const common::v1::AuditEvent& e,
                         std::string_view role_column) {
  return conn
      .Execute(
          absl::StrCat("INSERT INTO audit_events (time_ms, subject, ", std::string(role_column),
                       ", method, resource, request_id, agency_code) VALUES (?,?,?,?,?,?,?)"),
          {db::Int(e.time_ms() != 0 ? e.time_ms() : db::NowUnixMillis()), db::Text(e.subject()),
           db::Text(e.role()), db::Text(e.method()), db::Text(e.resource()),
           db::Text(e.request_id()), db::Text(e.agency_code())})
      .status();
}

std::string SelectList(std::string_view role_column) {
  return absl::StrCat("id, time_ms, subject, ", std::string(role_column),
                      " AS role, method, resource, request_id, agency_code");
}

absl::StatusOr<std::vector<common::v1::AuditEvent>> ListEvents(db::Connection& conn,
                                                               const std::string& method,
                                                               int64_t after_id, int limit,
                                                               std::string_view role_column) {
  if (method.size() > kMaxMethodFilterBytes) {
    return errors::InvalidArgument(
        {{"method", absl::StrCat("at most ", kMaxMethodFilterBytes, " characters")}});
  }
  std::string sql =
      absl::StrCat("SELECT ", SelectList(role_column), " FROM audit_events WHERE id > ?");
  db::Params params = {db::Int(after_id)};
  db::AndWhere(!method.empty(), "method = ?", db::Text(method), sql, params);
  sql += " ORDER BY id LIMIT ?";
  params.push_back(db::Int(limit));
  return db::QueryAll(conn, sql, params, proto_convert::MessageFromRow<common::v1::AuditEvent>);
}

}  // namespace seimbang::audit
