#include "tests/harness/nurse_agency_services.h"

#include <gtest/gtest.h>

#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tests/harness/calls.h"
#include "tests/support/nurse_rows.h"
#include "tests/support/test_db.h"

namespace seimbang::testing {

namespace ppb = ::seimbang::personnel::v1;
namespace tpb = ::seimbang::transfer::v1;

namespace {
std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
  return CallContext(token, absl::Seconds(30));
}
}  // namespace

NurseAgencyServices::NurseAgencyServices(Options options) : options_(std::move(options)) {
  services_ = std::make_unique<TestServices>(absl::StrCat(options_.name, "-agency"),
                                             options_.secret, service());
  auto p = testsupport::FreshDsn(options_.engine, options_.name + "_personnel");
  auto t = testsupport::FreshDsn(options_.engine, options_.name + "_transfer");
  EXPECT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(t.ok()) << t.status();
  if (p.ok()) personnel_dsn_ = *p;
  if (t.ok()) transfer_dsn_ = *t;
}

std::string NurseAgencyServices::Token(auth::Role role, const std::string& agency) const {
  return MintTestToken(options_.secret, role, agency, "",
                       absl::StrCat(options_.name, "-", std::string(auth::RoleName(role))));
}

bool NurseAgencyServices::StartPersonnel(const std::vector<std::string>& extra) {
  std::vector<std::string> args = extra;
  // A restart keeps the address transfer-service was given.
  if (!personnel_addr_fixed_.empty())
    args.insert(args.begin(), "--listen=" + personnel_addr_fixed_);
  const absl::Status st = services_->StartPersonnel(personnel_dsn_, args);
  EXPECT_TRUE(st.ok()) << st;
  if (!st.ok()) return false;
  personnel_addr_fixed_ = services_->personnel()->address();
  return true;
}

bool NurseAgencyServices::Seed() {
  ppb::ImportRecordsResponse resp;
  // options_.source nurses in A, and one in B.
  grpc::Status s =
      ImportRecords(personnel(), NurseAgencyRecords(options_.source, 1), admin(), &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.summary().rejected(), 0) << resp.ShortDebugString();
  if (!s.ok() || resp.summary().rejected() != 0) return false;

  ppb::GetStaffingRequest sreq;
  sreq.set_agency_code(kNurseAgency);
  *sreq.mutable_as_of() = ProtoDate(2026, 1, 1);
  ppb::GetStaffingResponse staffing;
  s = personnel().GetStaffing(Ctx(admin()).get(), sreq, &staffing);
  EXPECT_TRUE(s.ok()) << s.error_message();
  if (!s.ok()) return false;
  world_ = FakeWorld();
  world_.run_digest = staffing.digest();
  for (auto [unit, staff, need] :
       {std::tuple{1, options_.source, options_.need_a}, std::tuple{2, 1, options_.need_b}}) {
    world_.rows.push_back(testsupport::NurseRow(unit, staff, need));
    world_.rows.back().clear_ej();  // as the fault and transfer tests have always served it
  }
  workload_ = std::make_unique<FakeUpstreams>(world_);
  return true;
}

bool NurseAgencyServices::StartTransfer(const std::vector<std::string>& extra) {
  const absl::Status st = services_->StartTransfer(
      transfer_dsn_, extra, Upstreams{personnel_addr_fixed_, workload_->address()});
  EXPECT_TRUE(st.ok()) << st;
  return st.ok();
}

std::string NurseAgencyServices::CreatePolicy(double max_leave_fraction) {
  tpb::CreatePolicyRequest req;
  req.mutable_policy()->set_agency_code(kNurseAgency);
  req.mutable_policy()->set_name("uji");
  req.mutable_policy()->mutable_rules()->set_max_leave_fraction(max_leave_fraction);
  tpb::CreatePolicyResponse resp;
  grpc::Status s = transfer().CreatePolicy(Ctx(op()).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.policy().id();
}

grpc::Status NurseAgencyServices::CreatePlan(const std::string& policy_id,
                                             const std::string& request_id,
                                             tpb::PlanSummary* plan) {
  tpb::CreatePlanRequest req;
  req.set_agency_code(kNurseAgency);
  req.set_analysis_run_id("run-1");
  req.set_policy_id(policy_id);
  req.set_request_id(request_id);
  *req.mutable_effective_date() = ProtoDate(2026, 3, 1);
  auto ctx = Ctx(op());
  auto reader = transfer().CreatePlan(ctx.get(), req);
  tpb::CreatePlanResponse ev;
  while (reader->Read(&ev)) {
    if (ev.has_plan()) *plan = ev.plan();
  }
  return reader->Finish();
}

tpb::PlanSummary NurseAgencyServices::Approve(const tpb::PlanSummary& plan) {
  tpb::SubmitPlanRequest sub;
  sub.set_plan_id(plan.id());
  sub.set_etag(plan.etag());
  tpb::SubmitPlanResponse submitted;
  grpc::Status s = transfer().SubmitPlan(Ctx(op()).get(), sub, &submitted);
  EXPECT_TRUE(s.ok()) << s.error_message();
  // Ten working days later: the review window has closed (issue 18).
  EXPECT_TRUE(testsupport::AgePlanSubmission(transfer_dsn_, plan.id(), 30).ok());
  tpb::ApprovePlanRequest app;
  app.set_plan_id(plan.id());
  app.set_etag(submitted.plan().etag());
  tpb::ApprovePlanResponse approved;
  s = transfer().ApprovePlan(Ctx(approver()).get(), app, &approved);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return approved.plan();
}

tpb::GetExecutionResponse NurseAgencyServices::Execution(const std::string& plan_id) {
  tpb::GetExecutionRequest g;
  g.set_plan_id(plan_id);
  tpb::GetExecutionResponse exec;
  (void)transfer().GetExecution(CallContext(op(), absl::Seconds(5)).get(), g, &exec);
  return exec;
}

tpb::GetExecutionResponse NurseAgencyServices::WaitExecution(
    const std::string& plan_id, const std::function<bool(const tpb::Execution&)>& pred) {
  tpb::GetExecutionResponse exec;
  WaitFor(
      [&] {
        exec = Execution(plan_id);
        return exec.has_execution() && pred(exec.execution());
      },
      30000);
  return exec;
}

int NurseAgencyServices::TransferRows(const std::string& nip, const std::string& plan_id,
                                      const std::string& move_id) {
  ppb::ListPlacementHistoryRequest req;
  req.set_nip(nip);
  ppb::ListPlacementHistoryResponse resp;
  grpc::Status s = personnel().ListPlacementHistory(Ctx(admin()).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  int n = 0;
  for (const auto& p : resp.placements()) {
    n += p.reason() == ppb::PLACEMENT_REASON_TRANSFER && p.plan_id() == plan_id &&
         p.move_id() == move_id;
  }
  return n;
}

}  // namespace seimbang::testing
