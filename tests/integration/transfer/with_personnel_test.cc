// transfer-service with the real personnel-service (and a fake workload run
// built from personnel's own staffing): an executed plan changes placements
// and writes placement history in personnel.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "tests/harness/calls.h"
#include "tests/harness/nurse_agency_services.h"

namespace seimbang::transfer {
namespace {

namespace v1 = ::seimbang::transfer::v1;
namespace ppb = ::seimbang::personnel::v1;
using ::seimbang::testing::NurseAgencyServices;

constexpr char kSecret[] = "transfer-personnel-test-secret-0123456789";

class WithPersonnelTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Personnel (Puskesmas A with 6 nurses for a need of 3, B with 1 for 3) and transfer-service
  // on it, with a policy whose plan moves two nurses from A to B.
  void SetUp() override {
    NurseAgencyServices::Options o;
    o.source = 6;
    o.need_a = 3;
    o.need_b = 3;
    o.engine = GetParam();
    o.name = "tp";
    o.secret = kSecret;
    agency_ = std::make_unique<NurseAgencyServices>(o);
    ASSERT_TRUE(agency_->StartPersonnel());
    ASSERT_TRUE(agency_->Seed());
    ASSERT_TRUE(agency_->StartTransfer());
    admin_ = agency_->admin();
    op_ = agency_->op();
    pstub_ = &agency_->personnel();
    tstub_ = &agency_->transfer();
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
    return testing::CallContext(token);
  }

  // A plan of two moves from A to B, submitted, its review window passed, approved.
  v1::PlanSummary ApprovedPlan() {
    v1::PlanSummary plan;
    grpc::Status s = agency_->CreatePlan(agency_->CreatePolicy(0.5), "", &plan);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(plan.moves(), 2);
    return agency_->Approve(plan);
  }

  // Executes the plan and waits until the saga has finished.
  v1::GetExecutionResponse ExecuteToTheEnd(const std::string& plan_id) {
    v1::ExecutePlanRequest ex;
    ex.set_plan_id(plan_id);
    v1::ExecutePlanResponse started;
    EXPECT_TRUE(tstub_->ExecutePlan(Ctx(op_).get(), ex, &started).ok());
    return agency_->WaitExecution(plan_id,
                                  [](const v1::Execution& e) { return e.finish_time_ms() != 0; });
  }

  std::unique_ptr<NurseAgencyServices> agency_;
  std::string admin_, op_;
  ppb::PersonnelService::Stub* pstub_ = nullptr;  // owned by agency_
  v1::TransferPlanningService::Stub* tstub_ = nullptr;
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
