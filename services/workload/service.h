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
#include <utility>

#include "absl/status/status.h"
#include "common/auth/caller.h"
#include "common/db/pool.h"
#include "common/server/serve.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "services/workload/call.h"
#include "services/workload/downstream.h"
#include "services/workload/gauges.h"
#include "services/workload/repository.h"

namespace seimbang::workload {

struct WorkloadServiceOptions {
  // Bearer token for calls to personnel (--service-token-file); when empty the caller's
  // own token is forwarded.
  std::string service_token;
};

class WorkloadService final : public pb::WorkloadAnalysisService::Service {
 public:
  // `repo` (main.cc's) must outlive the service.
  WorkloadService(Repository& repo, std::unique_ptr<PersonnelDirectory> personnel,
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
  absl::Status DoUpsertWorkload(const Call& call, const pb::UpsertWorkloadRequest& req,
                                pb::UpsertWorkloadResponse& resp);
  absl::Status DoImportWorkload(const Call& call, grpc::ServerContext& ctx,
                                grpc::ServerReader<pb::ImportWorkloadRequest>& reader,
                                pb::ImportWorkloadResponse& resp);
  absl::Status DoRecordDemandSignals(const Call& call, const pb::RecordDemandSignalsRequest& req,
                                     pb::RecordDemandSignalsResponse& resp);
  absl::Status DoUpdateSettings(const Call& call, const pb::UpdateSettingsRequest& req,
                                pb::UpdateSettingsResponse& resp);
  absl::Status DoRunAnalysis(const Call& call, const pb::RunAnalysisRequest& req,
                             grpc::ServerWriter<pb::RunAnalysisResponse>& writer);
  absl::Status DoProjectStaffing(const Call& call, const pb::ProjectStaffingRequest& req,
                                 pb::ProjectStaffingResponse& resp);

  // server::Serve, with the service's own token (when it has one) as the token personnel sees.
  template <typename Fn>
  grpc::Status Serve(grpc::ServerContext& ctx, Fn&& workflow) {
    return server::Serve(ctx, [&](const Call& call) -> absl::Status {
      if (options_.service_token.empty()) return workflow(call);
      Call as_service = call;
      as_service.downstream_token = options_.service_token;
      return workflow(std::as_const(as_service));
    });
  }

  Repository& repo_;
  std::unique_ptr<PersonnelDirectory> personnel_;
  WorkloadServiceOptions options_;
  AnalysisGauges gauges_;
};

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_SERVICE_H_
