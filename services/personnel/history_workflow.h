// The use cases that read what happened: an employee's placement history, the change feed and
// the audit log.
#ifndef SEIMBANG_SERVICES_PERSONNEL_HISTORY_WORKFLOW_H_
#define SEIMBANG_SERVICES_PERSONNEL_HISTORY_WORKFLOW_H_

#include "absl/status/status.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "services/personnel/repository.h"
#include "services/personnel/workflow_support.h"

namespace seimbang::personnel {

[[nodiscard]] absl::Status ListPlacementHistory(Repository& repo, const Call& call,
                                                const pv1::ListPlacementHistoryRequest& req,
                                                pv1::ListPlacementHistoryResponse* resp);
[[nodiscard]] absl::Status ListAuditEvents(Repository& repo, const Call& call,
                                           const pv1::ListAuditEventsRequest& req,
                                           pv1::ListAuditEventsResponse* resp);
// The change feed after a sequence, optionally followed (polled) until the call ends.
[[nodiscard]] absl::Status WatchChanges(Repository& repo, const Call& call,
                                        const pv1::WatchChangesRequest& req,
                                        const StreamOut<pv1::WatchChangesResponse>& out);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_HISTORY_WORKFLOW_H_
