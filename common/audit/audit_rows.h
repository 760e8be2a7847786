// The audit_events row: the one codec of the table each service's migrations create.
#ifndef SEIMBANG_COMMON_AUDIT_AUDIT_ROWS_H_
#define SEIMBANG_COMMON_AUDIT_AUDIT_ROWS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/connection.h"
#include "common/db/value.h"
#include "seimbang/common/v1/common.pb.h"

namespace seimbang::audit {

// The column that holds the caller's role: "role" in personnel's and transfer's tables,
// "caller_role" in workload's (its first migration's name, kept so no table is rewritten).
inline constexpr std::string_view kRoleColumn = "role";
inline constexpr std::string_view kWorkloadRoleColumn = "caller_role";

// Inserts `event` as one row of audit_events, in the caller's transaction; a time of 0 is now.
[[nodiscard]] absl::Status InsertEvent(db::Connection& conn, const common::v1::AuditEvent& event,
                                       std::string_view role_column = kRoleColumn);

// The SELECT list that EventFromRow reads: "id, time_ms, subject, <role> AS role, method,
// resource, request_id, agency_code".
[[nodiscard]] std::string SelectList(std::string_view role_column = kRoleColumn);

// One row read with SelectList.
[[nodiscard]] common::v1::AuditEvent EventFromRow(const db::Row& row);

// The longest method filter ListAuditEvents takes: a full RPC name
// ("/seimbang.personnel.v1.PersonnelService/CreateEmployee") fits many times over, and is ASCII.
inline constexpr size_t kMaxMethodFilterBytes = 200;

// The query behind every service's ListAuditEvents: at most `limit` rows with an id above
// `after_id`, of `method` when it is not empty, oldest first (by id), so a reader pages forward
// and new rows only ever come after the last page. A method filter over kMaxMethodFilterBytes is
// INVALID_ARGUMENT ("method: at most 200 characters").
[[nodiscard]] absl::StatusOr<std::vector<common::v1::AuditEvent>> ListEvents(
    db::Connection& conn, const std::string& method, int64_t after_id, int limit,
    std::string_view role_column = kRoleColumn);

}  // namespace seimbang::audit

#endif  // SEIMBANG_COMMON_AUDIT_AUDIT_ROWS_H_
