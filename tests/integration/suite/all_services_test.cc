// The three real services together, each on its own database, on SQLite and on
// MariaDB (issue #6 "Done when"): personnel holds the nurses, workload-analysis
// computes the need from ABK definitions, transfer-planning plans, explains,
// takes an objection, revises, is approved and executes; personnel then shows
// the new placements and their history.
//
// The agency (tests/harness/nurse_agency.h): Puskesmas A has six nurses and needs
// three, Puskesmas B has one and needs four. With at most half of A allowed to
// leave, the optimum moves three nurses A -> B, the lowest NIPs first (all are
// equally long in post).
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/verifier.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tests/harness/calls.h"
#include "tests/harness/nurse_agency.h"
#include "tests/harness/services.h"
#include "tests/harness/workload_records.h"
#include "tests/support/test_db.h"

namespace seimbang::suite {
namespace {

namespace ppb = ::seimbang::personnel::v1;
namespace wpb = ::seimbang::workload::v1;
namespace tpb = ::seimbang::transfer::v1;
namespace cpb = ::seimbang::common::v1;
using ::seimbang::testing::kNurseAgency;
using ::seimbang::testing::NurseNip;

constexpr char kSecret[] = "suite-integration-test-secret-0123456789";
constexpr char kUnitA[] = "Puskesmas A - Perawat Ahli Pertama";
constexpr char kUnitB[] = "Puskesmas B - Perawat Ahli Pertama";
constexpr double kWke = 75000;  // Default effective working minutes per year.

std::string Token(auth::Role role, const std::string& agency = "", const std::string& nip = "") {
  return testing::MintTestToken(
      kSecret, role, agency, nip,
      nip.empty() ? absl::StrCat("suite-", std::string(auth::RoleName(role))) : nip);
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
  return testing::CallContext(token);
}

cpb::Date D(int y, int m, int d) { return testing::ProtoDate(y, m, d); }

// Reads a server stream of progress events ending with one result; returns the
// result and counts the progress events that came before it.
template <typename Reader, typename Event, typename Result>
grpc::Status Drain(Reader& reader, Result* result, int* progress, bool (Event::*has)() const,
                   const Result& (Event::*get)() const) {
  Event ev;
  bool result_seen = false;
  *progress = 0;
  while (reader->Read(&ev)) {
    if ((ev.*has)()) {
      *result = (ev.*get)();
      result_seen = true;
    } else if (!result_seen) {
      ++*progress;
    } else {
      ADD_FAILURE() << "a progress event came after the result";
    }
  }
  return reader->Finish();
}

class AllServicesTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string Dsn(const std::string& prefix) {
    auto dsn = testsupport::FreshDsn(GetParam(), prefix);
    EXPECT_TRUE(dsn.ok()) << dsn.status();
    return dsn.ok() ? *dsn : "";
  }

  void SetUp() override {
    transfer_dsn_ = Dsn("suite_transfer");
    const absl::Status st =
        services_.StartAll(Dsn("suite_personnel"), Dsn("suite_workload"), transfer_dsn_);
    ASSERT_TRUE(st.ok()) << st;
    pstub_ = services_.personnel_stub();
    wstub_ = services_.workload_stub();
    tstub_ = services_.transfer_stub();

    ASSERT_NO_FATAL_FAILURE(ImportAgency());
    ASSERT_NO_FATAL_FAILURE(DefineWorkload(1, 3));
    ASSERT_NO_FATAL_FAILURE(DefineWorkload(2, 4));
    ASSERT_NO_FATAL_FAILURE(run_id_ = RunAnalysis());
    ASSERT_NO_FATAL_FAILURE(CreatePolicy());
  }

  void ImportAgency() {
    ppb::ImportRecordsResponse resp;
    grpc::Status s =
        testing::ImportRecords(*pstub_, testing::NurseAgencyRecords(6, 1), admin_, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(resp.summary().rejected(), 0) << resp.ShortDebugString();
  }

  // One task whose annual minutes make exactly `need` people at the default WKE.
  void DefineWorkload(int64_t unit_id, int need) {
    wpb::UpsertWorkloadRequest req;
    *req.mutable_workload() = testing::OneTaskWorkload(
        kNurseAgency, unit_id, "JF-PK",
        testing::WorkloadTask("Memberikan asuhan keperawatan", need * kWke / 60, 60,
                              wpb::PERIOD_YEAR, "pasien"));
    wpb::UpsertWorkloadResponse resp;
    grpc::Status s = wstub_->UpsertWorkload(Ctx(operator_).get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  std::string RunAnalysis() {
    wpb::RunAnalysisRequest req;
    req.set_agency_code(kNurseAgency);
    *req.mutable_as_of() = D(2026, 10, 31);
    auto ctx = Ctx(operator_);
    auto reader = wstub_->RunAnalysis(ctx.get(), req);
    wpb::AnalysisSummary run;
    int progress = 0;
    grpc::Status s = Drain(reader, &run, &progress, &wpb::RunAnalysisResponse::has_summary,
                           &wpb::RunAnalysisResponse::summary);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_FALSE(run.run_id().empty());
    return run.run_id();
  }

  void CreatePolicy() {
    tpb::CreatePolicyRequest req;
    req.mutable_policy()->set_agency_code(kNurseAgency);
    req.mutable_policy()->set_name("uji suite");
    req.mutable_policy()->mutable_rules()->set_max_leave_fraction(0.5);
    tpb::CreatePolicyResponse resp;
    grpc::Status s = tstub_->CreatePolicy(Ctx(operator_).get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    policy_id_ = resp.policy().id();
  }

  tpb::PlanSummary CreatePlan(const std::string& run_id, int* progress) {
    tpb::CreatePlanRequest req;
    req.set_agency_code(kNurseAgency);
    req.set_analysis_run_id(run_id);
    req.set_policy_id(policy_id_);
    *req.mutable_effective_date() = D(2027, 1, 1);
    req.set_label("mutasi perawat 2027");
    auto ctx = Ctx(operator_);
    auto reader = tstub_->CreatePlan(ctx.get(), req);
    tpb::PlanSummary plan;
    grpc::Status s = Drain(reader, &plan, progress, &tpb::CreatePlanResponse::has_plan,
                           &tpb::CreatePlanResponse::plan);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return plan;
  }

  std::vector<tpb::Move> ListMoves(const std::string& plan_id) {
    tpb::ListMovesRequest req;
    req.set_plan_id(plan_id);
    tpb::ListMovesResponse resp;
    grpc::Status s = tstub_->ListMoves(Ctx(operator_).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(resp.page().next_page_token().empty());
    return {resp.moves().begin(), resp.moves().end()};
  }

  tpb::PlanSummary Submit(const tpb::PlanSummary& plan) {
    tpb::SubmitPlanRequest req;
    req.set_plan_id(plan.id());
    req.set_etag(plan.etag());
    tpb::SubmitPlanResponse resp;
    grpc::Status s = tstub_->SubmitPlan(Ctx(operator_).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.plan();
  }

  grpc::Status Approve(const tpb::PlanSummary& plan, tpb::PlanSummary* out) {
    // Ten working days after submission: the review window has closed (issue 18).
    EXPECT_TRUE(testsupport::AgePlanSubmission(transfer_dsn_, plan.id(), 30).ok());
    tpb::ApprovePlanRequest req;
    req.set_plan_id(plan.id());
    req.set_etag(plan.etag());
    tpb::ApprovePlanResponse resp;
    grpc::Status s = tstub_->ApprovePlan(Ctx(approver_).get(), req, &resp);
    *out = resp.plan();
    return s;
  }

  ppb::Employee GetEmployee(const std::string& nip) {
    ppb::GetEmployeeRequest req;
    req.set_nip(nip);
    ppb::GetEmployeeResponse resp;
    grpc::Status s = pstub_->GetEmployee(Ctx(admin_).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << nip << ": " << s.error_message();
    return resp.employee();
  }

  std::vector<ppb::Placement> TransferHistory(const std::string& nip) {
    ppb::ListPlacementHistoryRequest req;
    req.set_nip(nip);
    ppb::ListPlacementHistoryResponse resp;
    grpc::Status s = pstub_->ListPlacementHistory(Ctx(admin_).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << nip << ": " << s.error_message();
    std::vector<ppb::Placement> out;
    for (const auto& p : resp.placements()) {
      if (p.reason() == ppb::PLACEMENT_REASON_TRANSFER) out.push_back(p);
    }
    return out;
  }

  testing::TestServices services_{"suite", kSecret, Token(auth::Role::kService)};
  ppb::PersonnelService::Stub* pstub_ = nullptr;  // owned by services_
  wpb::WorkloadAnalysisService::Stub* wstub_ = nullptr;
  tpb::TransferPlanningService::Stub* tstub_ = nullptr;
  const std::string admin_ = Token(auth::Role::kAdmin);
  const std::string operator_ = Token(auth::Role::kOperator, kNurseAgency);
  const std::string approver_ = Token(auth::Role::kApprover, kNurseAgency);
  std::string run_id_;
  std::string policy_id_;
  std::string transfer_dsn_;
};

std::set<std::string> NipsOf(const std::vector<tpb::Move>& moves) {
  std::set<std::string> out;
  for (const auto& m : moves) out.insert(m.nip());
  return out;
}

TEST_P(AllServicesTest, ObjectedMoveIsRevisedAwayAndTheApprovedRevisionMovesPeopleInPersonnel) {
  // --- plan: three nurses A -> B, the optimum and the lower bound.
  int progress = 0;
  const tpb::PlanSummary plan = CreatePlan(run_id_, &progress);
  ASSERT_FALSE(plan.id().empty());
  EXPECT_GE(progress, 1) << "CreatePlan streams progress before the plan";
  EXPECT_EQ(plan.state(), tpb::PLAN_STATE_DRAFT);
  EXPECT_EQ(plan.revision(), 1);
  EXPECT_EQ(plan.analysis_run_id(), run_id_);
  EXPECT_EQ(plan.moves(), 3);
  EXPECT_EQ(plan.moves_lower_bound(), 3);
  EXPECT_EQ(plan.unfilled(), 0);
  EXPECT_EQ(plan.before().total_surplus(), 3);
  EXPECT_EQ(plan.before().total_deficit(), 3);
  EXPECT_EQ(plan.after().total_surplus(), 0);
  EXPECT_EQ(plan.after().total_deficit(), 0);

  const std::vector<tpb::Move> moves = ListMoves(plan.id());
  ASSERT_EQ(moves.size(), 3u);
  EXPECT_EQ(NipsOf(moves), (std::set<std::string>{NurseNip(0), NurseNip(1), NurseNip(2)}));
  for (const auto& m : moves) {
    EXPECT_EQ(m.from_unit_id(), 1) << m.nip();
    EXPECT_EQ(m.to_unit_id(), 2) << m.nip();
    EXPECT_EQ(m.to_position_code(), "JF-PK") << m.nip();
  }

  // --- explain: the first nurse's move, as the nurse herself would read it.
  const tpb::Move& objected = *std::find_if(
      moves.begin(), moves.end(), [](const tpb::Move& m) { return m.nip() == NurseNip(0); });
  const std::string nurse0 = Token(auth::Role::kEmployee, kNurseAgency, NurseNip(0));
  tpb::ExplainMoveRequest ereq;
  ereq.set_plan_id(plan.id());
  ereq.set_move_id(objected.id());
  tpb::ExplainMoveResponse ex;
  grpc::Status s = tstub_->ExplainMove(Ctx(nurse0).get(), ereq, &ex);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The deficit filled: B had 1 of 4 (EJ 4), has 4 of 4 after the plan.
  EXPECT_EQ(ex.target().unit_id(), 2);
  EXPECT_EQ(ex.target().staff_before(), 1);
  EXPECT_EQ(ex.target().staff_after(), 4);
  EXPECT_EQ(ex.target().need(), 4);
  EXPECT_EQ(ex.target().gap_before(), -3);
  EXPECT_EQ(ex.target().gap_after(), 0);
  EXPECT_DOUBLE_EQ(ex.target().ej_before(), 4.0);
  EXPECT_DOUBLE_EQ(ex.target().ej_after(), 1.0);
  // The surplus relieved: A had 6 of 3 (EJ 0.5), has 3 of 3 after.
  EXPECT_EQ(ex.source().unit_id(), 1);
  EXPECT_EQ(ex.source().staff_before(), 6);
  EXPECT_EQ(ex.source().staff_after(), 3);
  EXPECT_EQ(ex.source().gap_before(), 3);
  EXPECT_EQ(ex.source().gap_after(), 0);
  EXPECT_DOUBLE_EQ(ex.source().ej_before(), 0.5);
  // Cost parts: the base per move, no distance (units without location), and the
  // rotation bonus (84 months in post by the effective date, past 60).
  EXPECT_DOUBLE_EQ(ex.move().cost().base(), 100);
  EXPECT_DOUBLE_EQ(ex.move().cost().distance(), 0);
  EXPECT_DOUBLE_EQ(ex.move().cost().preference(), 0);
  EXPECT_DOUBLE_EQ(ex.move().cost().rotation(), -30);
  EXPECT_DOUBLE_EQ(ex.move().cost().total(), 70);
  EXPECT_FALSE(ex.has_best_alternative()) << "B is the only other place for a nurse";
  EXPECT_EQ(ex.sentence(),
            absl::StrCat("Sdr. Perawat 1 dipindahkan dari ", kUnitA, " ke ", kUnitB,
                         " untuk mengisi kekurangan 3 orang (EJ 4); unit asal kelebihan 3 orang. "
                         "Tidak ada alternatif lain yang memenuhi syarat."));
  // A nurse sees only her own move.
  ereq.set_move_id(std::find_if(moves.begin(), moves.end(), [](const tpb::Move& m) {
                     return m.nip() == NurseNip(1);
                   })->id());
  s = tstub_->ExplainMove(Ctx(nurse0).get(), ereq, &ex);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message(), "an employee may see only their own moves");

  // --- object: nurse 1 objects to her move once the plan is submitted; the approver accepts.
  const tpb::PlanSummary submitted = Submit(plan);
  ASSERT_EQ(submitted.state(), tpb::PLAN_STATE_SUBMITTED);
  tpb::FileObjectionRequest freq;
  freq.set_plan_id(plan.id());
  freq.set_move_id(objected.id());
  freq.set_reason("Merawat orang tua yang sakit di dekat Puskesmas A.");
  tpb::FileObjectionResponse filed;
  s = tstub_->FileObjection(Ctx(nurse0).get(), freq, &filed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(filed.objection().state(), tpb::OBJECTION_STATE_OPEN);
  EXPECT_EQ(filed.objection().nip(), NurseNip(0));
  EXPECT_EQ(filed.objection().filed_by(), NurseNip(0));
  tpb::ResolveObjectionRequest rreq;
  rreq.set_objection_id(filed.objection().id());
  rreq.set_accept(true);
  rreq.set_note("Diterima.");
  tpb::ResolveObjectionResponse resolved;
  s = tstub_->ResolveObjection(Ctx(approver_).get(), rreq, &resolved);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resolved.objection().state(), tpb::OBJECTION_STATE_ACCEPTED);

  // --- revise: nurse 1 stays; the other two moves are kept and the next nurse
  // by NIP fills B's last place.
  tpb::RevisePlanRequest vreq;
  vreq.set_plan_id(plan.id());
  auto vctx = Ctx(operator_);
  auto vreader = tstub_->RevisePlan(vctx.get(), vreq);
  tpb::PlanSummary revised;
  s = Drain(vreader, &revised, &progress, &tpb::RevisePlanResponse::has_plan,
            &tpb::RevisePlanResponse::plan);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(revised.revision(), 2);
  EXPECT_EQ(revised.parent_plan_id(), plan.id());
  EXPECT_EQ(revised.state(), tpb::PLAN_STATE_DRAFT);
  EXPECT_EQ(revised.moves(), 3);
  EXPECT_EQ(revised.unfilled(), 0);
  const std::vector<tpb::Move> revised_moves = ListMoves(revised.id());
  EXPECT_EQ(NipsOf(revised_moves), (std::set<std::string>{NurseNip(1), NurseNip(2), NurseNip(3)}));
  for (const auto& m : revised_moves) EXPECT_EQ(m.to_unit_id(), 2) << m.nip();
  tpb::ComparePlansRequest creq;
  creq.set_base_plan_id(plan.id());
  creq.set_other_plan_id(revised.id());
  tpb::ComparePlansResponse cmp;
  s = tstub_->ComparePlans(Ctx(operator_).get(), creq, &cmp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(cmp.unchanged(), 2);
  ASSERT_EQ(cmp.removed_size(), 1);
  EXPECT_EQ(cmp.removed(0).nip(), NurseNip(0));
  ASSERT_EQ(cmp.added_size(), 1);
  EXPECT_EQ(cmp.added(0).nip(), NurseNip(3));
  tpb::GetPlanRequest gpreq;
  gpreq.set_plan_id(plan.id());
  tpb::GetPlanResponse parent;
  ASSERT_TRUE(tstub_->GetPlan(Ctx(operator_).get(), gpreq, &parent).ok());
  EXPECT_EQ(parent.plan().state(), tpb::PLAN_STATE_CANCELLED) << "a revised plan is superseded";

  // --- approve and execute the revision.
  const tpb::PlanSummary submitted2 = Submit(revised);
  ASSERT_EQ(submitted2.state(), tpb::PLAN_STATE_SUBMITTED);
  tpb::PlanSummary approved;
  s = Approve(submitted2, &approved);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(approved.state(), tpb::PLAN_STATE_APPROVED);
  tpb::ExecutePlanRequest xreq;
  xreq.set_plan_id(revised.id());
  tpb::ExecutePlanResponse started;
  s = tstub_->ExecutePlan(Ctx(operator_).get(), xreq, &started);
  ASSERT_TRUE(s.ok()) << s.error_message();
  tpb::GetExecutionResponse exec;
  for (int i = 0; i < 300 && exec.execution().plan_state() != tpb::PLAN_STATE_EXECUTED; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    tpb::GetExecutionRequest g;
    g.set_plan_id(revised.id());
    exec.Clear();
    (void)tstub_->GetExecution(Ctx(operator_).get(), g, &exec);
  }
  ASSERT_EQ(exec.execution().plan_state(), tpb::PLAN_STATE_EXECUTED) << exec.ShortDebugString();
  EXPECT_EQ(exec.execution().total(), 3);
  EXPECT_EQ(exec.execution().applied(), 3);
  EXPECT_EQ(exec.execution().stale(), 0);
  EXPECT_EQ(exec.execution().failed(), 0);
  EXPECT_EQ(exec.execution().pending(), 0);

  // --- personnel afterwards: placements, history with plan and decree, staffing.
  for (const auto& m : revised_moves) {
    const ppb::Employee e = GetEmployee(m.nip());
    EXPECT_EQ(e.unit_id(), 2) << m.nip();
    EXPECT_EQ(e.position_code(), "JF-PK") << m.nip();
    EXPECT_EQ(e.in_post_since().ShortDebugString(), D(2027, 1, 1).ShortDebugString()) << m.nip();
    const std::vector<ppb::Placement> history = TransferHistory(m.nip());
    ASSERT_EQ(history.size(), 1u) << m.nip();
    EXPECT_EQ(history[0].plan_id(), revised.id());
    EXPECT_EQ(history[0].move_id(), m.id());
    EXPECT_EQ(history[0].decree_number(), absl::StrCat("SK/", revised.id(), "/", m.id()));
    EXPECT_EQ(history[0].from_unit_id(), 1);
    EXPECT_EQ(history[0].to_unit_id(), 2);
    EXPECT_EQ(history[0].effective_date().ShortDebugString(), D(2027, 1, 1).ShortDebugString());
  }
  for (int i : {0, 4, 5}) {
    EXPECT_EQ(GetEmployee(NurseNip(i)).unit_id(), 1) << "nurse " << i + 1 << " stays";
    EXPECT_TRUE(TransferHistory(NurseNip(i)).empty()) << "nurse " << i + 1;
  }
  ppb::GetStaffingRequest sreq;
  sreq.set_agency_code(kNurseAgency);
  *sreq.mutable_as_of() = D(2027, 1, 1);
  ppb::GetStaffingResponse staffing;
  s = pstub_->GetStaffing(Ctx(admin_).get(), sreq, &staffing);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(staffing.rows_size(), 2);
  EXPECT_EQ(staffing.rows(0).unit_id(), 1);
  EXPECT_EQ(staffing.rows(0).pns(), 3);
  EXPECT_EQ(staffing.rows(1).unit_id(), 2);
  EXPECT_EQ(staffing.rows(1).pns(), 4);
  EXPECT_EQ(staffing.employees_counted(), 7);
}

TEST_P(AllServicesTest, ApprovalIsRefusedWithReplanWhenPersonnelChangedSincePlanning) {
  int progress = 0;
  const tpb::PlanSummary first = CreatePlan(run_id_, &progress);
  const tpb::PlanSummary second = CreatePlan(run_id_, &progress);
  ASSERT_EQ(first.moves(), 3);
  ASSERT_EQ(second.moves(), 3);
  tpb::PlanSummary approved;
  grpc::Status s = Approve(Submit(first), &approved);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const tpb::PlanSummary second_submitted = Submit(second);

  // A data correction in personnel moves nurse 7 from B to A.
  ppb::UpdateEmployeeRequest ureq;
  *ureq.mutable_employee() = GetEmployee(NurseNip(6));
  ASSERT_EQ(ureq.employee().unit_id(), 2);
  ureq.mutable_employee()->set_unit_id(1);
  ureq.set_placement_reason(ppb::PLACEMENT_REASON_CORRECTION);
  ppb::UpdateEmployeeResponse updated;
  s = pstub_->UpdateEmployee(Ctx(admin_).get(), ureq, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(updated.employee().unit_id(), 1);

  s = Approve(second_submitted, &approved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("predates staffing changes of agency"));
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("run the analysis again: seimbangctl "
                                                      "analysis run --agency "));

  // Re-planning from a fresh analysis is the way out: that plan is approvable.
  const std::string fresh_run = RunAnalysis();
  const tpb::PlanSummary replanned = CreatePlan(fresh_run, &progress);
  EXPECT_EQ(replanned.moves(), 3) << "A now holds seven nurses for three places";
  s = Approve(Submit(replanned), &approved);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(approved.state(), tpb::PLAN_STATE_APPROVED);
}

INSTANTIATE_TEST_SUITE_P(Engines, AllServicesTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace seimbang::suite
