#ifndef SEIMBANG_SERVICES_PERSONNEL_SERVICE_H_
#define SEIMBANG_SERVICES_PERSONNEL_SERVICE_H_

#include <functional>
#include <vector>

#include "common/domain/date.h"
#include "common/server/serve.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "services/personnel/call.h"
#include "services/personnel/gauges.h"
#include "services/personnel/repository.h"

namespace seimbang::personnel {

// The employee reads of the serving path (GetEmployee, ListEmployees, BatchGetEmployees) are
// served with gRPC's callback API, their database work on a pool as large as the connection
// pool (issue 22 item 2, common/server/serve.h); the other methods are sync.
using PersonnelServiceBase = pv1::PersonnelService::WithRawCallbackMethod_GetEmployee<
    pv1::PersonnelService::WithRawCallbackMethod_ListEmployees<
        pv1::PersonnelService::WithRawCallbackMethod_BatchGetEmployees<
            pv1::PersonnelService::Service>>>;

// The gRPC adapter: each handler decodes the caller, calls one workflow function
// (*_workflow.h, transfer_application.h) and encodes its status. No business decisions here.
class PersonnelService final : public PersonnelServiceBase, public server::CallbackMethods {
 public:
  using Clock = std::function<domain::Date()>;
  explicit PersonnelService(Repository& repo, Clock today = domain::Today);

  // The domain metrics (gauges.h); until registered they count nothing.
  void RegisterGauges(prometheus::Registry& registry) { gauges_.Register(registry); }

  grpc::Status CreateAgency(grpc::ServerContext* ctx, const pv1::CreateAgencyRequest* req,
                            pv1::CreateAgencyResponse* resp) override;
  grpc::Status GetAgency(grpc::ServerContext* ctx, const pv1::GetAgencyRequest* req,
                         pv1::GetAgencyResponse* resp) override;
  grpc::Status ListAgencies(grpc::ServerContext* ctx, const pv1::ListAgenciesRequest* req,
                            pv1::ListAgenciesResponse* resp) override;
  grpc::Status CreateUnit(grpc::ServerContext* ctx, const pv1::CreateUnitRequest* req,
                          pv1::CreateUnitResponse* resp) override;
  grpc::Status GetUnit(grpc::ServerContext* ctx, const pv1::GetUnitRequest* req,
                       pv1::GetUnitResponse* resp) override;
  grpc::Status UpdateUnit(grpc::ServerContext* ctx, const pv1::UpdateUnitRequest* req,
                          pv1::UpdateUnitResponse* resp) override;
  grpc::Status ListUnits(grpc::ServerContext* ctx, const pv1::ListUnitsRequest* req,
                         pv1::ListUnitsResponse* resp) override;
  grpc::Status CreatePosition(grpc::ServerContext* ctx, const pv1::CreatePositionRequest* req,
                              pv1::CreatePositionResponse* resp) override;
  grpc::Status GetPosition(grpc::ServerContext* ctx, const pv1::GetPositionRequest* req,
                           pv1::GetPositionResponse* resp) override;
  grpc::Status ListPositions(grpc::ServerContext* ctx, const pv1::ListPositionsRequest* req,
                             pv1::ListPositionsResponse* resp) override;
  grpc::Status CreateEmployee(grpc::ServerContext* ctx, const pv1::CreateEmployeeRequest* req,
                              pv1::CreateEmployeeResponse* resp) override;
  grpc::ServerUnaryReactor* GetEmployee(grpc::CallbackServerContext* ctx,
                                        const grpc::ByteBuffer* in, grpc::ByteBuffer* out) override;
  grpc::Status UpdateEmployee(grpc::ServerContext* ctx, const pv1::UpdateEmployeeRequest* req,
                              pv1::UpdateEmployeeResponse* resp) override;
  grpc::ServerUnaryReactor* ListEmployees(grpc::CallbackServerContext* ctx,
                                          const grpc::ByteBuffer* in,
                                          grpc::ByteBuffer* out) override;
  grpc::ServerUnaryReactor* BatchGetEmployees(grpc::CallbackServerContext* ctx,
                                              const grpc::ByteBuffer* in,
                                              grpc::ByteBuffer* out) override;
  grpc::Status StreamEmployees(grpc::ServerContext* ctx, const pv1::StreamEmployeesRequest* req,
                               grpc::ServerWriter<pv1::StreamEmployeesResponse>* out) override;
  grpc::Status ImportRecords(grpc::ServerContext* ctx,
                             grpc::ServerReader<pv1::ImportRecordsRequest>* in,
                             pv1::ImportRecordsResponse* resp) override;
  grpc::Status GetStaffing(grpc::ServerContext* ctx, const pv1::GetStaffingRequest* req,
                           pv1::GetStaffingResponse* resp) override;
  grpc::Status ApplyTransfers(grpc::ServerContext* ctx, const pv1::ApplyTransfersRequest* req,
                              pv1::ApplyTransfersResponse* resp) override;
  grpc::Status ListPlacementHistory(grpc::ServerContext* ctx,
                                    const pv1::ListPlacementHistoryRequest* req,
                                    pv1::ListPlacementHistoryResponse* resp) override;
  grpc::Status WatchChanges(grpc::ServerContext* ctx, const pv1::WatchChangesRequest* req,
                            grpc::ServerWriter<pv1::WatchChangesResponse>* out) override;
  grpc::Status ListAuditEvents(grpc::ServerContext* ctx, const pv1::ListAuditEventsRequest* req,
                               pv1::ListAuditEventsResponse* resp) override;

 private:
  // A read served with the callback API: `read(repo_, call, request, response)` on the pool.
  template <typename Req, typename Resp>
  grpc::ServerUnaryReactor* ServeRead(grpc::CallbackServerContext* ctx, const std::string& method,
                                      const grpc::ByteBuffer* in, grpc::ByteBuffer* out,
                                      absl::Status (*read)(Repository&, const Call&, const Req&,
                                                           Resp*)) {
    return ServeBlocking<Req, Resp>(ctx, method, in, out,
                                    [this, read](const Call& call, const Req& req, Resp* resp) {
                                      return read(repo_, call, req, resp);
                                    });
  }

  Repository& repo_;
  Clock today_;
  PersonnelGauges gauges_;
};

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_SERVICE_H_
