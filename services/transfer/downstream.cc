#include "services/transfer/downstream.h"

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/proto_convert/date.h"
#include "common/server/channel.h"

namespace seimbang::transfer {
namespace {

namespace cpb = ::seimbang::common::v1;

// Down or slow callees become UNAVAILABLE naming the service, so the caller
// knows a retry may work; other codes keep theirs with the callee's message.
absl::Status Mapped(const grpc::Status& s, const std::string& what, const std::string& addr) {
  const std::string msg = absl::StrCat(what, " at ", addr, ": ", s.error_message());
  switch (s.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNKNOWN:
      return absl::UnavailableError(
          absl::StrCat(what, " unavailable at ", addr, ": ", s.error_message()));
    default:
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()), msg);
  }
}

// "GetEmployee" for GetEmployeeRequest: each request of the contracts is named <Rpc>Request.
template <typename Req>
std::string RpcOf() {
  return std::string(absl::StripSuffix(Req::descriptor()->name(), "Request"));
}

class GrpcDownstream : public Downstream {
 public:
  GrpcDownstream(GrpcDownstreamOptions options, std::shared_ptr<grpc::Channel> personnel,
                 std::shared_ptr<grpc::Channel> workload)
      : options_(std::move(options)),
        personnel_(ppb::PersonnelService::NewStub(personnel)),
        workload_(wpb::WorkloadAnalysisService::NewStub(workload)) {}

  // The run's rows (workload-analysis) and the agency's staff (personnel) are fetched at the
  // same time, so a plan waits for the slower of the two, not for both (issue 22 item 1). A
  // failed run cancels the staff's stream; its error is the answer, as when it came first.
  absl::StatusOr<PlanningData> FetchPlanningData(
      const std::string& agency, const std::string& run_id, const domain::Date& effective_date,
      const ProgressFn& progress, std::chrono::system_clock::time_point deadline) override {
    PlanningData data;
    data.agency_code = agency;
    data.effective_date = effective_date;
    std::mutex progress_mu;  // the handler's sink is one stream: one writer at a time
    const ProgressFn one_at_a_time = [&](const std::string& stage, const std::string& message,
                                         int64_t done, int64_t total) {
      std::lock_guard<std::mutex> lock(progress_mu);
      progress(stage, message, done, total);
    };
    const absl::Time start = absl::Now();
    Canceller staff_calls;
    PlanningData run;
    absl::Status run_status;
    std::thread analysis([&] {
      run_status = FetchRun(run_id, one_at_a_time, deadline, &run);
      data.timings.analysis_ms = absl::ToInt64Milliseconds(absl::Now() - start);
      if (!run_status.ok()) staff_calls.Cancel();
    });
    absl::Status staff_status = FetchStaff(agency, one_at_a_time, deadline, staff_calls, &data);
    data.timings.staffing_ms = absl::ToInt64Milliseconds(absl::Now() - start);
    analysis.join();
    SEIMBANG_RETURN_IF_ERROR(run_status);
    SEIMBANG_RETURN_IF_ERROR(staff_status);
    data.rows = std::move(run.rows);
    data.run_agency = std::move(run.run_agency);
    data.staffing_digest = std::move(run.staffing_digest);
    data.wke = run.wke;
    return data;
  }

  absl::StatusOr<RunStaffing> StaffingOfRun(
      const std::string& run_id, std::chrono::system_clock::time_point deadline) override {
    wpb::GetAnalysisRequest areq;
    areq.set_run_id(run_id);
    areq.mutable_page()->set_page_size(1);
    SEIMBANG_ASSIGN_OR_RETURN(auto aresp, Workload(&WStub::GetAnalysis, areq, deadline));
    ppb::GetStaffingRequest req;
    req.set_agency_code(aresp.summary().agency_code());
    *req.mutable_as_of() = aresp.summary().as_of();
    SEIMBANG_ASSIGN_OR_RETURN(auto resp, Personnel(&PStub::GetStaffing, req, deadline));
    RunStaffing out;
    out.agency = aresp.summary().agency_code();
    out.as_of = proto_convert::ToDomain(aresp.summary().as_of());
    out.run_digest = aresp.summary().staffing_digest();
    out.current_digest = resp.digest();
    return out;
  }

  absl::StatusOr<std::string> EmployeeAgency(const std::string& nip) override {
    ppb::GetEmployeeRequest req;
    req.set_nip(nip);
    SEIMBANG_ASSIGN_OR_RETURN(auto resp, Personnel(&PStub::GetEmployee, req));
    return resp.employee().agency_code();
  }

  absl::StatusOr<std::map<std::string, std::string>> EmployeeAgencies(
      const std::vector<std::string>& nips) override {
    constexpr size_t kPerCall = 1000;  // personnel's BatchGetEmployees limit
    std::map<std::string, std::string> out;
    for (size_t start = 0; start < nips.size(); start += kPerCall) {
      ppb::BatchGetEmployeesRequest req;
      for (size_t i = start; i < nips.size() && i < start + kPerCall; ++i) req.add_nips(nips[i]);
      SEIMBANG_ASSIGN_OR_RETURN(auto resp, Personnel(&PStub::BatchGetEmployees, req));
      for (const auto& e : resp.employees()) out[e.nip()] = e.agency_code();
    }
    return out;
  }

  absl::StatusOr<std::map<int64_t, std::string>> UnitAgencies(const std::string& agency) override {
    std::map<int64_t, std::string> out;
    SEIMBANG_RETURN_IF_ERROR(EachUnit(agency, std::chrono::system_clock::time_point::max(),
                                      [&](ppb::Unit& u) { out[u.id()] = u.agency_code(); }));
    return out;
  }

  absl::StatusOr<std::map<std::string, int64_t>> UnitIdsByExternalId(
      const std::string& agency, const std::set<std::string>& external_ids) override {
    constexpr size_t kLookups = 10;  // past this many, one listing of the agency's units
    std::map<std::string, int64_t> out;
    if (external_ids.size() > kLookups) {
      SEIMBANG_RETURN_IF_ERROR(
          EachUnit(agency, std::chrono::system_clock::time_point::max(), [&](ppb::Unit& u) {
            if (external_ids.count(u.external_id()) > 0) out[u.external_id()] = u.id();
          }));
      return out;
    }
    for (const std::string& external_id : external_ids) {
      ppb::GetUnitRequest req;
      req.set_agency_code(agency);
      req.set_external_id(external_id);
      absl::StatusOr<ppb::GetUnitResponse> resp = Personnel(&PStub::GetUnit, req);
      if (absl::IsNotFound(resp.status())) continue;
      if (!resp.ok()) return resp.status();
      out[external_id] = resp->unit().id();
    }
    return out;
  }

  absl::StatusOr<std::string> UnitAgency(int64_t unit_id) override {
    ppb::GetUnitRequest req;
    req.set_id(unit_id);
    SEIMBANG_ASSIGN_OR_RETURN(auto resp, Personnel(&PStub::GetUnit, req));
    return resp.unit().agency_code();
  }

  absl::StatusOr<std::vector<ppb::MoveResult>> ApplyTransfers(
      const std::vector<ppb::TransferMove>& moves) override {
    ppb::ApplyTransfersRequest req;
    for (const auto& m : moves) *req.add_moves() = m;
    SEIMBANG_ASSIGN_OR_RETURN(auto resp, Personnel(&PStub::ApplyTransfers, req));
    return std::vector<ppb::MoveResult>(resp.results().begin(), resp.results().end());
  }

 private:
  // The analysis run, every page of rows.
  absl::Status FetchRun(const std::string& run_id, const ProgressFn& progress,
                        std::chrono::system_clock::time_point deadline, PlanningData* data) {
    wpb::GetAnalysisRequest req;
    req.set_run_id(run_id);
    req.mutable_page()->set_page_size(1000);
    do {
      SEIMBANG_ASSIGN_OR_RETURN(auto resp, Workload(&WStub::GetAnalysis, req, deadline));
      if (data->run_agency.empty()) {
        data->run_agency = resp.summary().agency_code();
        data->staffing_digest = resp.summary().staffing_digest();
        if (resp.summary().settings().effective_minutes_per_year() > 0) {
          data->wke = resp.summary().settings().effective_minutes_per_year();
        }
      }
      for (auto& row : *resp.mutable_rows()) data->rows.push_back(std::move(row));
      req.mutable_page()->set_page_token(resp.page().next_page_token());
      progress("fetch_analysis", "baris analisis beban kerja diambil",
               static_cast<int64_t>(data->rows.size()), resp.summary().positions());
    } while (!req.page().page_token().empty());
    return absl::OkStatus();
  }

  // Cancels the staff's employee stream from the run's thread when the run failed.
  class Canceller {
   public:
    // False once cancelled: the caller makes no call. Otherwise `ctx` is cancelled by Cancel()
    // until Done().
    bool Start(grpc::ClientContext* ctx) {
      std::lock_guard<std::mutex> lock(mu_);
      current_ = ctx;
      return !cancelled_;
    }
    void Done() {
      std::lock_guard<std::mutex> lock(mu_);
      current_ = nullptr;
    }
    void Cancel() {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_ = true;
      if (current_ != nullptr) current_->TryCancel();
    }

   private:
    std::mutex mu_;
    grpc::ClientContext* current_ = nullptr;
    bool cancelled_ = false;
  };

  // Units, positions and the agency's employees with planner hints as of the effective date.
  absl::Status FetchStaff(const std::string& agency, const ProgressFn& progress,
                          std::chrono::system_clock::time_point deadline, Canceller& canceller,
                          PlanningData* data) {
    SEIMBANG_RETURN_IF_ERROR(FetchUnits(agency, deadline, data));
    SEIMBANG_RETURN_IF_ERROR(FetchPositions(deadline, data));
    progress("fetch_catalogue", "unit dan jabatan diambil",
             static_cast<int64_t>(data->units.size() + data->positions.size()), 0);
    return FetchEmployees(agency, data->effective_date, progress, deadline, canceller, data);
  }

  // Units of the agency (names, coordinates).
  absl::Status FetchUnits(const std::string& agency, std::chrono::system_clock::time_point deadline,
                          PlanningData* data) {
    return EachUnit(agency, deadline, [&](ppb::Unit& u) { data->units[u.id()] = std::move(u); });
  }

  // Every unit of `agency` (every agency's when empty), inactive ones too, page by page.
  absl::Status EachUnit(const std::string& agency, std::chrono::system_clock::time_point deadline,
                        const std::function<void(ppb::Unit&)>& each) {
    ppb::ListUnitsRequest req;
    req.set_agency_code(agency);
    req.set_include_inactive(true);
    req.mutable_page()->set_page_size(1000);
    do {
      SEIMBANG_ASSIGN_OR_RETURN(auto resp, Personnel(&PStub::ListUnits, req, deadline));
      for (auto& u : *resp.mutable_units()) each(u);
      req.mutable_page()->set_page_token(resp.page().next_page_token());
    } while (!req.page().page_token().empty());
    return absl::OkStatus();
  }

  // The position catalogue (rank bands, education, family).
  absl::Status FetchPositions(std::chrono::system_clock::time_point deadline, PlanningData* data) {
    ppb::ListPositionsRequest req;
    req.mutable_page()->set_page_size(1000);
    do {
      SEIMBANG_ASSIGN_OR_RETURN(auto resp, Personnel(&PStub::ListPositions, req, deadline));
      for (auto& p : *resp.mutable_positions()) data->positions[p.code()] = std::move(p);
      req.mutable_page()->set_page_token(resp.page().next_page_token());
    } while (!req.page().page_token().empty());
    return absl::OkStatus();
  }

  // Employees, streamed with planner hints as of the effective date.
  absl::Status FetchEmployees(const std::string& agency, const domain::Date& effective_date,
                              const ProgressFn& progress,
                              std::chrono::system_clock::time_point deadline, Canceller& canceller,
                              PlanningData* data) {
    ppb::StreamEmployeesRequest req;
    req.mutable_filter()->set_agency_code(agency);
    *req.mutable_eligible_as_of() = proto_convert::ToProto(effective_date);
    auto ctx = Context(deadline);
    if (!canceller.Start(ctx.get())) return absl::CancelledError("the analysis run failed");
    struct Done {
      Canceller& c;
      ~Done() { c.Done(); }
    } done{canceller};
    auto reader = personnel_->StreamEmployees(ctx.get(), req);
    ppb::StreamEmployeesResponse e;
    while (reader->Read(&e)) {
      data->employees.push_back(std::move(e));
      e.Clear();
      if (data->employees.size() % 5000 == 0) {
        progress("fetch_employees", "data pegawai diambil",
                 static_cast<int64_t>(data->employees.size()), 0);
      }
    }
    grpc::Status s = reader->Finish();
    if (!s.ok()) return Mapped(s, "personnel StreamEmployees", options_.personnel_addr);
    progress("fetch_employees", "data pegawai diambil",
             static_cast<int64_t>(data->employees.size()),
             static_cast<int64_t>(data->employees.size()));
    return absl::OkStatus();
  }

  std::unique_ptr<grpc::ClientContext> Context(std::chrono::system_clock::time_point deadline =
                                                   std::chrono::system_clock::time_point::max()) {
    auto ctx = server::ClientContextWithDeadline(options_.timeout_ms, options_.token);
    if (deadline < ctx->deadline()) ctx->set_deadline(deadline);
    return ctx;
  }

  using PStub = ppb::PersonnelService::Stub;
  using WStub = wpb::WorkloadAnalysisService::Stub;
  using Deadline = std::chrono::system_clock::time_point;

  // One call of personnel's or workload-analysis's `method` within Context(deadline); a
  // failure is Mapped, naming the service, the RPC and the address.
  template <typename Req, typename Resp>
  absl::StatusOr<Resp> Personnel(server::UnaryMethod<PStub, Req, Resp> method, const Req& req,
                                 Deadline deadline = Deadline::max()) {
    return Ask(*personnel_, method, req, "personnel", options_.personnel_addr, deadline);
  }
  template <typename Req, typename Resp>
  absl::StatusOr<Resp> Workload(server::UnaryMethod<WStub, Req, Resp> method, const Req& req,
                                Deadline deadline) {
    return Ask(*workload_, method, req, "workload-analysis", options_.workload_addr, deadline);
  }
  template <typename Stub, typename Req, typename Resp>
  absl::StatusOr<Resp> Ask(Stub& stub, server::UnaryMethod<Stub, Req, Resp> method, const Req& req,
                           const char* service, const std::string& addr, Deadline deadline) {
    auto ctx = Context(deadline);
    return server::CallUnary(stub, method, req, *ctx, [&](const grpc::Status& s) {
      return Mapped(s, absl::StrCat(service, " ", RpcOf<Req>()), addr);
    });
  }

  GrpcDownstreamOptions options_;
  std::unique_ptr<PStub> personnel_;
  std::unique_ptr<WStub> workload_;
};

}  // namespace

absl::Status StaleRunError(const std::string& run_id, const RunStaffing& s,
                           const std::string& then) {
  const std::string as_of = domain::FormatDate(s.as_of);
  return absl::FailedPreconditionError(absl::StrCat(
      "analysis run ", run_id, " predates staffing changes of agency ", s.agency,
      " (personnel's staffing as of ", as_of,
      " changed after the run); run the analysis again: seimbangctl analysis run --agency ",
      s.agency, " --as-of ", as_of, ", then ", then));
}

absl::StatusOr<std::vector<int64_t>> ResolveExternalUnits(
    Downstream& downstream, const std::string& agency,
    const std::vector<NamedExternalUnit>& named) {
  errors::ValidationErrors errs;
  std::set<std::string> wanted;
  for (const NamedExternalUnit& n : named) {
    if (n.external_id.size() > 64) {
      errs.Add(n.field, "at most 64 characters");
    } else {
      wanted.insert(n.external_id);
    }
  }
  SEIMBANG_RETURN_IF_ERROR(errs.ToStatus());
  std::vector<int64_t> ids;
  if (named.empty()) return ids;
  SEIMBANG_ASSIGN_OR_RETURN(auto found, downstream.UnitIdsByExternalId(agency, wanted));
  for (const NamedExternalUnit& n : named) {
    auto it = found.find(n.external_id);
    if (it == found.end()) {
      errs.Add(n.field, absl::StrCat("no unit of agency ", errors::Echo(agency),
                                     " has external_id ", errors::Echo(n.external_id)));
    } else {
      ids.push_back(it->second);
    }
  }
  SEIMBANG_RETURN_IF_ERROR(errs.ToStatus());
  return ids;
}

absl::StatusOr<std::unique_ptr<Downstream>> MakeGrpcDownstream(
    const GrpcDownstreamOptions& options) {
  server::ChannelOptions personnel_opts;
  personnel_opts.tls = options.tls;
  personnel_opts.idempotent_methods = {
      "/seimbang.personnel.v1.PersonnelService/ListUnits",
      "/seimbang.personnel.v1.PersonnelService/ListPositions",
      "/seimbang.personnel.v1.PersonnelService/GetStaffing",
      "/seimbang.personnel.v1.PersonnelService/GetEmployee",
      "/seimbang.personnel.v1.PersonnelService/BatchGetEmployees",
      "/seimbang.personnel.v1.PersonnelService/GetUnit",
      // A read; gRPC retries it only until personnel starts answering.
      "/seimbang.personnel.v1.PersonnelService/StreamEmployees",
      // Idempotent per (plan_id, move_id) by contract.
      "/seimbang.personnel.v1.PersonnelService/ApplyTransfers"};
  auto personnel = server::MakeChannel(options.personnel_addr, personnel_opts);
  if (!personnel.ok()) return personnel.status();
  server::ChannelOptions workload_opts;
  workload_opts.tls = options.tls;
  workload_opts.idempotent_methods = {"/seimbang.workload.v1.WorkloadAnalysisService/GetAnalysis"};
  auto workload = server::MakeChannel(options.workload_addr, workload_opts);
  if (!workload.ok()) return workload.status();
  return std::unique_ptr<Downstream>(
      std::make_unique<GrpcDownstream>(options, *std::move(personnel), *std::move(workload)));
}

}  // namespace seimbang::transfer
