// transfer-service, the real binary on both engines, against in-process fakes
// of personnel and workload-analysis: plan, explain, object, revise, approve,
// execute, and an execution killed with SIGKILL that finishes exactly once.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/verifier.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "tests/harness/calls.h"
#include "tests/harness/fake_upstreams.h"
#include "tests/harness/service_process.h"
#include "tests/harness/services.h"
#include "tests/support/nurse_rows.h"
#include "tests/support/test_db.h"

namespace seimbang::transfer {
namespace {

namespace v1 = ::seimbang::transfer::v1;
namespace ppb = ::seimbang::personnel::v1;
namespace wpb = ::seimbang::workload::v1;
using ::seimbang::testing::FakeUpstreams;
using ::seimbang::testing::FakeWorld;
using ::seimbang::testing::ServiceProcess;
using ::seimbang::testing::ServiceProcessOptions;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAgency[] = "73.71";
constexpr char kSecret[] = "transfer-test-secret-0123456789abcdef";

std::string Nip(int i) { return absl::StrFormat("1990010120150110%02d", i % 100); }
std::string BigNip(int i) { return absl::StrFormat("198001012005%06d", i); }

// Puskesmas A: 6 nurses for a need of 3; Puskesmas B: 1 for a need of 3; C: balanced.
FakeWorld SmallWorld() {
  FakeWorld w;
  w.rows = {testsupport::NurseRow(1, 6, 3), testsupport::NurseRow(2, 1, 3),
            testsupport::NurseRow(3, 1, 1)};
  for (int id = 1; id <= 3; ++id) {
    ppb::Unit u;
    u.set_id(id);
    u.set_agency_code(kAgency);
    u.set_name(absl::StrCat("Puskesmas ", std::string(1, static_cast<char>('A' + id - 1))));
    u.set_active(true);  // inactive units are never targets
    w.units.push_back(u);
  }
  ppb::Position p;
  p.set_code("JF-PK");
  p.set_name("Perawat Ahli Pertama");
  p.set_job_family("health");
  w.positions.push_back(p);
  for (int i = 0; i < 6; ++i) w.employees.push_back(testsupport::NurseStaffing(Nip(i), 1, kAgency));
  w.employees.push_back(testsupport::NurseStaffing(Nip(6), 2, kAgency));
  w.employees.push_back(testsupport::NurseStaffing(Nip(7), 3, kAgency));
  return w;
}

// 1000 nurses where 500 are needed, and an empty unit needing 300: over 200 moves, two batches.
FakeWorld BigWorld() {
  FakeWorld w = SmallWorld();
  w.rows = {testsupport::NurseRow(1, 1000, 500), testsupport::NurseRow(2, 0, 300)};
  w.employees.clear();
  for (int i = 0; i < 1000; ++i)
    w.employees.push_back(testsupport::NurseStaffing(BigNip(i), 1, kAgency));
  return w;
}

class TransferServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto dsn = testsupport::FreshDsn(GetParam(), "transfer_svc");
    ASSERT_TRUE(dsn.ok()) << dsn.status();
    dsn_ = *dsn;
    service_token_ = Token(auth::Role::kService, "", "");
    services_ = std::make_unique<testing::TestServices>("transfer-test", kSecret, service_token_);
  }

  std::string Token(auth::Role role, const std::string& agency, const std::string& nip) {
    return testing::MintTestToken(
        kSecret, role, agency, nip,
        absl::StrCat(std::string(auth::RoleName(role)), "-", nip.empty() ? agency : nip));
  }

  void StartFakes(FakeWorld world) { fakes_ = std::make_unique<FakeUpstreams>(std::move(world)); }

  void StartTransfer(const std::vector<std::string>& extra = {}) {
    const absl::Status st =
        services_->StartTransfer(dsn_, extra, {fakes_->address(), fakes_->address()});
    ASSERT_TRUE(st.ok()) << st;
    process_ = services_->transfer();
    stub_ = services_->transfer_stub();
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
    return testing::CallContext(token);
  }

  std::string Operator() { return Token(auth::Role::kOperator, kAgency, ""); }
  std::string Approver() { return Token(auth::Role::kApprover, kAgency, ""); }

  std::string CreatePolicy(double leave_fraction) {
    v1::CreatePolicyRequest req;
    req.mutable_policy()->set_agency_code(kAgency);
    req.mutable_policy()->set_name("Kebijakan uji");
    req.mutable_policy()->mutable_rules()->set_max_leave_fraction(leave_fraction);
    v1::CreatePolicyResponse resp;
    grpc::Status s = stub_->CreatePolicy(Ctx(Operator()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.policy().id();
  }

  // Returns the final summary; `progress` counts the progress events before it.
  grpc::Status CreatePlan(const std::string& policy_id, const std::string& request_id,
                          v1::PlanSummary* plan, int* progress = nullptr) {
    v1::CreatePlanRequest req;
    req.set_agency_code(kAgency);
    req.set_analysis_run_id("run-1");
    req.set_policy_id(policy_id);
    req.mutable_effective_date()->set_year(2026);
    req.mutable_effective_date()->set_month(3);
    req.mutable_effective_date()->set_day(1);
    req.set_request_id(request_id);
    auto ctx = Ctx(Operator());
    auto reader = stub_->CreatePlan(ctx.get(), req);
    v1::CreatePlanResponse r;
    int events = 0;
    bool last_is_plan = false;
    while (reader->Read(&r)) {
      last_is_plan = r.has_plan();
      if (r.has_plan()) *plan = r.plan();
      if (r.has_progress()) ++events;
    }
    grpc::Status s = reader->Finish();
    if (s.ok()) {
      EXPECT_TRUE(last_is_plan);
    }
    if (progress) *progress = events;
    return s;
  }

  // "submit", "approve" (with `note`), "reject" or "cancel" (with `note` as the reason).
  v1::PlanSummary Transition(const std::string& rpc, const v1::PlanSummary& plan,
                             const std::string& token, grpc::Status* status,
                             const std::string& note = "") {
    if (rpc == "submit") {
      return Decide(&v1::TransferPlanningService::Stub::SubmitPlan, v1::SubmitPlanRequest(), plan,
                    token, status);
    }
    if (rpc == "reject") {
      v1::RejectPlanRequest req;
      req.set_reason(note);
      return Decide(&v1::TransferPlanningService::Stub::RejectPlan, req, plan, token, status);
    }
    if (rpc == "cancel") {
      v1::CancelPlanRequest req;
      req.set_reason(note);
      return Decide(&v1::TransferPlanningService::Stub::CancelPlan, req, plan, token, status);
    }
    v1::ApprovePlanRequest req;
    req.set_note(note);
    return Decide(&v1::TransferPlanningService::Stub::ApprovePlan, req, plan, token, status);
  }

  // `req` of `decide` for `plan` at its etag, sent as `token`: the plan it leaves, and the
  // call's status in *status.
  template <typename Req, typename Resp>
  v1::PlanSummary Decide(grpc::Status (v1::TransferPlanningService::Stub::*decide)(
                             grpc::ClientContext*, const Req&, Resp*),
                         Req req, const v1::PlanSummary& plan, const std::string& token,
                         grpc::Status* status) {
    req.set_plan_id(plan.id());
    req.set_etag(plan.etag());
    Resp resp;
    *status = ((*stub_).*decide)(Ctx(token).get(), req, &resp);
    return resp.plan();
  }

  // GetPlan of `plan_id` as the operator: the call's status, its response in *got.
  grpc::Status FetchPlan(const std::string& plan_id, v1::GetPlanResponse* got) {
    v1::GetPlanRequest req;
    req.set_plan_id(plan_id);
    return stub_->GetPlan(Ctx(Operator()).get(), req, got);
  }

  std::vector<v1::Move> Moves(const std::string& plan_id) {
    v1::ListMovesRequest req;
    req.set_plan_id(plan_id);
    req.mutable_page()->set_page_size(1000);
    v1::ListMovesResponse resp;
    EXPECT_TRUE(stub_->ListMoves(Ctx(Operator()).get(), req, &resp).ok());
    return {resp.moves().begin(), resp.moves().end()};
  }

  v1::GetExecutionResponse WaitExecution(const std::string& plan_id,
                                         const std::function<bool(const v1::Execution&)>& done) {
    v1::GetExecutionResponse resp;
    for (int i = 0; i < 600; ++i) {
      v1::GetExecutionRequest req;
      req.set_plan_id(plan_id);
      resp.Clear();
      grpc::Status s = stub_->GetExecution(Ctx(Operator()).get(), req, &resp);
      if (s.ok() && done(resp.execution())) return resp;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "execution of " << plan_id
                  << " never got there: " << resp.execution().ShortDebugString();
    return resp;
  }

  std::string dsn_;
  std::string service_token_;
  std::unique_ptr<FakeUpstreams> fakes_;
  std::unique_ptr<testing::TestServices> services_;  // stops transfer-service before the fakes
  ServiceProcess* process_ = nullptr;                // owned by services_
  v1::TransferPlanningService::Stub* stub_ = nullptr;
};

TEST_P(TransferServiceTest, PlanExplainObjectReviseApproveExecute) {
  StartFakes(SmallWorld());
  StartTransfer();
  const std::string policy = CreatePolicy(0.5);

  v1::PlanSummary plan;
  int progress = 0;
  ASSERT_TRUE(CreatePlan(policy, "", &plan, &progress).ok());
  EXPECT_GE(progress, 2);
  EXPECT_EQ(plan.state(), v1::PLAN_STATE_DRAFT);
  EXPECT_EQ(plan.moves(), 2);
  EXPECT_EQ(plan.revision(), 1);
  EXPECT_EQ(plan.staffing_digest(), "digest-1");
  EXPECT_EQ(plan.before().units_under(), 1);
  EXPECT_EQ(plan.after().units_under(), 0);

  auto moves = Moves(plan.id());
  ASSERT_EQ(moves.size(), 2u);
  EXPECT_EQ(moves[0].to_unit_name(), "Puskesmas B");

  // The employee concerned sees the explanation of their own move only.
  const std::string mover = moves[0].nip();
  const std::string mover_token = Token(auth::Role::kEmployee, kAgency, mover);
  v1::ExplainMoveRequest ex;
  ex.set_plan_id(plan.id());
  ex.set_move_id(moves[0].id());
  v1::ExplainMoveResponse explained;
  ASSERT_TRUE(stub_->ExplainMove(Ctx(mover_token).get(), ex, &explained).ok());
  EXPECT_THAT(explained.sentence(), HasSubstr("Puskesmas B"));
  EXPECT_EQ(explained.target().staff_after(), 3);
  ex.set_move_id(moves[1].id());
  EXPECT_EQ(stub_->ExplainMove(Ctx(mover_token).get(), ex, &explained).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Objections wait for submission.
  v1::FileObjectionRequest obj;
  obj.set_plan_id(plan.id());
  obj.set_move_id(moves[0].id());
  obj.set_reason("Saya merawat orang tua di dekat Puskesmas A.");
  v1::FileObjectionResponse filed;
  grpc::Status s = stub_->FileObjection(Ctx(mover_token).get(), obj, &filed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            absl::StrCat("plan ", plan.id(),
                         " is DRAFT; objections can be filed only on a SUBMITTED plan"));

  plan = Transition("submit", plan, Operator(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(plan.state(), v1::PLAN_STATE_SUBMITTED);
  ASSERT_TRUE(stub_->FileObjection(Ctx(mover_token).get(), obj, &filed).ok());
  EXPECT_EQ(filed.objection().state(), v1::OBJECTION_STATE_OPEN);

  v1::ResolveObjectionRequest res;
  res.set_objection_id(filed.objection().id());
  res.set_accept(true);
  v1::ResolveObjectionResponse resolved;
  EXPECT_EQ(stub_->ResolveObjection(Ctx(Operator()).get(), res, &resolved).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->ResolveObjection(Ctx(Approver()).get(), res, &resolved).ok());
  EXPECT_EQ(resolved.objection().state(), v1::OBJECTION_STATE_ACCEPTED);

  // The revision forbids the objected move, keeps the other and cancels the parent.
  v1::RevisePlanRequest rev;
  rev.set_plan_id(plan.id());
  auto ctx = Ctx(Operator());
  auto reader = stub_->RevisePlan(ctx.get(), rev);
  v1::RevisePlanResponse r;
  v1::PlanSummary revised;
  while (reader->Read(&r)) {
    if (r.has_plan()) revised = r.plan();
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(revised.revision(), 2);
  EXPECT_EQ(revised.parent_plan_id(), plan.id());
  auto revised_moves = Moves(revised.id());
  ASSERT_EQ(revised_moves.size(), 2u);
  std::set<std::string> movers;
  for (const auto& m : revised_moves) movers.insert(m.nip());
  EXPECT_EQ(movers.count(mover), 0u);
  EXPECT_EQ(movers.count(moves[1].nip()), 1u);
  v1::GetPlanResponse parent;
  ASSERT_TRUE(FetchPlan(plan.id(), &parent).ok());
  EXPECT_EQ(parent.plan().state(), v1::PLAN_STATE_CANCELLED);

  v1::ComparePlansRequest cmp;
  cmp.set_base_plan_id(plan.id());
  cmp.set_other_plan_id(revised.id());
  v1::ComparePlansResponse compared;
  ASSERT_TRUE(stub_->ComparePlans(Ctx(Operator()).get(), cmp, &compared).ok());
  EXPECT_EQ(compared.unchanged(), 1);
  EXPECT_EQ(compared.added_size(), 1);
  EXPECT_EQ(compared.removed_size(), 1);

  // Approval: approver only, and only while staffing is unchanged (and once the revision's own
  // objection window has closed: TheReviewWindowAndObjectionsHoldApprovalBack).
  revised = Transition("submit", revised, Operator(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(testsupport::AgePlanSubmission(dsn_, revised.id(), 30).ok());
  Transition("approve", revised, Operator(), &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  fakes_->personnel().SetDigest("digest-2");
  Transition("approve", revised, Approver(), &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            absl::StrCat("analysis run run-1 predates staffing changes of agency 73.71 "
                         "(personnel's staffing as of 2026-01-01 changed after the run); run the "
                         "analysis again: seimbangctl analysis run --agency 73.71 --as-of "
                         "2026-01-01, then create a new plan from the new run and submit it (plan ",
                         revised.id(), " cannot be approved)"));
  fakes_->personnel().SetDigest("digest-1");
  v1::PlanSummary approved = Transition("approve", revised, Approver(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(approved.state(), v1::PLAN_STATE_APPROVED);
  Transition("approve", approved, Approver(), &s);
  EXPECT_EQ(s.error_message(), absl::StrCat("plan ", revised.id(),
                                            " is APPROVED; only a SUBMITTED plan can be approved"));

  v1::ExecutePlanRequest exec;
  exec.set_plan_id(revised.id());
  v1::ExecutePlanResponse started;
  ASSERT_TRUE(stub_->ExecutePlan(Ctx(Operator()).get(), exec, &started).ok());
  auto done = WaitExecution(revised.id(), [](const v1::Execution& e) {
    return e.plan_state() == v1::PLAN_STATE_EXECUTED;
  });
  EXPECT_EQ(done.execution().applied(), 2);
  EXPECT_EQ(done.execution().pending(), 0);
  EXPECT_EQ(fakes_->personnel().Applied(revised.id()), 2u);
  EXPECT_EQ(fakes_->personnel().PlacementOf(revised_moves[0].nip()).first, 2);
  // Personnel was called with the service token, not the operator's.
  EXPECT_EQ(fakes_->personnel().Tokens(), std::set<std::string>{"Bearer " + service_token_});

  v1::ExportPlanRequest exp;
  exp.set_plan_id(revised.id());
  exp.set_format(v1::EXPORT_FORMAT_CSV);
  auto ectx = Ctx(Operator());
  auto ereader = stub_->ExportPlan(ectx.get(), exp);
  std::vector<std::string> lines;
  v1::ExportPlanResponse line;
  while (ereader->Read(&line)) lines.push_back(line.text());
  ASSERT_TRUE(ereader->Finish().ok());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "move_id,nip,name,family,from_unit,from_position,to_unit,to_position,cost,summary\n");

  v1::ListAuditEventsRequest audit;
  audit.set_method("/seimbang.transfer.v1.TransferPlanningService/ApprovePlan");
  v1::ListAuditEventsResponse events;
  ASSERT_TRUE(
      stub_->ListAuditEvents(Ctx(Token(auth::Role::kAdmin, "", "")).get(), audit, &events).ok());
  ASSERT_EQ(events.events_size(), 1);
  EXPECT_EQ(events.events(0).resource(), revised.id());
}

// Issue 18 item 1: objections suspend what they contest. ApprovePlan is refused while the review
// window is open, while an objection is OPEN and while an ACCEPTED objection's move is still in
// the plan; once the window has closed and the objections are answered, approval goes through.
TEST_P(TransferServiceTest, TheReviewWindowAndObjectionsHoldApprovalBack) {
  StartFakes(SmallWorld());
  StartTransfer();
  const std::string policy = CreatePolicy(0.5);  // the default window: 10 working days
  v1::PlanSummary plan;
  ASSERT_TRUE(CreatePlan(policy, "", &plan).ok());
  grpc::Status s;
  plan = Transition("submit", plan, Operator(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // Day 0: nobody has objected, but everyone concerned still may.
  Transition("approve", plan, Approver(), &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(),
              HasSubstr(absl::StrCat("plan ", plan.id(),
                                     " cannot be approved yet: its objection window is open "
                                     "until ")));
  EXPECT_THAT(s.error_message(), HasSubstr("24:00 WITA"));

  auto moves = Moves(plan.id());
  ASSERT_EQ(moves.size(), 2u);
  std::vector<std::string> objections;
  for (const auto& m : moves) {
    v1::FileObjectionRequest obj;
    obj.set_plan_id(plan.id());
    obj.set_move_id(m.id());
    obj.set_reason("Keberatan atas mutasi ini.");
    v1::FileObjectionResponse filed;
    ASSERT_TRUE(
        stub_->FileObjection(Ctx(Token(auth::Role::kEmployee, kAgency, m.nip())).get(), obj, &filed)
            .ok());
    objections.push_back(filed.objection().id());
  }

  // Eleven working days later (30 calendar days) the window has closed: no new objection...
  ASSERT_TRUE(testsupport::AgePlanSubmission(dsn_, plan.id(), 30).ok());
  v1::FileObjectionRequest late;
  late.set_plan_id(plan.id());
  late.set_move_id(moves[0].id());
  late.set_reason("Terlambat.");
  v1::FileObjectionResponse refused;
  s = stub_->FileObjection(Ctx(Operator()).get(), late, &refused);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(),
              HasSubstr("the objection window of plan " + plan.id() + " closed at "));

  // ...but the two open objections still hold the plan back, and are named.
  Transition("approve", plan, Approver(), &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            absl::StrCat("plan ", plan.id(), " cannot be approved: 2 objection(s) still open (",
                         objections[0] < objections[1] ? objections[0] : objections[1], ", ",
                         objections[0] < objections[1] ? objections[1] : objections[0],
                         "); resolve them with ResolveObjection first"));

  auto resolve = [&](const std::string& id, bool accept) {
    v1::ResolveObjectionRequest res;
    res.set_objection_id(id);
    res.set_accept(accept);
    v1::ResolveObjectionResponse resolved;
    ASSERT_TRUE(stub_->ResolveObjection(Ctx(Approver()).get(), res, &resolved).ok());
  };
  resolve(objections[0], /*accept=*/false);
  Transition("approve", plan, Approver(), &s);
  EXPECT_THAT(s.error_message(), HasSubstr("1 objection(s) still open (" + objections[1] + ")"));

  // An accepted objection: its move must leave the plan, so only a revision can be approved.
  resolve(objections[1], /*accept=*/true);
  Transition("approve", plan, Approver(), &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("objection(s) " + objections[1] +
                                           " were accepted, so their moves must go; revise"));
  v1::GetPlanResponse still;
  ASSERT_TRUE(FetchPlan(plan.id(), &still).ok());
  EXPECT_EQ(still.plan().state(), v1::PLAN_STATE_SUBMITTED);  // nothing changed

  // The release: a plan whose window closed and whose only objection was rejected is approved.
  v1::PlanSummary other;
  ASSERT_TRUE(CreatePlan(policy, "", &other).ok());
  other = Transition("submit", other, Operator(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto other_moves = Moves(other.id());
  ASSERT_FALSE(other_moves.empty());
  v1::FileObjectionRequest obj;
  obj.set_plan_id(other.id());
  obj.set_move_id(other_moves[0].id());
  obj.set_reason("Keberatan.");
  v1::FileObjectionResponse filed;
  ASSERT_TRUE(stub_->FileObjection(Ctx(Operator()).get(), obj, &filed).ok());
  ASSERT_TRUE(testsupport::AgePlanSubmission(dsn_, other.id(), 30).ok());
  resolve(filed.objection().id(), /*accept=*/false);
  v1::PlanSummary approved = Transition("approve", other, Approver(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(approved.state(), v1::PLAN_STATE_APPROVED);
}

// Issue 18 item 4: planning from an analysis run made before staffing changed is refused with
// what happened and the command that fixes it (it used to be an INVALID_ARGUMENT about
// destinations[0].staff_before), and nothing is stored.
TEST_P(TransferServiceTest, PlanningFromARunOlderThanTheStaffingSaysToRunTheAnalysisAgain) {
  StartFakes(SmallWorld());
  StartTransfer();
  const std::string policy = CreatePolicy(0.5);
  fakes_->personnel().SetDigest("digest-2");  // someone moved after the run
  v1::PlanSummary plan;
  grpc::Status s = CreatePlan(policy, "", &plan);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "analysis run run-1 predates staffing changes of agency 73.71 (personnel's staffing "
            "as of 2026-01-01 changed after the run); run the analysis again: seimbangctl "
            "analysis run --agency 73.71 --as-of 2026-01-01, then plan from the new run");
  v1::ListPlansRequest list;
  v1::ListPlansResponse listed;
  ASSERT_TRUE(stub_->ListPlans(Ctx(Operator()).get(), list, &listed).ok());
  EXPECT_EQ(listed.plans_size(), 0);
  fakes_->personnel().SetDigest("digest-1");
  ASSERT_TRUE(CreatePlan(policy, "", &plan).ok());
}

// Issue 18 item 5: an employee finds what concerns them without ids from elsewhere: their moves
// across plans (plan state, objection window) and the objections about them; nobody else's, and
// the NIP comes only from the token.
TEST_P(TransferServiceTest, AnEmployeeFindsTheirOwnMovesAndObjectionsAndNobodyElses) {
  StartFakes(SmallWorld());
  StartTransfer();
  const std::string policy = CreatePolicy(0.5);
  v1::PlanSummary draft, submitted;
  ASSERT_TRUE(CreatePlan(policy, "", &draft).ok());
  ASSERT_TRUE(CreatePlan(policy, "", &submitted).ok());
  grpc::Status s;
  submitted = Transition("submit", submitted, Operator(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const auto moves = Moves(submitted.id());
  ASSERT_EQ(moves.size(), 2u);
  const std::string mover = moves[0].nip();
  const std::string token = Token(auth::Role::kEmployee, kAgency, mover);
  v1::FileObjectionRequest obj;
  obj.set_plan_id(submitted.id());
  obj.set_move_id(moves[0].id());
  obj.set_reason("Keberatan.");
  v1::FileObjectionResponse filed;
  ASSERT_TRUE(stub_->FileObjection(Ctx(token).get(), obj, &filed).ok());

  v1::ListMyMovesResponse mine;
  ASSERT_TRUE(stub_->ListMyMoves(Ctx(token).get(), v1::ListMyMovesRequest(), &mine).ok());
  std::map<std::string, v1::MyMove> by_plan;
  for (const auto& m : mine.moves()) {
    EXPECT_EQ(m.move().nip(), mover);
    by_plan[m.move().plan_id()] = m;
  }
  ASSERT_EQ(by_plan.count(submitted.id()), 1u);
  const v1::MyMove& in_review = by_plan.at(submitted.id());
  EXPECT_EQ(in_review.plan_state(), v1::PLAN_STATE_SUBMITTED);
  EXPECT_GT(in_review.objection_window_close_ms(), absl::ToUnixMillis(absl::Now()));
  EXPECT_EQ(in_review.effective_date().year(), 2026);
  EXPECT_EQ(by_plan.count(draft.id()), 0u);  // a draft is nobody's business yet
  ASSERT_EQ(mine.objections_size(), 1);
  EXPECT_EQ(mine.objections(0).id(), filed.objection().id());
  EXPECT_EQ(mine.objections(0).state(), v1::OBJECTION_STATE_OPEN);

  // Someone who does not move sees nothing; other roles are refused.
  v1::ListMyMovesResponse none;
  ASSERT_TRUE(stub_
                  ->ListMyMoves(Ctx(Token(auth::Role::kEmployee, kAgency, Nip(7))).get(),
                                v1::ListMyMovesRequest(), &none)
                  .ok());
  for (const auto& m : none.moves()) EXPECT_EQ(m.move().nip(), Nip(7));
  EXPECT_EQ(none.objections_size(), 0);
  EXPECT_EQ(stub_->ListMyMoves(Ctx(Operator()).get(), v1::ListMyMovesRequest(), &none).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_P(TransferServiceTest, DownstreamOutageIsUnavailableAndStoresNothingThenRetryWorks) {
  StartFakes(SmallWorld());
  StartTransfer();
  const std::string policy = CreatePolicy(0.5);
  fakes_->personnel().down = true;
  v1::PlanSummary plan;
  grpc::Status s = CreatePlan(policy, "req-outage", &plan);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(s.error_message(), HasSubstr("unavailable at " + fakes_->address()));
  v1::ListPlansRequest list;
  v1::ListPlansResponse listed;
  ASSERT_TRUE(stub_->ListPlans(Ctx(Operator()).get(), list, &listed).ok());
  EXPECT_EQ(listed.plans_size(), 0);
  fakes_->personnel().down = false;
  ASSERT_TRUE(CreatePlan(policy, "req-outage", &plan).ok());
  EXPECT_EQ(plan.moves(), 2);
}

TEST_P(TransferServiceTest, TwoCreatePlansAtOnceBothWorkAndASharedRequestIdGivesOnePlan) {
  StartFakes(SmallWorld());
  StartTransfer();
  const std::string policy = CreatePolicy(0.5);
  v1::PlanSummary a, b, c, d;
  grpc::Status sa, sb, sc, sd;
  std::thread ta([&] { sa = CreatePlan(policy, "same", &a); });
  std::thread tb([&] { sb = CreatePlan(policy, "same", &b); });
  std::thread tc([&] { sc = CreatePlan(policy, "", &c); });
  std::thread td([&] { sd = CreatePlan(policy, "", &d); });
  ta.join(), tb.join(), tc.join(), td.join();
  ASSERT_TRUE(sa.ok()) << sa.error_message();
  ASSERT_TRUE(sb.ok()) << sb.error_message();
  ASSERT_TRUE(sc.ok()) << sc.error_message();
  ASSERT_TRUE(sd.ok()) << sd.error_message();
  EXPECT_EQ(a.id(), b.id());
  EXPECT_NE(c.id(), d.id());
  v1::ListPlansRequest list;
  v1::ListPlansResponse listed;
  ASSERT_TRUE(stub_->ListPlans(Ctx(Operator()).get(), list, &listed).ok());
  EXPECT_EQ(listed.plans_size(), 3);
}

TEST_P(TransferServiceTest, KilledMidExecutionFinishesExactlyOnceAfterRestart) {
  StartFakes(BigWorld());
  StartTransfer({"--test-pause-after-batch=1"});
  const std::string policy = CreatePolicy(0.5);
  v1::PlanSummary plan;
  ASSERT_TRUE(CreatePlan(policy, "", &plan).ok());
  // Over-need penalties at the source make moving past the target's need worth it too.
  const int total = plan.moves();
  ASSERT_GT(total, 200);
  grpc::Status s;
  plan = Transition("submit", plan, Operator(), &s);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(testsupport::AgePlanSubmission(dsn_, plan.id(), 30).ok());  // window closed
  plan = Transition("approve", plan, Approver(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::ExecutePlanRequest exec;
  exec.set_plan_id(plan.id());
  v1::ExecutePlanResponse started;
  ASSERT_TRUE(stub_->ExecutePlan(Ctx(Operator()).get(), exec, &started).ok());
  auto half =
      WaitExecution(plan.id(), [](const v1::Execution& e) { return e.batches_done() >= 1; });
  EXPECT_EQ(half.execution().applied(), 200);
  EXPECT_EQ(half.execution().pending(), total - 200);
  EXPECT_EQ(half.execution().plan_state(), v1::PLAN_STATE_EXECUTING);

  process_->Kill();
  StartTransfer();  // no pause: the restart resumes the EXECUTING plan by itself
  auto done = WaitExecution(
      plan.id(), [](const v1::Execution& e) { return e.plan_state() == v1::PLAN_STATE_EXECUTED; });
  EXPECT_EQ(done.execution().applied(), total);
  EXPECT_EQ(done.execution().pending(), 0);
  EXPECT_EQ(fakes_->personnel().Applied(plan.id()), static_cast<size_t>(total));
  EXPECT_EQ(fakes_->personnel().FirstApplies(plan.id()), static_cast<size_t>(total));

  // A further ExecutePlan on an executed plan is refused, not re-run.
  EXPECT_EQ(stub_->ExecutePlan(Ctx(Operator()).get(), exec, &started).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_P(TransferServiceTest, BadPolicyIsRefusedFieldByField) {
  StartFakes(SmallWorld());
  StartTransfer();
  v1::CreatePolicyRequest req;
  req.mutable_policy()->set_agency_code(kAgency);
  req.mutable_policy()->set_name("x");
  req.mutable_policy()->mutable_rules()->set_max_leave_fraction(2);
  v1::CreatePolicyResponse resp;
  grpc::Status s = stub_->CreatePolicy(Ctx(Operator()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(),
              HasSubstr("policy.rules.max_leave_fraction: must be between 0 and 1"));
  // Another agency's operator may not plan for 73.71.
  req.mutable_policy()->mutable_rules()->set_max_leave_fraction(0.5);
  s = stub_->CreatePolicy(Ctx(Token(auth::Role::kOperator, "73.72", "")).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// Issue 19: the plan carries its audit trail (who submitted and approved it, and when) for the
// report's approval block and the decree's approval date; a revision starts without one.
TEST_P(TransferServiceTest, ThePlanNamesWhoSubmittedAndApprovedItAndWhen) {
  StartFakes(SmallWorld());
  StartTransfer();
  v1::PlanSummary plan;
  ASSERT_TRUE(CreatePlan(CreatePolicy(0.5), "", &plan).ok());
  EXPECT_EQ(plan.created_by(), "operator-73.71");
  EXPECT_EQ(plan.submitted_by(), "");
  EXPECT_EQ(plan.submit_time_ms(), 0);
  EXPECT_EQ(plan.approved_by(), "");
  EXPECT_EQ(plan.approve_time_ms(), 0);
  {
    v1::GetPlanResponse got;
    ASSERT_TRUE(FetchPlan(plan.id(), &got).ok());
    EXPECT_EQ(got.objection_window_close_ms(), 0);
  }
  grpc::Status s;
  const std::string submitter = Token(auth::Role::kOperator, kAgency, "198001012005011001");
  plan = Transition("submit", plan, submitter, &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(plan.submitted_by(), "operator-198001012005011001");
  EXPECT_GT(plan.submit_time_ms(), 0);
  EXPECT_EQ(plan.approved_by(), "");
  ASSERT_TRUE(testsupport::AgePlanSubmission(dsn_, plan.id(), 30).ok());
  v1::GetPlanResponse got;
  ASSERT_TRUE(FetchPlan(plan.id(), &got).ok());
  const int64_t submitted_at = got.plan().submit_time_ms();
  EXPECT_LT(submitted_at, plan.submit_time_ms());  // The column's time, aged 30 days.
  // Ten working days (the default) after the day of submission: at least 12 days later.
  EXPECT_GE(got.objection_window_close_ms(), submitted_at + 12 * 86400000LL);
  EXPECT_LE(got.objection_window_close_ms(), submitted_at + 20 * 86400000LL);
  plan = Transition("approve", got.plan(), Approver(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(plan.approved_by(), "approver-73.71");
  EXPECT_GE(plan.approve_time_ms(), submitted_at);
  // Stored: GetPlan and ListPlans show the same trail.
  ASSERT_TRUE(FetchPlan(plan.id(), &got).ok());
  EXPECT_EQ(got.plan().submitted_by(), "operator-198001012005011001");
  EXPECT_EQ(got.plan().submit_time_ms(), submitted_at);
  EXPECT_EQ(got.plan().approved_by(), "approver-73.71");
  EXPECT_EQ(got.plan().approve_time_ms(), plan.approve_time_ms());
  v1::ListPlansRequest list;
  list.set_agency_code(kAgency);
  v1::ListPlansResponse listed;
  ASSERT_TRUE(stub_->ListPlans(Ctx(Operator()).get(), list, &listed).ok());
  ASSERT_EQ(listed.plans_size(), 1);
  EXPECT_EQ(listed.plans(0).approved_by(), "approver-73.71");
}

// An approver defends the decision: the approval's note, a rejection's or a cancellation's
// reason is kept with the plan (PlanSummary.decision_note), shown by GetPlan; a note longer
// than 2000 characters is refused under the request's own name and changes nothing.
TEST_P(TransferServiceTest, TheApprovalNoteAndTheRejectionReasonAreKeptWithThePlan) {
  StartFakes(SmallWorld());
  StartTransfer();
  const std::string policy = CreatePolicy(0.5);
  v1::PlanSummary plan;
  ASSERT_TRUE(CreatePlan(policy, "", &plan).ok());
  grpc::Status s;
  plan = Transition("submit", plan, Operator(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(plan.decision_note(), "");
  ASSERT_TRUE(testsupport::AgePlanSubmission(dsn_, plan.id(), 30).ok());
  v1::GetPlanResponse got;
  ASSERT_TRUE(FetchPlan(plan.id(), &got).ok());

  Transition("approve", got.plan(), Approver(), &s, std::string(2001, 'x'));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("note: at most 2000 characters"));
  const std::string note = "Disetujui: beban kerja Dinas Kesehatan melebihi kebutuhan ABK.";
  v1::PlanSummary approved = Transition("approve", got.plan(), Approver(), &s, note);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(approved.state(), v1::PLAN_STATE_APPROVED);
  EXPECT_EQ(approved.decision_note(), note);
  ASSERT_TRUE(FetchPlan(plan.id(), &got).ok());
  EXPECT_EQ(got.plan().decision_note(), note);

  v1::PlanSummary second;
  ASSERT_TRUE(CreatePlan(policy, "", &second).ok());
  second = Transition("submit", second, Operator(), &s);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::string reason = "Ditolak: tunggu hasil ABK semester berikutnya.";
  v1::PlanSummary rejected = Transition("reject", second, Approver(), &s, reason);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(rejected.state(), v1::PLAN_STATE_REJECTED);
  ASSERT_TRUE(FetchPlan(second.id(), &got).ok());
  EXPECT_EQ(got.plan().decision_note(), reason);
}

// Issue 19: the policy names who signs the decrees (validated field by field), and GetPolicy
// with effective shows the defaults the planner used instead of zeros.
TEST_P(TransferServiceTest, ThePolicysSigningOfficialIsCheckedAndStoredAndDefaultsAreShown) {
  StartFakes(SmallWorld());
  StartTransfer();
  v1::CreatePolicyRequest req;
  req.mutable_policy()->set_agency_code(kAgency);
  req.mutable_policy()->set_name("Kebijakan uji");
  auto* o = req.mutable_policy()->mutable_signing_official();
  o->set_name(std::string(201, 'a'));
  o->set_nip("19800101");
  o->set_title(std::string(100, 'x'));
  o->set_rank(std::string(101, 'r'));
  v1::CreatePolicyResponse resp;
  grpc::Status s = stub_->CreatePolicy(Ctx(Operator()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("policy.signing_official.name: at most 200 characters"));
  EXPECT_THAT(s.error_message(),
              HasSubstr("policy.signing_official.nip: must be empty or have 18 digits"));
  EXPECT_THAT(s.error_message(), HasSubstr("policy.signing_official.rank: at most 100 characters"));
  EXPECT_THAT(s.error_message(), Not(HasSubstr("policy.signing_official.title")));
  // 200 characters of two bytes each are 200 characters, not 400.
  std::string name;
  for (int i = 0; i < 200; ++i) name += "\xc3\xa9";
  o->set_name(name);
  o->set_nip("196501011990031001");
  o->set_title("WALI KOTA MAKASSAR");
  o->set_rank("");
  ASSERT_TRUE(stub_->CreatePolicy(Ctx(Operator()).get(), req, &resp).ok());
  v1::GetPolicyRequest get;
  get.set_id(resp.policy().id());
  v1::GetPolicyResponse got;
  ASSERT_TRUE(stub_->GetPolicy(Ctx(Operator()).get(), get, &got).ok());
  EXPECT_EQ(got.policy().signing_official().name(), name);
  EXPECT_EQ(got.policy().signing_official().nip(), "196501011990031001");
  EXPECT_EQ(got.policy().signing_official().title(), "WALI KOTA MAKASSAR");
  EXPECT_EQ(got.policy().rules().min_months_in_post(), 0);
  EXPECT_EQ(got.policy().weights().under_need_penalty(), 0);
  get.set_effective(true);
  ASSERT_TRUE(stub_->GetPolicy(Ctx(Operator()).get(), get, &got).ok());
  EXPECT_EQ(got.policy().rules().min_months_in_post(), 24);
  EXPECT_EQ(got.policy().rules().max_leave_fraction(), 0.2);
  EXPECT_EQ(got.policy().rules().objection_window_days(), 10);
  EXPECT_EQ(got.policy().weights().under_need_penalty(), 400);
  EXPECT_EQ(got.policy().signing_official().title(), "WALI KOTA MAKASSAR");
}

// Each plan says where its time went (issue 22 item 1): one plan_created line with exactly these
// phases in this order, each a whole number of ms, the sequential ones within the total.
TEST_P(TransferServiceTest, APlanLogsItsPhasesInOneLine) {
  StartFakes(SmallWorld());
  StartTransfer();
  v1::PlanSummary plan;
  ASSERT_TRUE(CreatePlan(CreatePolicy(0.5), "", &plan).ok());
  std::ifstream log(process_->log_path());
  std::string line, created;
  int lines = 0;
  while (std::getline(log, line)) {
    if (line.find("\"event\":\"plan_created\"") == std::string::npos) continue;
    created = line;
    ++lines;
  }
  ASSERT_EQ(lines, 1) << "one plan, one line";
  EXPECT_THAT(created, HasSubstr(absl::StrCat("\"plan_id\":\"", plan.id(), "\"")));
  std::vector<std::string> phases;
  std::map<std::string, int64_t> ms;
  for (size_t at = created.find("_ms\":"); at != std::string::npos;
       at = created.find("_ms\":", at + 1)) {
    const size_t open = created.rfind('"', at);
    const std::string name = created.substr(open + 1, at + 3 - open - 1);
    phases.push_back(name);
    const size_t end = created.find_first_of(",}", at + 5);
    ASSERT_TRUE(absl::SimpleAtoi(created.substr(at + 5, end - at - 5), &ms[name])) << created;
    EXPECT_GE(ms[name], 0) << name;
  }
  EXPECT_EQ(phases,
            (std::vector<std::string>{"staffing_fetch_ms", "analysis_fetch_ms", "preparation_ms",
                                      "solve_ms", "explanations_ms", "storing_ms", "total_ms"}));
  // The analysis fetch lies between the preparation's two parts; the staffing check may run on
  // beside preparation and solve, so the staffing fetch is only within the total.
  EXPECT_GE(ms["total_ms"], ms["preparation_ms"] + ms["solve_ms"] + ms["explanations_ms"] +
                                ms["storing_ms"] + ms["analysis_fetch_ms"] - 1)
      << created;
  EXPECT_GE(ms["total_ms"], ms["staffing_fetch_ms"]) << created;
}

INSTANTIATE_TEST_SUITE_P(Engines, TransferServiceTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

TEST(TransferServiceDevMode, InsecureDevServesWithoutToken) {
  FakeUpstreams fakes(SmallWorld());
  ServiceProcessOptions o;
  o.args = {"--db=" + testsupport::FreshSqliteDsn(), "--insecure-dev",
            "--personnel-addr=" + fakes.address(), "--workload-addr=" + fakes.address()};
  auto p = ServiceProcess::Start("transfer-service", o);
  ASSERT_TRUE(p.ok()) << p.status();
  auto stub = v1::TransferPlanningService::NewStub(
      grpc::CreateChannel(p->address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  v1::ListPlansRequest req;
  req.set_agency_code(kAgency);
  v1::ListPlansResponse resp;
  EXPECT_TRUE(stub->ListPlans(&ctx, req, &resp).ok());
}

// Issue 16: test hooks are behind a build option. The shipped binary does
// not know the fault hooks (a flag that makes it _exit(9) must not reach
// production); only transfer-service-testhooks, built for the tests, has them.
TEST(TransferServiceBuild, TheShippedBinaryHasNoTestHookFlags) {
  FakeUpstreams fakes(SmallWorld());
  for (const char* hook :
       {"--test-crash-after-apply=1", "--test-pause-after-batch=1", "--test-batch-size=1"}) {
    ServiceProcessOptions o;
    o.args = {"--db=" + testsupport::FreshSqliteDsn(), "--insecure-dev",
              "--personnel-addr=" + fakes.address(), "--workload-addr=" + fakes.address(), hook};
    o.startup_timeout_ms = 5000;
    EXPECT_FALSE(ServiceProcess::Start("transfer-service", o).ok()) << hook;
    EXPECT_TRUE(ServiceProcess::Start("transfer-service-testhooks", o).ok()) << hook;
  }
}

}  // namespace
}  // namespace seimbang::transfer
