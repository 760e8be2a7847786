// The use cases that write workload definitions: UpsertWorkload (one definition, checked
// against the agency's settings and personnel) and ImportWorkload (task rows streamed in,
// each bad row reported with its sequence and reason, the good rows grouped by unit ×
// position, each group replacing that workload's tasks, all in one transaction with one
// audit row). No gRPC types: the adapter (service.cc) checks scope and hands in the
// stream as a `next row` function.
#ifndef SEIMBANG_SERVICES_WORKLOAD_WORKLOAD_WORKFLOW_H_
#define SEIMBANG_SERVICES_WORKLOAD_WORKLOAD_WORKFLOW_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "seimbang/common/v1/common.pb.h"
#include "seimbang/workload/v1/workload.pb.h"
#include "services/workload/call.h"
#include "services/workload/downstream.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

// The workload's agency, when set, is within the caller's scope. INVALID_ARGUMENT for a
// definition breaking the rules (validation.h) or naming a unit / position personnel does
// not know; ABORTED for a stale etag. An unchanged definition writes no audit row.
[[nodiscard]] absl::Status UpsertWorkload(Repository& repo, PersonnelDirectory& personnel,
                                          const Call& call,
                                          const pb::UpsertWorkloadRequest& request,
                                          pb::UpsertWorkloadResponse& response);

// Fills the next row and returns true, or returns false at the client's half-close; an error
// (CANCELLED: the stream ended without the half-close; INVALID_ARGUMENT: a message did not
// parse) ends the import with nothing applied (issue 15 items 6 and 8).
using NextImportRow = std::function<absl::StatusOr<bool>(pb::ImportWorkloadRequest&)>;

// The first row's dry_run decides for the whole stream. Rows failing a check are rejected
// in `summary` and the rest still apply; personnel unreachable fails the whole import
// (UNAVAILABLE) and nothing applies.
[[nodiscard]] absl::Status ImportWorkload(Repository& repo, PersonnelDirectory& personnel,
                                          const Call& call, const NextImportRow& next_row,
                                          seimbang::common::v1::ImportSummary& summary);

// The settings an UpdateSettings request asks to store (AIP-134, common/proto_convert/
// update_mask.h): the request's own without update_mask (or with "*"), else the stored ones (or
// the defaults) with the masked fields of the request; a partial update without etag then
// writes only over the version it read. INVALID_ARGUMENT on update_mask for an unknown or
// unchangeable path, on settings.agency_code when it is missing. Scope is the caller's check.
[[nodiscard]] absl::StatusOr<pb::Settings> RequestedSettings(Repository& repo,
                                                             const pb::UpdateSettingsRequest& req);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_WORKLOAD_WORKFLOW_H_
