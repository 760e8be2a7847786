// gRPC adapter of seimbang.workload.v1.WorkloadAnalysisService: decodes and validates
// requests, checks agency scope, calls the repository or one workflow (analysis_workflow,
// workload_workflow, signals_workflow, projection_workflow), encodes and maps statuses. No SQL here
// (repository.h), no ABK arithmetic (abk/).
#ifndef SEIMBANG_SERVICES_WORKLOAD_SERVICE_H_
#define SEIMBANG_SERVICES_WORKLOAD_SERVICE_H_

#include <grpcpp/grpcpp.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/auth/caller.h"
#include "common/db/pool.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "services/workload/call.h"
#include "services/workload/gauges.h"
#include "services/workload/personnel_directory.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

struct WorkloadServiceOptions {
  // Bearer token for calls to personnel (--service-token-file); when empty the caller's
  // own token is forwarded.
  std::string service_token;
};

class WorkloadService final : public pb::WorkloadAnalysisService::Service {
 public:
  WorkloadService(db::Pool& pool, std::unique_ptr<PersonnelDirectory> personnel,
                  WorkloadServiceOptions options = {});
  ~WorkloadService() override;

  // Domain gauges of the latest run per agency (gauges.h); seeded from the stored runs.
  void RegisterGauges(prometheus::Registry& registry);
  // Re-reads the latest run per agency from the database, so every replica reports the
  // runs of all (main.cc calls it before a scrape, at most every few seconds).
  void RefreshGauges();

  grpc::Status UpsertWorkload(grpc::ServerContext* ctx, const pb::UpsertWorkloadRequest* req,
                              pb::UpsertWorkloadResponse* resp) override;
  grpc::Status GetWorkload(grpc::ServerContext* ctx, const pb::GetWorkloadRequest* req,
                           pb::GetWorkloadResponse* resp) override;
  grpc::Status ListWorkloads(grpc::ServerContext* ctx, const pb::ListWorkloadsRequest* req,
                             pb::ListWorkloadsResponse* resp) override;
  grpc::Status ImportWorkload(grpc::ServerContext* ctx,
                              grpc::ServerReader<pb::ImportWorkloadRequest>* reader,
                              pb::ImportWorkloadResponse* resp) override;
  grpc::Status RecordDemandSignals(grpc::ServerContext* ctx,
                                   const pb::RecordDemandSignalsRequest* req,
                                   pb::RecordDemandSignalsResponse* resp) override;
  grpc::Status ListDemandSignals(grpc::ServerContext* ctx, const pb::ListDemandSignalsRequest* req,
                                 pb::ListDemandSignalsResponse* resp) override;
  grpc::Status GetSettings(grpc::ServerContext* ctx, const pb::GetSettingsRequest* req,
                           pb::GetSettingsResponse* resp) override;
  grpc::Status UpdateSettings(grpc::ServerContext* ctx, const pb::UpdateSettingsRequest* req,
                              pb::UpdateSettingsResponse* resp) override;
  grpc::Status RunAnalysis(grpc::ServerContext* ctx, const pb::RunAnalysisRequest* req,
                           grpc::ServerWriter<pb::RunAnalysisResponse>* writer) override;
  grpc::Status GetAnalysis(grpc::ServerContext* ctx, const pb::GetAnalysisRequest* req,
                           pb::GetAnalysisResponse* resp) override;
  grpc::Status ListAnalyses(grpc::ServerContext* ctx, const pb::ListAnalysesRequest* req,
                            pb::ListAnalysesResponse* resp) override;
  grpc::Status CompareAnalyses(grpc::ServerContext* ctx, const pb::CompareAnalysesRequest* req,
                               pb::CompareAnalysesResponse* resp) override;
  grpc::Status ListAuditEvents(grpc::ServerContext* ctx, const pb::ListAuditEventsRequest* req,
                               pb::ListAuditEventsResponse* resp) override;
  grpc::Status ProjectStaffing(grpc::ServerContext* ctx, const pb::ProjectStaffingRequest* req,
                               pb::ProjectStaffingResponse* resp) override;
  grpc::Status GetProjection(grpc::ServerContext* ctx, const pb::GetProjectionRequest* req,
                             pb::GetProjectionResponse* resp) override;
  grpc::Status ListProjections(grpc::ServerContext* ctx, const pb::ListProjectionsRequest* req,
                               pb::ListProjectionsResponse* resp) override;

 private:
  absl::Status DoUpsertWorkload(grpc::ServerContext& ctx, const pb::UpsertWorkloadRequest& req,
                                pb::UpsertWorkloadResponse& resp);
  absl::Status DoGetWorkload(grpc::ServerContext& ctx, const pb::GetWorkloadRequest& req,
                             pb::GetWorkloadResponse& resp);
  absl::Status DoListWorkloads(grpc::ServerContext& ctx, const pb::ListWorkloadsRequest& req,
                               pb::ListWorkloadsResponse& resp);
  absl::Status DoImportWorkload(grpc::ServerContext& ctx,
                                grpc::ServerReader<pb::ImportWorkloadRequest>& reader,
                                pb::ImportWorkloadResponse& resp);
  absl::Status DoRecordDemandSignals(grpc::ServerContext& ctx,
                                     const pb::RecordDemandSignalsRequest& req,
                                     pb::RecordDemandSignalsResponse& resp);
  absl::Status DoListDemandSignals(grpc::ServerContext& ctx,
                                   const pb::ListDemandSignalsRequest& req,
                                   pb::ListDemandSignalsResponse& resp);
  absl::Status DoGetSettings(grpc::ServerContext& ctx, const pb::GetSettingsRequest& req,
                             pb::GetSettingsResponse& resp);
  absl::Status DoUpdateSettings(grpc::ServerContext& ctx, const pb::UpdateSettingsRequest& req,
                                pb::UpdateSettingsResponse& resp);
  absl::Status DoRunAnalysis(grpc::ServerContext& ctx, const pb::RunAnalysisRequest& req,
                             grpc::ServerWriter<pb::RunAnalysisResponse>& writer);
  absl::Status DoGetAnalysis(grpc::ServerContext& ctx, const pb::GetAnalysisRequest& req,
                             pb::GetAnalysisResponse& resp);
  absl::Status DoListAnalyses(grpc::ServerContext& ctx, const pb::ListAnalysesRequest& req,
                              pb::ListAnalysesResponse& resp);
  absl::Status DoCompareAnalyses(grpc::ServerContext& ctx, const pb::CompareAnalysesRequest& req,
                                 pb::CompareAnalysesResponse& resp);
  absl::Status DoListAuditEvents(grpc::ServerContext& ctx, const pb::ListAuditEventsRequest& req,
                                 pb::ListAuditEventsResponse& resp);
  absl::Status DoProjectStaffing(grpc::ServerContext& ctx, const pb::ProjectStaffingRequest& req,
                                 pb::ProjectStaffingResponse& resp);
  absl::Status DoGetProjection(grpc::ServerContext& ctx, const pb::GetProjectionRequest& req,
                               pb::GetProjectionResponse& resp);
  absl::Status DoListProjections(grpc::ServerContext& ctx, const pb::ListProjectionsRequest& req,
                                 pb::ListProjectionsResponse& resp);

  std::string PersonnelToken(const grpc::ServerContext& ctx) const;
  // What the workflows know of this call: the caller, its x-request-id, the personnel token.
  Call CallOf(const grpc::ServerContext& ctx, auth::Caller caller) const;
  // A unit a read names by id or by its Unit.external_id within `agency` (issue 20): see
  // PersonnelCheck::UnitId; personnel is asked only when `external_id` is set.
  absl::StatusOr<int64_t> UnitIdOf(const grpc::ServerContext& ctx, const auth::Caller& caller,
                                   const std::string& agency, int64_t unit_id,
                                   const std::string& external_id, const std::string& id_field,
                                   const std::string& external_field);

  WorkloadRepository repo_;
  std::unique_ptr<PersonnelDirectory> personnel_;
  WorkloadServiceOptions options_;
  AnalysisGauges gauges_;
};

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_SERVICE_H_
