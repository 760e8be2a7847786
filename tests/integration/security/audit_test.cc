// Audit, end to end over the three real binaries (SQLite and MariaDB): every
// method of every service is either a read or a mutation (a new RPC must be
// classified here), and every mutation called once, successfully, by a role
// the permission table allows, with an x-request-id header and no request_id
// in the message, leaves an audit row naming who (subject, role), what (RPC,
// resource) and that request id.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/domain/nip.h"
#include "tests/harness/workload_records.h"
#include "tests/integration/authz/three_services.h"
#include "tests/support/test_db.h"

namespace seimbang::authz {
namespace {

using auth::Role;

// The RPCs that change nothing. Every other RPC of a descriptor is a mutation.
const std::map<std::string, std::set<std::string>> kReads = {
    {kPersonnel,
     {"GetAgency", "ListAgencies", "GetUnit", "ListUnits", "GetPosition", "ListPositions",
      "GetEmployee", "ListEmployees", "BatchGetEmployees", "StreamEmployees", "GetStaffing",
      "ListPlacementHistory", "WatchChanges", "ListAuditEvents"}},
    {kWorkload,
     {"GetWorkload", "ListWorkloads", "ListDemandSignals", "GetSettings", "GetAnalysis",
      "ListAnalyses", "CompareAnalyses", "GetProjection", "ListProjections", "ListAuditEvents"}},
    {kTransfer,
     {"GetPolicy", "ListPolicies", "ListPreferences", "GetPlan", "ListPlans", "ListMoves",
      "ExplainMove", "ListMyMoves", "ComparePlans", "ListObjections", "GetExecution", "ExportPlan",
      "ListAuditEvents"}},
};

const std::map<std::string, std::set<std::string>> kMutations = {
    {kPersonnel,
     {"CreateAgency", "CreateUnit", "UpdateUnit", "CreatePosition", "CreateEmployee",
      "UpdateEmployee", "ImportRecords", "ApplyTransfers"}},
    {kWorkload,
     {"UpsertWorkload", "ImportWorkload", "RecordDemandSignals", "UpdateSettings", "RunAnalysis",
      "ProjectStaffing"}},
    {kTransfer,
     {"CreatePolicy", "UpdatePolicy", "SubmitPreferences", "CreatePlan", "SubmitPlan",
      "ApprovePlan", "RejectPlan", "CancelPlan", "FileObjection", "ResolveObjection", "RevisePlan",
      "ExecutePlan"}},
};

const std::vector<std::string> kServices = {kPersonnel, kWorkload, kTransfer};

// The audit row one mutating call must leave.
struct Expected {
  int service;         // 0 personnel, 1 workload, 2 transfer (ThreeServicesTest::Audit)
  std::string method;  // short name
  std::string subject;
  std::string role;
  std::string resource;  // contained in the row's resource
};

std::string RequestId(const std::string& method) { return "audit-" + method; }

// A CancelPlan or RejectPlan request for `plan` at its etag, with the reason "uji audit".
template <typename Req>
Req PlanDecision(const tpb::PlanSummary& plan) {
  Req req;
  req.set_plan_id(plan.id());
  req.set_etag(plan.etag());
  req.set_reason("uji audit");
  return req;
}

TEST(AuditClassification, EveryRpcIsEitherAReadOrAMutation) {
  for (const std::string& service : kServices) {
    const std::vector<std::string> rpcs = DescriptorMethods(service);
    ASSERT_GT(rpcs.size(), 5u) << service;
    std::set<std::string> names;
    for (const std::string& path : rpcs) {
      const std::string name = path.substr(path.rfind('/') + 1);
      names.insert(name);
      const bool read = kReads.at(service).count(name) > 0;
      const bool mutation = kMutations.at(service).count(name) > 0;
      EXPECT_TRUE(read || mutation) << path << " is new: list it in kReads or kMutations";
      EXPECT_FALSE(read && mutation) << path << " is listed twice";
    }
    for (const auto* list : {&kReads.at(service), &kMutations.at(service)}) {
      for (const std::string& name : *list) {
        EXPECT_TRUE(names.count(name)) << service << "/" << name << " is not an RPC any more";
      }
    }
  }
}

class AuditTest : public ThreeServicesTest, public ::testing::WithParamInterface<std::string> {
 protected:
  absl::StatusOr<std::string> Dsn(const std::string& prefix) override {
    if (GetParam() == "mariadb") return testsupport::FreshMariaDbDsn(prefix);
    return testsupport::FreshSqliteDsn();
  }

  // Records what the call of `method` (made with `token`'s role) must leave.
  void Expect(int service, const std::string& method, Role role, const std::string& agency,
              const std::string& resource) {
    expected_.push_back({service, method,
                         absl::StrCat("authz-", std::string(auth::RoleName(role)),
                                      agency.empty() ? "" : "-", agency),
                         std::string(auth::RoleName(role)), resource});
  }

  // Calls the unary mutation `rpc` (named `method`) of `stub` once as `token`, with
  // x-request-id RequestId(method), and asserts it succeeded.
  template <typename Stub, typename Req, typename Resp>
  void Mutate(Stub& stub, grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*),
              const std::string& method, const std::string& token, const Req& req, Resp* resp) {
    const grpc::Status st = (stub.*rpc)(Ctx(token, RequestId(method)).get(), req, resp);
    ASSERT_TRUE(st.ok()) << method << ": " << st.error_message();
  }

  // Reads a streamed plan (CreatePlan, RevisePlan) to its summary.
  template <typename Reader, typename Event>
  tpb::PlanSummary PlanOf(Reader& reader, Event& ev) {
    tpb::PlanSummary plan;
    while (reader->Read(&ev)) {
      if (ev.has_plan()) plan = ev.plan();
    }
    grpc::Status st = reader->Finish();
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_FALSE(plan.id().empty());
    return plan;
  }

  tpb::PlanSummary CreatePlan(const std::string& token, const std::string& request_id,
                              const std::string& message_request_id = "") {
    tpb::CreatePlanRequest req;
    req.set_agency_code("73.72");
    req.set_analysis_run_id(run_id_);
    req.set_policy_id(policy_id_);
    *req.mutable_effective_date() = D(2026, 3, 1);
    req.set_request_id(message_request_id);
    auto ctx = Ctx(token, request_id, 60);
    auto reader = tstub_->CreatePlan(ctx.get(), req);
    tpb::CreatePlanResponse ev;
    return PlanOf(reader, ev);
  }

  tpb::PlanSummary Submit(const std::string& token, const tpb::PlanSummary& plan,
                          const std::string& request_id, const std::string& message_id = "") {
    tpb::SubmitPlanRequest req;
    req.set_plan_id(plan.id());
    req.set_etag(plan.etag());
    req.set_request_id(message_id);
    tpb::SubmitPlanResponse resp;
    grpc::Status st = tstub_->SubmitPlan(Ctx(token, request_id).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << "SubmitPlan: " << st.error_message();
    return resp.plan();
  }

  void TransferMutations() {
    const std::string op = Token(Role::kOperator, "73.72");
    const std::string approver = Token(Role::kApprover, "73.72");
    const std::string mover = Token(Role::kEmployee, "73.72", move_.nip());

    tpb::CreatePolicyRequest cp;
    cp.mutable_policy()->set_agency_code("73.72");
    cp.mutable_policy()->set_name("audit");
    cp.mutable_policy()->mutable_rules()->set_max_leave_fraction(0.75);
    tpb::CreatePolicyResponse policy;
    ASSERT_NO_FATAL_FAILURE(Mutate(*tstub_, &TStub::CreatePolicy, "CreatePolicy", op, cp, &policy));
    Expect(2, "CreatePolicy", Role::kOperator, "73.72", policy.policy().id());

    tpb::UpdatePolicyRequest up;
    *up.mutable_policy() = policy.policy();
    up.mutable_policy()->set_name("audit, revised");
    tpb::UpdatePolicyResponse updated;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*tstub_, &TStub::UpdatePolicy, "UpdatePolicy", op, up, &updated));
    Expect(2, "UpdatePolicy", Role::kOperator, "73.72", policy.policy().id());

    tpb::SubmitPreferencesRequest pref;
    pref.mutable_preference()->set_nip(move_.nip());
    pref.mutable_preference()->set_agency_code("73.72");
    pref.mutable_preference()->add_preferred_unit_ids(21);
    *pref.mutable_preference()->mutable_valid_until() = D(2027, 1, 1);
    tpb::SubmitPreferencesResponse pref_resp;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*tstub_, &TStub::SubmitPreferences, "SubmitPreferences", mover, pref, &pref_resp));
    Expect(2, "SubmitPreferences", Role::kEmployee, "73.72", domain::MaskNip(move_.nip()));

    tpb::FileObjectionRequest obj;
    obj.set_plan_id(plan_id_);
    obj.set_move_id(move_.id());
    obj.set_reason("saya merawat orang tua di dekat unit 20");
    tpb::FileObjectionResponse filed;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*tstub_, &TStub::FileObjection, "FileObjection", mover, obj, &filed));
    Expect(2, "FileObjection", Role::kEmployee, "73.72", absl::StrCat(plan_id_, "/", move_.id()));

    tpb::ResolveObjectionRequest res;
    res.set_objection_id(filed.objection().id());
    res.set_accept(true);
    tpb::ResolveObjectionResponse resolved;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*tstub_, &TStub::ResolveObjection, "ResolveObjection", approver, res, &resolved));
    Expect(2, "ResolveObjection", Role::kApprover, "73.72", filed.objection().id());

    // The seeded plan, revised around the accepted objection.
    tpb::RevisePlanRequest rev;
    rev.set_plan_id(plan_id_);
    tpb::PlanSummary revision;
    {
      auto ctx = Ctx(op, RequestId("RevisePlan"), 60);
      auto reader = tstub_->RevisePlan(ctx.get(), rev);
      tpb::RevisePlanResponse ev;
      revision = PlanOf(reader, ev);
    }
    ASSERT_FALSE(revision.id().empty());
    Expect(2, "RevisePlan", Role::kOperator, "73.72", revision.id());

    // A plan created and cancelled, and one created, submitted and rejected (their
    // second CreatePlan and SubmitPlan carry a request_id of their own).
    const tpb::PlanSummary cancelled = CreatePlan(op, RequestId("CreatePlan"));
    ASSERT_FALSE(cancelled.id().empty());
    Expect(2, "CreatePlan", Role::kOperator, "73.72", cancelled.id());
    const auto cancel = PlanDecision<tpb::CancelPlanRequest>(cancelled);
    tpb::CancelPlanResponse cancel_resp;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*tstub_, &TStub::CancelPlan, "CancelPlan", op, cancel, &cancel_resp));
    Expect(2, "CancelPlan", Role::kOperator, "73.72", cancelled.id());

    tpb::PlanSummary rejected = CreatePlan(op, "audit-other", "audit-create-2");
    ASSERT_FALSE(rejected.id().empty());
    rejected = Submit(op, rejected, "audit-other", "audit-submit-2");
    const auto reject = PlanDecision<tpb::RejectPlanRequest>(rejected);
    tpb::RejectPlanResponse reject_resp;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*tstub_, &TStub::RejectPlan, "RejectPlan", approver, reject, &reject_resp));
    Expect(2, "RejectPlan", Role::kApprover, "73.72", rejected.id());

    // The revision goes all the way: submitted, approved, executed.
    revision = Submit(op, revision, RequestId("SubmitPlan"));
    Expect(2, "SubmitPlan", Role::kOperator, "73.72", revision.id());
    // Its review window (10 working days) has passed.
    ASSERT_TRUE(testsupport::AgePlanSubmission(transfer_dsn_, revision.id(), 30).ok());
    tpb::ApprovePlanRequest approve;
    approve.set_plan_id(revision.id());
    approve.set_etag(revision.etag());
    tpb::ApprovePlanResponse approved;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*tstub_, &TStub::ApprovePlan, "ApprovePlan", approver, approve, &approved));
    Expect(2, "ApprovePlan", Role::kApprover, "73.72", revision.id());
    tpb::ExecutePlanRequest exec;
    exec.set_plan_id(revision.id());
    tpb::ExecutePlanResponse executing;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*tstub_, &TStub::ExecutePlan, "ExecutePlan", op, exec, &executing));
    Expect(2, "ExecutePlan", Role::kOperator, "73.72", revision.id());
  }

  void WorkloadMutations() {
    const std::string op = Token(Role::kOperator, "73.72");
    grpc::Status st;

    wpb::GetWorkloadRequest get;
    get.set_unit_id(20);
    get.set_position_code("P1");
    wpb::GetWorkloadResponse current;
    st = wstub_->GetWorkload(Ctx(op).get(), get, &current);
    ASSERT_TRUE(st.ok()) << "GetWorkload: " << st.error_message();
    wpb::UpsertWorkloadRequest up;
    *up.mutable_workload() = current.workload();
    up.mutable_workload()->mutable_tasks(0)->set_volume(1500);
    wpb::UpsertWorkloadResponse upserted;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*wstub_, &WStub::UpsertWorkload, "UpsertWorkload", op, up, &upserted));
    Expect(1, "UpsertWorkload", Role::kOperator, "73.72", "unit/20/position/P1");

    {
      wpb::ImportWorkloadRequest row;
      row.set_agency_code("73.72");
      row.set_unit_id(21);
      row.set_position_code("P1");
      *row.mutable_task() = testing::WorkloadTask("Mengarsipkan surat", 500, 30);
      wpb::ImportWorkloadResponse resp;
      auto ctx = Ctx(op, RequestId("ImportWorkload"));
      auto writer = wstub_->ImportWorkload(ctx.get(), &resp);
      ASSERT_TRUE(writer->Write(row));
      writer->WritesDone();
      st = writer->Finish();
      ASSERT_TRUE(st.ok()) << "ImportWorkload: " << st.error_message();
      ASSERT_EQ(resp.summary().rejected(), 0) << resp.ShortDebugString();
    }
    Expect(1, "ImportWorkload", Role::kOperator, "73.72", "import: 1 workloads");

    wpb::RecordDemandSignalsRequest sig;
    *sig.add_signals() = testing::ComplaintsSignal("73.72", 20, 2025, 11, 12);
    wpb::RecordDemandSignalsResponse recorded;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*wstub_, &WStub::RecordDemandSignals, "RecordDemandSignals", op, sig, &recorded));
    Expect(1, "RecordDemandSignals", Role::kOperator, "73.72", "signals: 1");

    wpb::GetSettingsRequest gs;
    gs.set_agency_code("73.72");
    wpb::GetSettingsResponse settings;
    st = wstub_->GetSettings(Ctx(op).get(), gs, &settings);
    ASSERT_TRUE(st.ok()) << "GetSettings: " << st.error_message();
    wpb::UpdateSettingsRequest us;
    *us.mutable_settings() = settings.settings();
    us.mutable_settings()->set_agency_code("73.72");
    us.mutable_settings()->set_signal_window_months(6);
    wpb::UpdateSettingsResponse us_resp;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*wstub_, &WStub::UpdateSettings, "UpdateSettings", op, us, &us_resp));
    Expect(1, "UpdateSettings", Role::kOperator, "73.72", "settings/73.72");

    wpb::RunAnalysisRequest run;
    run.set_agency_code("73.72");
    *run.mutable_as_of() = D(2026, 1, 1);
    wpb::AnalysisSummary summary;
    st = RunAnalysis(*wstub_, run, Ctx(op, RequestId("RunAnalysis")), &summary);
    ASSERT_TRUE(st.ok()) << "RunAnalysis: " << st.error_message();
    const std::string run_id = summary.run_id();
    ASSERT_FALSE(run_id.empty());
    Expect(1, "RunAnalysis", Role::kOperator, "73.72", "run/" + run_id);

    wpb::ProjectStaffingRequest project;
    project.set_agency_code("73.72");
    project.set_run_id(run_id);
    *project.mutable_as_of() = D(2026, 1, 1);
    project.set_request_id(RequestId("ProjectStaffing"));
    wpb::ProjectStaffingResponse projected;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*wstub_, &WStub::ProjectStaffing, "ProjectStaffing", op, project, &projected));
    Expect(1, "ProjectStaffing", Role::kOperator, "73.72",
           "projection/" + projected.projection().summary().projection_id());
  }

  void PersonnelMutations() {
    const std::string op = Token(Role::kOperator, "73.71");
    grpc::Status st;

    ppb::CreateAgencyRequest ca;
    ca.mutable_agency()->set_code("73.73");
    ca.mutable_agency()->set_name("Kota Parepare");
    ca.mutable_agency()->set_kind(ppb::AGENCY_KIND_CITY);
    ca.mutable_agency()->set_province_code("73");
    ppb::CreateAgencyResponse agency;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*pstub_, &PStub::CreateAgency, "CreateAgency", admin_, ca, &agency));
    Expect(0, "CreateAgency", Role::kAdmin, "", "73.73");

    ppb::CreateUnitRequest cu;
    cu.mutable_unit()->set_agency_code("73.71");
    cu.mutable_unit()->set_name("Bidang Audit");
    cu.mutable_unit()->set_kind(ppb::UNIT_KIND_DINAS);
    cu.mutable_unit()->set_active(true);
    ppb::CreateUnitResponse unit;
    ASSERT_NO_FATAL_FAILURE(Mutate(*pstub_, &PStub::CreateUnit, "CreateUnit", op, cu, &unit));
    const std::string unit_id = absl::StrCat(unit.unit().id());
    Expect(0, "CreateUnit", Role::kOperator, "73.71", unit_id);

    ppb::UpdateUnitRequest uu;
    *uu.mutable_unit() = unit.unit();
    uu.mutable_unit()->set_name("Bidang Audit dan Pengawasan");
    ppb::UpdateUnitResponse uu_resp;
    ASSERT_NO_FATAL_FAILURE(Mutate(*pstub_, &PStub::UpdateUnit, "UpdateUnit", op, uu, &uu_resp));
    Expect(0, "UpdateUnit", Role::kOperator, "73.71", unit_id);

    ppb::CreatePositionRequest cpos;
    auto* p = cpos.mutable_position();
    p->set_code("P-AUDIT");
    p->set_name("Auditor Ahli Pertama");
    p->set_kind(ppb::POSITION_KIND_PELAKSANA);
    p->set_level(ppb::FUNCTIONAL_LEVEL_NONE);
    p->set_job_family("general_administration");
    ppb::CreatePositionResponse pos_resp;
    // The position catalogue is shared: only an admin writes it (issue 15 item 4).
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*pstub_, &PStub::CreatePosition, "CreatePosition", admin_, cpos, &pos_resp));
    Expect(0, "CreatePosition", Role::kAdmin, "", "P-AUDIT");

    const std::string new_nip = "199203152016021001";
    ppb::CreateEmployeeRequest ce;
    *ce.mutable_employee() = EmployeeRow(new_nip, 1).employee();
    ppb::CreateEmployeeResponse created;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*pstub_, &PStub::CreateEmployee, "CreateEmployee", op, ce, &created));
    Expect(0, "CreateEmployee", Role::kOperator, "73.71", domain::MaskNip(new_nip));

    ppb::UpdateEmployeeRequest ue;
    *ue.mutable_employee() = created.employee();
    ue.mutable_employee()->set_name("Pegawai Diperbarui");
    ppb::UpdateEmployeeResponse ue_resp;
    ASSERT_NO_FATAL_FAILURE(
        Mutate(*pstub_, &PStub::UpdateEmployee, "UpdateEmployee", op, ue, &ue_resp));
    Expect(0, "UpdateEmployee", Role::kOperator, "73.71", domain::MaskNip(new_nip));

    {
      ppb::ImportRecordsResponse resp;
      st = testing::ImportRecords(*pstub_, {EmployeeRow("199305202017032002", 1)}, op, &resp,
                                  RequestId("ImportRecords"));
      ASSERT_TRUE(st.ok()) << "ImportRecords: " << st.error_message();
      ASSERT_EQ(resp.summary().rejected(), 0) << resp.ShortDebugString();
    }
    Expect(0, "ImportRecords", Role::kOperator, "73.71", "1 rows");

    ppb::ApplyTransfersRequest at;
    auto* m = at.add_moves();
    m->set_plan_id("audit-plan");
    m->set_move_id("m1");
    m->set_nip(kNip71);
    m->set_from_unit_id(1);
    m->set_from_position_code("P1");
    m->set_to_unit_id(unit.unit().id());
    m->set_to_position_code("P1");
    *m->mutable_effective_date() = D(2026, 3, 1);
    ppb::ApplyTransfersResponse applied;
    ASSERT_NO_FATAL_FAILURE(Mutate(*pstub_, &PStub::ApplyTransfers, "ApplyTransfers",
                                   Token(Role::kService), at, &applied));
    ASSERT_EQ(applied.results_size(), 1);
    ASSERT_EQ(applied.results(0).outcome(), ppb::MOVE_OUTCOME_APPLIED)
        << applied.ShortDebugString();
    Expect(0, "ApplyTransfers", Role::kService, "",
           absl::StrCat(domain::MaskNip(kNip71), " move audit-plan/m1"));
  }

  std::vector<Expected> expected_;
};

TEST_P(AuditTest, EveryMutationOfEveryServiceLeavesARowWithWhoWhatAndTheRequestId) {
  ASSERT_NO_FATAL_FAILURE(Seed());
  ASSERT_NO_FATAL_FAILURE(TransferMutations());
  ASSERT_NO_FATAL_FAILURE(WorkloadMutations());
  ASSERT_NO_FATAL_FAILURE(PersonnelMutations());

  // Each mutation of each descriptor was called above.
  for (size_t s = 0; s < kServices.size(); ++s) {
    for (const std::string& name : kMutations.at(kServices[s])) {
      bool called = false;
      for (const Expected& e : expected_)
        called |= e.service == static_cast<int>(s) && e.method == name;
      EXPECT_TRUE(called) << kServices[s] << "/" << name << " is a mutation the test never calls";
    }
  }

  const std::vector<std::vector<cpb::AuditEvent>> rows = {Audit(0), Audit(1), Audit(2)};
  for (const Expected& want : expected_) {
    const std::string path = absl::StrCat("/", kServices[want.service], "/", want.method);
    const cpb::AuditEvent* found = nullptr;
    for (const cpb::AuditEvent& e : rows[want.service]) {
      if (e.method() == path && e.request_id() == RequestId(want.method)) found = &e;
    }
    if (found == nullptr) {
      ADD_FAILURE() << "no audit row for " << path << " with x-request-id "
                    << RequestId(want.method);
      continue;
    }
    EXPECT_EQ(found->subject(), want.subject) << found->ShortDebugString();
    EXPECT_EQ(found->role(), want.role) << found->ShortDebugString();
    EXPECT_TRUE(absl::StrContains(found->resource(), want.resource))
        << path << ": resource '" << found->resource() << "' should name '" << want.resource << "'";
    EXPECT_GT(found->time_ms(), 0) << found->ShortDebugString();
  }
  // No audit row carries a full NIP.
  for (const auto& service_rows : rows) {
    for (const cpb::AuditEvent& e : service_rows) {
      for (const std::string& nip : {std::string(kNip71), std::string("199203152016021001")}) {
        EXPECT_FALSE(absl::StrContains(e.ShortDebugString(), nip)) << e.ShortDebugString();
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace seimbang::authz
