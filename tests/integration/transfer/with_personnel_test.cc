// transfer-service with the real personnel-service (and a fake workload run
// built from personnel's own staffing): an executed plan changes placements
// and writes placement history in personnel.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/auth/verifier.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "tests/harness/calls.h"
#include "tests/harness/nurse_agency.h"
#include "tests/harness/service_process.h"
#include "tests/integration/transfer/fake_upstreams.h"
#include "tests/support/test_db.h"

namespace seimbang::transfer {
namespace {

namespace v1 = ::seimbang::transfer::v1;
namespace ppb = ::seimbang::personnel::v1;
namespace wpb = ::seimbang::workload::v1;
namespace cpb = ::seimbang::common::v1;
using ::seimbang::testing::FakeUpstreams;
using ::seimbang::testing::FakeWorld;
using ::seimbang::testing::ServiceProcess;
using ::seimbang::testing::ServiceProcessOptions;

constexpr char kSecret[] = "transfer-personnel-test-secret-0123456789";
constexpr char kAgency[] = "73.71";

std::string Token(auth::Role role, const std::string& agency) {
  return testing::MintTestToken(kSecret, role, agency);
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
  return testing::CallContext(token);
}

cpb::Date D(int y, int m, int d) { return testing::ProtoDate(y, m, d); }

class WithPersonnelTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string Dsn(const std::string& prefix) {
    auto dsn = testsupport::FreshDsn(GetParam(), prefix);
    EXPECT_TRUE(dsn.ok()) << dsn.status();
    return dsn.ok() ? *dsn : "";
  }

  // Personnel (Puskesmas A with 6 nurses for a need of 3, B with 1 for 3) and transfer-service
  // on it, with a policy whose plan moves two nurses from A to B.
  void SetUp() override {
    char tmpl[] = "/tmp/transfer-pers-XXXXXX";
    const std::string dir = mkdtemp(tmpl);
    std::ofstream(dir + "/secret") << kSecret;
    std::ofstream(dir + "/service-token") << Token(auth::Role::kService, "");

    ServiceProcessOptions po;
    po.args = {"--db=" + Dsn("tp_personnel"), "--auth-hs256-secret-file=" + dir + "/secret"};
    auto personnel = ServiceProcess::Start("personnel-service", po);
    ASSERT_TRUE(personnel.ok()) << personnel.status();
    personnel_ = std::make_unique<ServiceProcess>(*std::move(personnel));
    pstub_ = ppb::PersonnelService::NewStub(
        grpc::CreateChannel(personnel_->address(), grpc::InsecureChannelCredentials()));
    {
      ppb::ImportRecordsResponse resp;
      grpc::Status s =
          testing::ImportRecords(*pstub_, testing::NurseAgencyRecords(6, 1), admin_, &resp);
      ASSERT_TRUE(s.ok()) << s.error_message();
      ASSERT_EQ(resp.summary().rejected(), 0) << resp.ShortDebugString();
    }
    ppb::GetStaffingRequest sreq;
    sreq.set_agency_code(kAgency);
    *sreq.mutable_as_of() = D(2026, 1, 1);
    ppb::GetStaffingResponse staffing;
    ASSERT_TRUE(pstub_->GetStaffing(Ctx(admin_).get(), sreq, &staffing).ok());

    FakeWorld world;
    world.run_digest = staffing.digest();
    for (auto [unit, staff, need] : {std::tuple{1, 6, 3}, std::tuple{2, 1, 3}}) {
      wpb::PositionRow row;
      row.set_unit_id(unit);
      row.set_position_code("JF-PK");
      row.set_job_family("health");
      row.set_staff(staff);
      row.set_required_headcount(need);
      row.set_workload_minutes(need * 75000.0);
      world.rows.push_back(row);
    }
    workload_ = std::make_unique<FakeUpstreams>(world);

    ServiceProcessOptions to;
    transfer_dsn_ = Dsn("tp_transfer");
    to.args = {"--db=" + transfer_dsn_, "--auth-hs256-secret-file=" + dir + "/secret",
               "--personnel-addr=" + personnel_->address(),
               "--workload-addr=" + workload_->address(),
               "--service-token-file=" + dir + "/service-token"};
    auto transfer = ServiceProcess::Start("transfer-service", to);
    ASSERT_TRUE(transfer.ok()) << transfer.status();
    transfer_ = std::make_unique<ServiceProcess>(*std::move(transfer));
    tstub_ = v1::TransferPlanningService::NewStub(
        grpc::CreateChannel(transfer_->address(), grpc::InsecureChannelCredentials()));
  }

  // A plan of two moves from A to B, submitted, its review window passed, approved.
  v1::PlanSummary ApprovedPlan() {
    v1::CreatePolicyRequest preq;
    preq.mutable_policy()->set_agency_code(kAgency);
    preq.mutable_policy()->set_name("uji");
    preq.mutable_policy()->mutable_rules()->set_max_leave_fraction(0.5);
    v1::CreatePolicyResponse policy;
    EXPECT_TRUE(tstub_->CreatePolicy(Ctx(op_).get(), preq, &policy).ok());

    v1::CreatePlanRequest creq;
    creq.set_agency_code(kAgency);
    creq.set_analysis_run_id("run-1");
    creq.set_policy_id(policy.policy().id());
    *creq.mutable_effective_date() = D(2026, 3, 1);
    auto cctx = Ctx(op_);
    auto reader = tstub_->CreatePlan(cctx.get(), creq);
    v1::CreatePlanResponse ev;
    v1::PlanSummary plan;
    while (reader->Read(&ev)) {
      if (ev.has_plan()) plan = ev.plan();
    }
    grpc::Status s = reader->Finish();
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(plan.moves(), 2);

    v1::SubmitPlanRequest sub;
    sub.set_plan_id(plan.id());
    sub.set_etag(plan.etag());
    v1::SubmitPlanResponse submitted;
    EXPECT_TRUE(tstub_->SubmitPlan(Ctx(op_).get(), sub, &submitted).ok());
    // Ten working days later: the review window has closed (issue 18).
    EXPECT_TRUE(testsupport::AgePlanSubmission(transfer_dsn_, plan.id(), 30).ok());
    v1::ApprovePlanRequest app;
    app.set_plan_id(plan.id());
    app.set_etag(submitted.plan().etag());
    v1::ApprovePlanResponse approved;
    s = tstub_->ApprovePlan(Ctx(approver_).get(), app, &approved);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return approved.plan();
  }

  // Executes the plan and waits until the saga has finished.
  v1::GetExecutionResponse ExecuteToTheEnd(const std::string& plan_id) {
    v1::ExecutePlanRequest ex;
    ex.set_plan_id(plan_id);
    v1::ExecutePlanResponse started;
    EXPECT_TRUE(tstub_->ExecutePlan(Ctx(op_).get(), ex, &started).ok());
    v1::GetExecutionResponse exec;
    for (int i = 0; i < 300; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      v1::GetExecutionRequest g;
      g.set_plan_id(plan_id);
      exec.Clear();
      (void)tstub_->GetExecution(Ctx(op_).get(), g, &exec);
      if (exec.execution().finish_time_ms() != 0) break;
    }
    return exec;
  }

  const std::string admin_ = Token(auth::Role::kAdmin, "");
  const std::string op_ = Token(auth::Role::kOperator, kAgency);
  const std::string approver_ = Token(auth::Role::kApprover, kAgency);
  std::string transfer_dsn_;
  std::unique_ptr<ServiceProcess> personnel_;
  std::unique_ptr<FakeUpstreams> workload_;
  std::unique_ptr<ServiceProcess> transfer_;
  std::unique_ptr<ppb::PersonnelService::Stub> pstub_;
  std::unique_ptr<v1::TransferPlanningService::Stub> tstub_;
};

TEST_P(WithPersonnelTest, ExecutedPlanMovesPeopleInPersonnelWithHistory) {
  const v1::PlanSummary plan = ApprovedPlan();
  ASSERT_EQ(plan.state(), v1::PLAN_STATE_APPROVED);
  v1::GetExecutionResponse exec = ExecuteToTheEnd(plan.id());
  ASSERT_EQ(exec.execution().plan_state(), v1::PLAN_STATE_EXECUTED) << exec.ShortDebugString();
  EXPECT_EQ(exec.execution().applied(), 2);
  EXPECT_EQ(exec.execution().not_applied_size(), 0);

  ASSERT_EQ(exec.moves_size(), 2);
  for (const auto& m : exec.moves()) {
    ppb::GetEmployeeRequest greq;
    greq.set_nip(m.nip());
    ppb::GetEmployeeResponse emp;
    ASSERT_TRUE(pstub_->GetEmployee(Ctx(admin_).get(), greq, &emp).ok());
    EXPECT_EQ(emp.employee().unit_id(), 2);
    ppb::ListPlacementHistoryRequest hreq;
    hreq.set_nip(m.nip());
    ppb::ListPlacementHistoryResponse history;
    ASSERT_TRUE(pstub_->ListPlacementHistory(Ctx(admin_).get(), hreq, &history).ok());
    ASSERT_GE(history.placements_size(), 1);
    EXPECT_EQ(history.placements(0).plan_id(), plan.id());
    EXPECT_EQ(history.placements(0).move_id(), m.move_id());
    EXPECT_EQ(history.placements(0).to_unit_id(), 2);
  }
}

// Issue 18 item 2: execution tells the truth. The target unit is made inactive after approval:
// every move fails in personnel, and the plan ends EXECUTED_WITH_FAILURES (not EXECUTED) with
// the counts and each failure's reason; nobody moved.
TEST_P(WithPersonnelTest, APlanWhoseMovesFailEndsExecutedWithFailuresAndSaysWhy) {
  const v1::PlanSummary plan = ApprovedPlan();
  ASSERT_EQ(plan.state(), v1::PLAN_STATE_APPROVED);

  ppb::GetUnitRequest ureq;
  ureq.set_id(2);
  ppb::GetUnitResponse unit;
  ASSERT_TRUE(pstub_->GetUnit(Ctx(admin_).get(), ureq, &unit).ok());
  ppb::UpdateUnitRequest upd;
  *upd.mutable_unit() = unit.unit();
  upd.mutable_unit()->set_active(false);
  ppb::UpdateUnitResponse updated;
  grpc::Status s = pstub_->UpdateUnit(Ctx(admin_).get(), upd, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::GetExecutionResponse exec = ExecuteToTheEnd(plan.id());
  const v1::Execution& e = exec.execution();
  ASSERT_EQ(e.plan_state(), v1::PLAN_STATE_EXECUTED_WITH_FAILURES) << exec.ShortDebugString();
  EXPECT_EQ(e.total(), 2);
  EXPECT_EQ(e.applied(), 0);
  EXPECT_EQ(e.failed(), 2);
  EXPECT_EQ(e.pending(), 0);
  ASSERT_EQ(e.not_applied_size(), 2);
  for (const auto& m : e.not_applied()) {
    EXPECT_EQ(m.state(), v1::MOVE_EXECUTION_STATE_FAILED);
    EXPECT_NE(m.detail().find("inactive"), std::string::npos) << m.detail();
    ppb::GetEmployeeRequest greq;
    greq.set_nip(m.nip());
    ppb::GetEmployeeResponse emp;
    ASSERT_TRUE(pstub_->GetEmployee(Ctx(admin_).get(), greq, &emp).ok());
    EXPECT_EQ(emp.employee().unit_id(), 1);  // still where they were
  }
  v1::GetPlanRequest get;
  get.set_plan_id(plan.id());
  v1::GetPlanResponse stored;
  ASSERT_TRUE(tstub_->GetPlan(Ctx(op_).get(), get, &stored).ok());
  EXPECT_EQ(stored.plan().state(), v1::PLAN_STATE_EXECUTED_WITH_FAILURES);

  // Executing it again changes nothing and says why.
  v1::ExecutePlanRequest again;
  again.set_plan_id(plan.id());
  v1::ExecutePlanResponse resp;
  s = tstub_->ExecutePlan(Ctx(op_).get(), again, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("EXECUTED_WITH_FAILURES"), std::string::npos)
      << s.error_message();
}

INSTANTIATE_TEST_SUITE_P(Engines, WithPersonnelTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace seimbang::transfer
