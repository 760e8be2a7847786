// The reads of workload-service (issue 16: the handler decodes, this file decides): workloads,
// demand signals, settings, projections, analysis runs and the audit trail, each in the
// caller's agency scope, paged with query-bound tokens. No gRPC types; SQL is the repository's.
#ifndef SEIMBANG_SERVICES_WORKLOAD_QUERY_WORKFLOW_H_
#define SEIMBANG_SERVICES_WORKLOAD_QUERY_WORKFLOW_H_

#include "absl/status/status.h"
#include "seimbang/workload/v1/workload.pb.h"
#include "services/workload/call.h"
#include "services/workload/downstream.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

// The signature of every read here: the caller's request in, its response filled.
template <typename Request, typename Response>
using ReadWorkflow = absl::Status(Repository& repo, PersonnelDirectory& personnel, const Call& call,
                                  const Request& req, Response& resp);

[[nodiscard]] ReadWorkflow<pb::GetWorkloadRequest, pb::GetWorkloadResponse> GetWorkload;
[[nodiscard]] ReadWorkflow<pb::ListWorkloadsRequest, pb::ListWorkloadsResponse> ListWorkloads;
[[nodiscard]] ReadWorkflow<pb::ListDemandSignalsRequest, pb::ListDemandSignalsResponse>
    ListDemandSignals;
[[nodiscard]] ReadWorkflow<pb::GetSettingsRequest, pb::GetSettingsResponse> GetSettings;
[[nodiscard]] ReadWorkflow<pb::GetProjectionRequest, pb::GetProjectionResponse> GetProjection;
[[nodiscard]] ReadWorkflow<pb::ListProjectionsRequest, pb::ListProjectionsResponse> ListProjections;
[[nodiscard]] ReadWorkflow<pb::GetAnalysisRequest, pb::GetAnalysisResponse> GetAnalysis;
[[nodiscard]] ReadWorkflow<pb::ListAnalysesRequest, pb::ListAnalysesResponse> ListAnalyses;
[[nodiscard]] ReadWorkflow<pb::CompareAnalysesRequest, pb::CompareAnalysesResponse> CompareAnalyses;
[[nodiscard]] ReadWorkflow<pb::ListAuditEventsRequest, pb::ListAuditEventsResponse> ListAuditEvents;

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_QUERY_WORKFLOW_H_
