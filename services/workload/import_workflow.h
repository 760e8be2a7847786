// The ImportWorkload use case: task rows streamed in, each bad row reported with its
// sequence and reason, the good rows grouped by unit × position, each group replacing
// that workload's tasks, all in one transaction with one audit row. No gRPC types: the
// adapter (service.cc) hands in the stream as a `next row` function.
#ifndef SEIMBANG_SERVICES_WORKLOAD_IMPORT_WORKFLOW_H_
#define SEIMBANG_SERVICES_WORKLOAD_IMPORT_WORKFLOW_H_

#include <functional>

#include "absl/status/status.h"
#include "seimbang/common/v1/common.pb.h"
#include "seimbang/workload/v1/workload.pb.h"
#include "services/workload/call.h"
#include "services/workload/personnel_directory.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

// Fills the next row and returns true, or returns false at the end of the stream.
using NextImportRow = std::function<bool(pb::ImportWorkloadRequest&)>;

// The first row's dry_run decides for the whole stream. Rows failing a check are rejected
// in `summary` and the rest still apply; personnel unreachable fails the whole import
// (UNAVAILABLE) and nothing applies.
[[nodiscard]] absl::Status ImportWorkload(WorkloadRepository& repo, PersonnelDirectory& personnel,
                                          const Call& call, const NextImportRow& next_row,
                                          seimbang::common::v1::ImportSummary& summary);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_IMPORT_WORKFLOW_H_
