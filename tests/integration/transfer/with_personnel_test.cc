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
    if (GetParam() == "sqlite") return testsupport::FreshSqliteDsn();
    auto dsn = testsupport::FreshMariaDbDsn(prefix);
    EXPECT_TRUE(dsn.ok()) << dsn.status();
    return dsn.ok() ? *dsn : "";
  }
};

TEST_P(WithPersonnelTest, ExecutedPlanMovesPeopleInPersonnelWithHistory) {
  char tmpl[] = "/tmp/transfer-pers-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  std::ofstream(dir + "/secret") << kSecret;
  std::ofstream(dir + "/service-token") << Token(auth::Role::kService, "");
  const std::string admin = Token(auth::Role::kAdmin, "");

  ServiceProcessOptions po;
  po.args = {"--db=" + Dsn("tp_personnel"), "--auth-hs256-secret-file=" + dir + "/secret"};
  auto personnel = ServiceProcess::Start("personnel-service", po);
  ASSERT_TRUE(personnel.ok()) << personnel.status();
  auto pstub = ppb::PersonnelService::NewStub(
      grpc::CreateChannel(personnel->address(), grpc::InsecureChannelCredentials()));

  // Seed: Puskesmas A with 6 nurses, Puskesmas B with 1.
  {
    auto ctx = Ctx(admin);
    ppb::ImportRecordsResponse resp;
    auto writer = pstub->ImportRecords(ctx.get(), &resp);
    for (const ppb::ImportRecordsRequest& r : testing::NurseAgencyRecords(6, 1)) {
      writer->Write(r);
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(resp.summary().rejected(), 0) << resp.ShortDebugString();
  }
  ppb::GetStaffingRequest sreq;
  sreq.set_agency_code(kAgency);
  *sreq.mutable_as_of() = D(2026, 1, 1);
  ppb::GetStaffingResponse staffing;
  ASSERT_TRUE(pstub->GetStaffing(Ctx(admin).get(), sreq, &staffing).ok());

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
  FakeUpstreams workload(world);

  ServiceProcessOptions to;
  const std::string transfer_dsn = Dsn("tp_transfer");
  to.args = {"--db=" + transfer_dsn, "--auth-hs256-secret-file=" + dir + "/secret",
             "--personnel-addr=" + personnel->address(), "--workload-addr=" + workload.address(),
             "--service-token-file=" + dir + "/service-token"};
  auto transfer = ServiceProcess::Start("transfer-service", to);
  ASSERT_TRUE(transfer.ok()) << transfer.status();
  auto tstub = v1::TransferPlanningService::NewStub(
      grpc::CreateChannel(transfer->address(), grpc::InsecureChannelCredentials()));
  const std::string op = Token(auth::Role::kOperator, kAgency);
  const std::string approver = Token(auth::Role::kApprover, kAgency);

  v1::CreatePolicyRequest preq;
  preq.mutable_policy()->set_agency_code(kAgency);
  preq.mutable_policy()->set_name("uji");
  preq.mutable_policy()->mutable_rules()->set_max_leave_fraction(0.5);
  v1::CreatePolicyResponse policy;
  ASSERT_TRUE(tstub->CreatePolicy(Ctx(op).get(), preq, &policy).ok());

  v1::CreatePlanRequest creq;
  creq.set_agency_code(kAgency);
  creq.set_analysis_run_id("run-1");
  creq.set_policy_id(policy.policy().id());
  *creq.mutable_effective_date() = D(2026, 3, 1);
  auto cctx = Ctx(op);
  auto reader = tstub->CreatePlan(cctx.get(), creq);
  v1::CreatePlanResponse ev;
  v1::PlanSummary plan;
  while (reader->Read(&ev)) {
    if (ev.has_plan()) plan = ev.plan();
  }
  grpc::Status s = reader->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(plan.moves(), 2);

  v1::SubmitPlanRequest sub;
  sub.set_plan_id(plan.id());
  sub.set_etag(plan.etag());
  v1::SubmitPlanResponse submitted;
  ASSERT_TRUE(tstub->SubmitPlan(Ctx(op).get(), sub, &submitted).ok());
  // Ten working days later: the review window has closed (issue 18).
  ASSERT_TRUE(testsupport::AgePlanSubmission(transfer_dsn, plan.id(), 30).ok());
  v1::ApprovePlanRequest app;
  app.set_plan_id(plan.id());
  app.set_etag(submitted.plan().etag());
  v1::ApprovePlanResponse approved;
  s = tstub->ApprovePlan(Ctx(approver).get(), app, &approved);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::ExecutePlanRequest ex;
  ex.set_plan_id(plan.id());
  v1::ExecutePlanResponse started;
  ASSERT_TRUE(tstub->ExecutePlan(Ctx(op).get(), ex, &started).ok());
  v1::GetExecutionResponse exec;
  for (int i = 0; i < 300 && exec.execution().plan_state() != v1::PLAN_STATE_EXECUTED; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    v1::GetExecutionRequest g;
    g.set_plan_id(plan.id());
    exec.Clear();
    (void)tstub->GetExecution(Ctx(op).get(), g, &exec);
  }
  ASSERT_EQ(exec.execution().plan_state(), v1::PLAN_STATE_EXECUTED) << exec.ShortDebugString();
  EXPECT_EQ(exec.execution().applied(), 2);

  ASSERT_EQ(exec.moves_size(), 2);
  for (const auto& m : exec.moves()) {
    ppb::GetEmployeeRequest greq;
    greq.set_nip(m.nip());
    ppb::GetEmployeeResponse emp;
    ASSERT_TRUE(pstub->GetEmployee(Ctx(admin).get(), greq, &emp).ok());
    EXPECT_EQ(emp.employee().unit_id(), 2);
    ppb::ListPlacementHistoryRequest hreq;
    hreq.set_nip(m.nip());
    ppb::ListPlacementHistoryResponse history;
    ASSERT_TRUE(pstub->ListPlacementHistory(Ctx(admin).get(), hreq, &history).ok());
    ASSERT_GE(history.placements_size(), 1);
    EXPECT_EQ(history.placements(0).plan_id(), plan.id());
    EXPECT_EQ(history.placements(0).move_id(), m.move_id());
    EXPECT_EQ(history.placements(0).to_unit_id(), 2);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, WithPersonnelTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace seimbang::transfer
