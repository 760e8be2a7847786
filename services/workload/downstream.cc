#include "services/workload/downstream.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
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
    SEIMBANG_ASSIGN_OR_RETURN(auto resp, Ask(&Stub::GetUnit, req, token));
    return resp.unit();
  }

  absl::StatusOr<ppb::Unit> GetUnitByExternalId(const std::string& agency,
                                                const std::string& external_id,
                                                const std::string& token) override {
    ppb::GetUnitRequest req;
    req.set_agency_code(agency);
    req.set_external_id(external_id);
    SEIMBANG_ASSIGN_OR_RETURN(auto resp, Ask(&Stub::GetUnit, req, token));
    return resp.unit();
  }

  absl::StatusOr<std::vector<int64_t>> ListUnitIds(const std::string& agency,
                                                   const std::string& token) override {
    std::vector<int64_t> ids;
    ppb::ListUnitsRequest req;
    req.set_agency_code(agency);
    req.set_include_inactive(true);
    req.mutable_page()->set_page_size(1000);
    do {
      SEIMBANG_ASSIGN_OR_RETURN(auto resp, Ask(&Stub::ListUnits, req, token));
      for (const auto& u : resp.units()) ids.push_back(u.id());
      req.mutable_page()->set_page_token(resp.page().next_page_token());
    } while (!req.page().page_token().empty());
    return ids;
  }

  absl::StatusOr<ppb::Position> GetPosition(const std::string& code,
                                            const std::string& token) override {
    ppb::GetPositionRequest req;
    req.set_code(code);
    SEIMBANG_ASSIGN_OR_RETURN(auto resp, Ask(&Stub::GetPosition, req, token));
    return resp.position();
  }

  absl::StatusOr<ppb::GetStaffingResponse> GetStaffing(const ppb::GetStaffingRequest& req,
                                                       const std::string& token) override {
    return Ask(&Stub::GetStaffing, req, token);
  }

  absl::Status StreamEmployees(
      const ppb::StreamEmployeesRequest& req, const std::string& token,
      const std::function<void(const ppb::StreamEmployeesResponse&)>& each) override {
    auto ctx = server::ClientContextWithDeadline(deadline_ms_, token);
    auto reader = stub_->StreamEmployees(ctx.get(), req);
    ppb::StreamEmployeesResponse m;
    while (reader->Read(&m)) each(m);
    grpc::Status st = reader->Finish();
    if (!st.ok()) return errors::FromGrpcStatus(st);
    return absl::OkStatus();
  }

 private:
  using Stub = ppb::PersonnelService::Stub;

  // One call of personnel with this directory's deadline, presenting `token`.
  template <typename Req, typename Resp>
  absl::StatusOr<Resp> Ask(server::UnaryMethod<Stub, Req, Resp> method, const Req& req,
                           const std::string& token) {
    auto ctx = server::ClientContextWithDeadline(deadline_ms_, token);
    return server::CallUnary(*stub_, method, req, *ctx, errors::FromGrpcStatus);
  }

  std::unique_ptr<Stub> stub_;
  int64_t deadline_ms_;
};

}  // namespace

absl::Status PersonnelDirectory::StreamEmployees(
    const ppb::StreamEmployeesRequest&, const std::string&,
    const std::function<void(const ppb::StreamEmployeesResponse&)>&) {
  return absl::UnimplementedError("StreamEmployees is not implemented by this directory");
}

absl::Status PersonnelError(const absl::Status& status) {
  if (absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) {
    return absl::UnavailableError(
        absl::StrCat("personnel service unavailable: ", status.message()));
  }
  return absl::Status(status.code(), absl::StrCat("personnel: ", status.message()));
}

namespace {

// What `cache` holds for `key`: `field` of the message `fetch` answers, or its error, asked of
// personnel once per check.
template <typename Map, typename Key, typename Fetch, typename Field>
const typename Map::mapped_type& Cached(Map& cache, const Key& key, Fetch&& fetch, Field&& field) {
  using Value = typename Map::mapped_type;
  auto it = cache.find(key);
  if (it == cache.end()) {
    auto got = fetch();
    Value value = got.ok() ? Value(field(*got)) : Value(got.status());
    it = cache.emplace(key, std::move(value)).first;
  }
  return it->second;
}

// A failed look-up of personnel as the check reports it: what personnel does not know is an
// invalid `field` (`missing` says why), any other error is personnel's (PersonnelError).
absl::Status LookupError(const absl::Status& status, const std::string& field,
                         std::string missing) {
  if (absl::IsNotFound(status)) return errors::InvalidArgument({{field, std::move(missing)}});
  return PersonnelError(status);
}

}  // namespace

absl::Status PersonnelCheck::CheckUnit(const std::string& agency, int64_t unit_id,
                                       const std::string& field) {
  const absl::StatusOr<std::string>& owner = Cached(
      unit_agencies_, unit_id, [&] { return dir_.GetUnit(unit_id, token_); },
      [](const ppb::Unit& u) { return u.agency_code(); });
  if (!owner.ok()) {
    return LookupError(owner.status(), field,
                       absl::StrCat("unit ", unit_id, " does not exist in personnel"));
  }
  if (*owner != agency) {
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller_, *owner));
    return errors::InvalidArgument(
        {{field, absl::StrCat("unit ", unit_id, " belongs to agency ", *owner, ", not ", agency)}});
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> PersonnelCheck::UnitId(const std::string& agency, int64_t unit_id,
                                               const std::string& external_id,
                                               const std::string& id_field,
                                               const std::string& external_field) {
  if (external_id.empty()) return unit_id;
  auto invalid = [&](const std::string& why) {
    return errors::InvalidArgument({{external_field, why}});
  };
  if (unit_id != 0) return invalid(absl::StrCat("set either ", id_field, " or this, not both"));
  if (agency.empty()) return invalid("needs agency_code: external ids are per agency");
  if (external_id.size() > 64) return invalid("at most 64 characters");
  SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller_, agency));
  const absl::StatusOr<int64_t>& id = Cached(
      external_ids_, std::make_pair(agency, external_id),
      [&] { return dir_.GetUnitByExternalId(agency, external_id, token_); },
      [&](const ppb::Unit& u) {
        unit_agencies_.emplace(u.id(), u.agency_code());
        return u.id();
      });
  if (id.ok()) return *id;
  return LookupError(id.status(), external_field,
                     absl::StrCat("no unit of agency ", errors::Echo(agency), " has external_id ",
                                  errors::Echo(external_id)));
}

absl::StatusOr<std::string> PersonnelCheck::Check(const std::string& agency, int64_t unit_id,
                                                  const std::string& code,
                                                  const std::string& prefix) {
  SEIMBANG_RETURN_IF_ERROR(CheckUnit(agency, unit_id, prefix + "unit_id"));
  const absl::StatusOr<std::string>& family = Cached(
      job_families_, code, [&] { return dir_.GetPosition(code, token_); },
      [](const ppb::Position& p) { return p.job_family(); });
  if (!family.ok()) {
    return LookupError(family.status(), prefix + "position_code",
                       absl::StrCat("position ", code, " does not exist in personnel"));
  }
  return *family;
}

std::unique_ptr<PersonnelDirectory> NewGrpcPersonnelDirectory(
    std::shared_ptr<grpc::Channel> channel, int64_t deadline_ms) {
  return std::make_unique<GrpcPersonnelDirectory>(std::move(channel), deadline_ms);
}

}  // namespace seimbang::workload
