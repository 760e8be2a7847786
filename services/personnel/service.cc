#include "services/personnel/service.h"

#include <chrono>
#include <utility>

#include "common/auth/caller.h"
#include "common/errors/errors.h"
#include "common/server/serve.h"
#include "common/server/strict_read.h"
#include "services/personnel/catalogue_workflow.h"
#include "services/personnel/employee_workflow.h"
#include "services/personnel/import_workflow.h"
#include "services/personnel/query_workflow.h"
#include "services/personnel/transfer_application.h"

SEIMBANG_STRICT_READS(::seimbang::personnel::v1::ImportRecordsRequest);

namespace seimbang::personnel {
namespace {

using server::Serve;

template <typename Message>
StreamOut<Message> StreamOf(grpc::ServerContext& ctx, grpc::ServerWriter<Message>& out) {
  return {[&ctx] { return ctx.IsCancelled(); },
          [&ctx] { return std::chrono::system_clock::now() >= ctx.deadline(); },
          [&out](const Message& m) { return out.Write(m); }};
}

}  // namespace

PersonnelService::PersonnelService(Repository& repo, Clock today)
    : server::CallbackMethods(repo.pool().options().max_connections),
      repo_(repo),
      today_(std::move(today)) {}

grpc::Status PersonnelService::CreateAgency(grpc::ServerContext* ctx,
                                            const pv1::CreateAgencyRequest* req,
                                            pv1::CreateAgencyResponse* resp) {
  return Serve(*ctx,
               [&](const Call& call) { return personnel::CreateAgency(repo_, call, *req, resp); });
}

grpc::Status PersonnelService::GetAgency(grpc::ServerContext* ctx, const pv1::GetAgencyRequest* req,
                                         pv1::GetAgencyResponse* resp) {
  return Serve(*ctx,
               [&](const Call& call) { return personnel::GetAgency(repo_, call, *req, resp); });
}

grpc::Status PersonnelService::ListAgencies(grpc::ServerContext* ctx,
                                            const pv1::ListAgenciesRequest* req,
                                            pv1::ListAgenciesResponse* resp) {
  return Serve(*ctx,
               [&](const Call& call) { return personnel::ListAgencies(repo_, call, *req, resp); });
}

grpc::Status PersonnelService::CreateUnit(grpc::ServerContext* ctx,
                                          const pv1::CreateUnitRequest* req,
                                          pv1::CreateUnitResponse* resp) {
  return Serve(*ctx,
               [&](const Call& call) { return personnel::CreateUnit(repo_, call, *req, resp); });
}

grpc::Status PersonnelService::GetUnit(grpc::ServerContext* ctx, const pv1::GetUnitRequest* req,
                                       pv1::GetUnitResponse* resp) {
  return Serve(*ctx, [&](const Call& call) { return personnel::GetUnit(repo_, call, *req, resp); });
}

grpc::Status PersonnelService::UpdateUnit(grpc::ServerContext* ctx,
                                          const pv1::UpdateUnitRequest* req,
                                          pv1::UpdateUnitResponse* resp) {
  return Serve(*ctx,
               [&](const Call& call) { return personnel::UpdateUnit(repo_, call, *req, resp); });
}

grpc::Status PersonnelService::ListUnits(grpc::ServerContext* ctx, const pv1::ListUnitsRequest* req,
                                         pv1::ListUnitsResponse* resp) {
  return Serve(*ctx,
               [&](const Call& call) { return personnel::ListUnits(repo_, call, *req, resp); });
}

grpc::Status PersonnelService::CreatePosition(grpc::ServerContext* ctx,
                                              const pv1::CreatePositionRequest* req,
                                              pv1::CreatePositionResponse* resp) {
  return Serve(
      *ctx, [&](const Call& call) { return personnel::CreatePosition(repo_, call, *req, resp); });
}

grpc::Status PersonnelService::GetPosition(grpc::ServerContext* /*ctx*/,
                                           const pv1::GetPositionRequest* req,
                                           pv1::GetPositionResponse* resp) {
  return errors::ToGrpcStatus(personnel::GetPosition(repo_, *req, resp));
}

grpc::Status PersonnelService::ListPositions(grpc::ServerContext* ctx,
                                             const pv1::ListPositionsRequest* req,
                                             pv1::ListPositionsResponse* resp) {
  return Serve(*ctx,
               [&](const Call& call) { return personnel::ListPositions(repo_, call, *req, resp); });
}

grpc::Status PersonnelService::CreateEmployee(grpc::ServerContext* ctx,
                                              const pv1::CreateEmployeeRequest* req,
                                              pv1::CreateEmployeeResponse* resp) {
  return Serve(*ctx, [&](const Call& call) {
    return personnel::CreateEmployee(repo_, call, *req, today_(), resp);
  });
}

grpc::ServerUnaryReactor* PersonnelService::GetEmployee(grpc::CallbackServerContext* ctx,
                                                        const grpc::ByteBuffer* in,
                                                        grpc::ByteBuffer* out) {
  static const std::string kMethod = MethodPath("GetEmployee");
  return ServeRead(ctx, kMethod, in, out, &personnel::GetEmployee);
}

grpc::Status PersonnelService::UpdateEmployee(grpc::ServerContext* ctx,
                                              const pv1::UpdateEmployeeRequest* req,
                                              pv1::UpdateEmployeeResponse* resp) {
  return Serve(*ctx, [&](const Call& call) {
    return personnel::UpdateEmployee(repo_, call, *req, today_(), resp);
  });
}

grpc::ServerUnaryReactor* PersonnelService::ListEmployees(grpc::CallbackServerContext* ctx,
                                                          const grpc::ByteBuffer* in,
                                                          grpc::ByteBuffer* out) {
  static const std::string kMethod = MethodPath("ListEmployees");
  return ServeRead(ctx, kMethod, in, out, &personnel::ListEmployees);
}

grpc::ServerUnaryReactor* PersonnelService::BatchGetEmployees(grpc::CallbackServerContext* ctx,
                                                              const grpc::ByteBuffer* in,
                                                              grpc::ByteBuffer* out) {
  static const std::string kMethod = MethodPath("BatchGetEmployees");
  return ServeRead(ctx, kMethod, in, out, &personnel::BatchGetEmployees);
}

grpc::Status PersonnelService::GetStaffing(grpc::ServerContext* ctx,
                                           const pv1::GetStaffingRequest* req,
                                           pv1::GetStaffingResponse* resp) {
  return Serve(*ctx,
               [&](const Call& call) { return personnel::GetStaffing(repo_, call, *req, resp); });
}

grpc::Status PersonnelService::ApplyTransfers(grpc::ServerContext* ctx,
                                              const pv1::ApplyTransfersRequest* req,
                                              pv1::ApplyTransfersResponse* resp) {
  return Serve(*ctx, [&](const Call& call) {
    return personnel::ApplyTransfers(repo_, gauges_, call, *req, resp);
  });
}

grpc::Status PersonnelService::ListPlacementHistory(grpc::ServerContext* ctx,
                                                    const pv1::ListPlacementHistoryRequest* req,
                                                    pv1::ListPlacementHistoryResponse* resp) {
  return Serve(*ctx, [&](const Call& call) {
    return personnel::ListPlacementHistory(repo_, call, *req, resp);
  });
}

grpc::Status PersonnelService::ListAuditEvents(grpc::ServerContext* ctx,
                                               const pv1::ListAuditEventsRequest* req,
                                               pv1::ListAuditEventsResponse* resp) {
  return Serve(
      *ctx, [&](const Call& call) { return personnel::ListAuditEvents(repo_, call, *req, resp); });
}

grpc::Status PersonnelService::StreamEmployees(
    grpc::ServerContext* ctx, const pv1::StreamEmployeesRequest* req,
    grpc::ServerWriter<pv1::StreamEmployeesResponse>* out) {
  return Serve(*ctx, [&](const Call& call) {
    return personnel::StreamEmployees(repo_, call, *req, StreamOf(*ctx, *out));
  });
}

grpc::Status PersonnelService::WatchChanges(grpc::ServerContext* ctx,
                                            const pv1::WatchChangesRequest* req,
                                            grpc::ServerWriter<pv1::WatchChangesResponse>* out) {
  return Serve(*ctx, [&](const Call& call) {
    return personnel::WatchChanges(repo_, call, *req, StreamOf(*ctx, *out));
  });
}

grpc::Status PersonnelService::ImportRecords(grpc::ServerContext* ctx,
                                             grpc::ServerReader<pv1::ImportRecordsRequest>* in,
                                             pv1::ImportRecordsResponse* resp) {
  return Serve(*ctx, [&](const Call& call) {
    // NextMessage tells a message that does not parse, and a cancel, from the half-close
    // (gRPC's Read answers false for all three): either error applies nothing.
    const ImportStream stream{
        [in, ctx](pv1::ImportRecordsRequest* m) { return server::NextMessage(in, ctx, m); },
        [ctx] { return ctx->IsCancelled(); }};
    return personnel::ImportRecords(repo_, call, today_(), stream, resp);
  });
}

}  // namespace seimbang::personnel
