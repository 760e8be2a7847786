// ExportPlan without gRPC types: the plan's moves as CSV lines or decree drafts (export_text),
// read a page of 500 at a time with one connection per page, so a slow reader never pins the pool.
#ifndef SEIMBANG_SERVICES_TRANSFER_EXPORT_WORKFLOW_H_
#define SEIMBANG_SERVICES_TRANSFER_EXPORT_WORKFLOW_H_

#include <functional>

#include "absl/status/status.h"
#include "common/auth/caller.h"
#include "seimbang/transfer/v1/transfer.pb.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

// Each piece goes to `write` (a CSV export starts with its header); CANCELLED once `write`
// returns false for a move, and the export stops quietly when `cancelled()` says so.
[[nodiscard]] absl::Status ExportPlan(
    Repository& repo, const auth::Caller& caller, const v1::ExportPlanRequest& req,
    const std::function<bool(const v1::ExportPlanResponse&)>& write,
    const std::function<bool()>& cancelled);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_EXPORT_WORKFLOW_H_
