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

// The handlers that only run their workflow: `personnel::Name(repo_, call, *req, resp)`.
#define PN_HANDLER(Name, Req, Resp)                                                           \
  grpc::Status PersonnelService::Name(grpc::ServerContext* ctx, const pv1::Req* req,          \
                                      pv1::Resp* resp) {                                      \
    return Serve(*ctx,                                                                        \
                 [&](const Call& call) { return personnel::Name(repo_, call, *req, resp); }); \
  }
PN_HANDLER(CreateAgency, CreateAgencyRequest, CreateAgencyResponse)
PN_HANDLER(GetAgency, GetAgencyRequest, GetAgencyResponse)
PN_HANDLER(ListAgencies, ListAgenciesRequest, ListAgenciesResponse)
PN_HANDLER(CreateUnit, CreateUnitRequest, CreateUnitResponse)
PN_HANDLER(GetUnit, GetUnitRequest, GetUnitResponse)
PN_HANDLER(UpdateUnit, UpdateUnitRequest, UpdateUnitResponse)
PN_HANDLER(ListUnits, ListUnitsRequest, ListUnitsResponse)
PN_HANDLER(CreatePosition, CreatePositionRequest, CreatePositionResponse)

grpc::Status PersonnelService::GetPosition(grpc::ServerContext* /*ctx*/,
                                           const pv1::GetPositionRequest* req,
                                           pv1::GetPositionResponse* resp) {
  return errors::ToGrpcStatus(personnel::GetPosition(repo_, *req, resp));
}

PN_HANDLER(ListPositions, ListPositionsRequest, ListPositionsResponse)

// The writes that also take today's date: `personnel::Name(repo_, call, *req, today_(), resp)`.
#define PN_DATED_HANDLER(Name, Req, Resp)                                            \
  grpc::Status PersonnelService::Name(grpc::ServerContext* ctx, const pv1::Req* req, \
                                      pv1::Resp* resp) {                             \
    return Serve(*ctx, [&](const Call& call) {                                       \
      return personnel::Name(repo_, call, *req, today_(), resp);                     \
    });                                                                              \
  }
// The reads served with the callback API (ServeRead).
#define PN_CALLBACK_READ(Name)                                                               \
  grpc::ServerUnaryReactor* PersonnelService::Name(                                          \
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* in, grpc::ByteBuffer* out) { \
    static const std::string kMethod = MethodPath(#Name);                                    \
    return ServeRead(ctx, kMethod, in, out, &personnel::Name);                               \
  }
PN_DATED_HANDLER(CreateEmployee, CreateEmployeeRequest, CreateEmployeeResponse)
PN_CALLBACK_READ(GetEmployee)
PN_DATED_HANDLER(UpdateEmployee, UpdateEmployeeRequest, UpdateEmployeeResponse)
PN_CALLBACK_READ(ListEmployees)
PN_CALLBACK_READ(BatchGetEmployees)
#undef PN_CALLBACK_READ
#undef PN_DATED_HANDLER

PN_HANDLER(GetStaffing, GetStaffingRequest, GetStaffingResponse)

grpc::Status PersonnelService::ApplyTransfers(grpc::ServerContext* ctx,
                                              const pv1::ApplyTransfersRequest* req,
                                              pv1::ApplyTransfersResponse* resp) {
  return Serve(*ctx, [&](const Call& call) {
    return personnel::ApplyTransfers(repo_, gauges_, call, *req, resp);
  });
}

PN_HANDLER(ListPlacementHistory, ListPlacementHistoryRequest, ListPlacementHistoryResponse)

PN_HANDLER(ListAuditEvents, ListAuditEventsRequest, ListAuditEventsResponse)
#undef PN_HANDLER

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
