// The reads of workload-service (issue 16: the handler decodes, this file decides): workloads,
// demand signals, settings, projections, analysis runs and the audit trail, each in the
// caller's agency scope, paged with query-bound tokens. No gRPC types; SQL is the repository's.
#ifndef SEIMBANG_SERVICES_WORKLOAD_QUERY_WORKFLOW_H_
#define SEIMBANG_SERVICES_WORKLOAD_QUERY_WORKFLOW_H_

#include "absl/status/status.h"
#include "seimbang/workload/v1/workload.pb.h"
#include "services/workload/call.h"
#include "services/workload/personnel_directory.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

[[nodiscard]] absl::Status GetWorkload(Repository& repo, PersonnelDirectory& personnel,
                                       const Call& call, const pb::GetWorkloadRequest& req,
                                       pb::GetWorkloadResponse& resp);
[[nodiscard]] absl::Status ListWorkloads(Repository& repo, PersonnelDirectory& personnel,
                                         const Call& call, const pb::ListWorkloadsRequest& req,
                                         pb::ListWorkloadsResponse& resp);
[[nodiscard]] absl::Status ListDemandSignals(Repository& repo, PersonnelDirectory& personnel,
                                             const Call& call,
                                             const pb::ListDemandSignalsRequest& req,
                                             pb::ListDemandSignalsResponse& resp);
[[nodiscard]] absl::Status GetSettings(Repository& repo, PersonnelDirectory& personnel,
                                       const Call& call, const pb::GetSettingsRequest& req,
                                       pb::GetSettingsResponse& resp);
[[nodiscard]] absl::Status GetProjection(Repository& repo, PersonnelDirectory& personnel,
                                         const Call& call, const pb::GetProjectionRequest& req,
                                         pb::GetProjectionResponse& resp);
[[nodiscard]] absl::Status ListProjections(Repository& repo, PersonnelDirectory& personnel,
                                           const Call& call, const pb::ListProjectionsRequest& req,
                                           pb::ListProjectionsResponse& resp);
[[nodiscard]] absl::Status GetAnalysis(Repository& repo, PersonnelDirectory& personnel,
                                       const Call& call, const pb::GetAnalysisRequest& req,
                                       pb::GetAnalysisResponse& resp);
[[nodiscard]] absl::Status ListAnalyses(Repository& repo, PersonnelDirectory& personnel,
                                        const Call& call, const pb::ListAnalysesRequest& req,
                                        pb::ListAnalysesResponse& resp);
[[nodiscard]] absl::Status CompareAnalyses(Repository& repo, PersonnelDirectory& personnel,
                                           const Call& call, const pb::CompareAnalysesRequest& req,
                                           pb::CompareAnalysesResponse& resp);
[[nodiscard]] absl::Status ListAuditEvents(Repository& repo, PersonnelDirectory& personnel,
                                           const Call& call, const pb::ListAuditEventsRequest& req,
                                           pb::ListAuditEventsResponse& resp);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_QUERY_WORKFLOW_H_
