#include "services/workload/personnel_directory.h"

#include <utility>

#include "common/errors/errors.h"
#include "common/server/channel.h"

namespace seimbang::workload {

namespace {

namespace ppb = ::seimbang::personnel::v1;

class GrpcPersonnelDirectory : public PersonnelDirectory {
 public:
  GrpcPersonnelDirectory(std::shared_ptr<grpc::Channel> channel, int64_t deadline_ms)
      : stub_(ppb::PersonnelService::NewStub(channel)), deadline_ms_(deadline_ms) {}

  absl::StatusOr<ppb::Unit> GetUnit(int64_t unit_id, const std::string& token) override {
    ppb::GetUnitRequest req;
    req.set_id(unit_id);
    ppb::GetUnitResponse resp;
    auto ctx = server::ClientContextWithDeadline(deadline_ms_, token);
    grpc::Status st = stub_->GetUnit(ctx.get(), req, &resp);
    if (!st.ok()) return errors::FromGrpcStatus(st);
    return resp.unit();
  }

  absl::StatusOr<std::vector<int64_t>> ListUnitIds(const std::string& agency,
                                                   const std::string& token) override {
    std::vector<int64_t> ids;
    std::string page_token;
    do {
      ppb::ListUnitsRequest req;
      req.set_agency_code(agency);
      req.set_include_inactive(true);
      req.mutable_page()->set_page_size(1000);
      req.mutable_page()->set_page_token(page_token);
      ppb::ListUnitsResponse resp;
      auto ctx = server::ClientContextWithDeadline(deadline_ms_, token);
      grpc::Status st = stub_->ListUnits(ctx.get(), req, &resp);
      if (!st.ok()) return errors::FromGrpcStatus(st);
      for (const auto& u : resp.units()) ids.push_back(u.id());
      page_token = resp.page().next_page_token();
    } while (!page_token.empty());
    return ids;
  }

  absl::StatusOr<ppb::Position> GetPosition(const std::string& code,
                                            const std::string& token) override {
    ppb::GetPositionRequest req;
    req.set_code(code);
    ppb::GetPositionResponse resp;
    auto ctx = server::ClientContextWithDeadline(deadline_ms_, token);
    grpc::Status st = stub_->GetPosition(ctx.get(), req, &resp);
    if (!st.ok()) return errors::FromGrpcStatus(st);
    return resp.position();
  }

  absl::StatusOr<ppb::GetStaffingResponse> GetStaffing(const ppb::GetStaffingRequest& req,
                                                       const std::string& token) override {
    ppb::GetStaffingResponse resp;
    auto ctx = server::ClientContextWithDeadline(deadline_ms_, token);
    grpc::Status st = stub_->GetStaffing(ctx.get(), req, &resp);
    if (!st.ok()) return errors::FromGrpcStatus(st);
    return resp;
  }

 private:
  std::unique_ptr<ppb::PersonnelService::Stub> stub_;
  int64_t deadline_ms_;
};

}  // namespace

std::unique_ptr<PersonnelDirectory> NewGrpcPersonnelDirectory(
    std::shared_ptr<grpc::Channel> channel, int64_t deadline_ms) {
  return std::make_unique<GrpcPersonnelDirectory>(std::move(channel), deadline_ms);
}

}  // namespace seimbang::workload
