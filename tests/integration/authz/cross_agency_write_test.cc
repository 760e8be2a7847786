// Writes never cross agencies (issue 15 items 3 and 4), end to end on the three real
// binaries of three_services.h: for every mutating RPC of the three services, a caller of one
// agency naming an id (agency, unit, NIP, position, policy, run, plan, move, objection) of the
// other agency is refused with PERMISSION_DENIED or NOT_FOUND, and the other agency's data,
// read back as admin, is unchanged. The shared position catalogue is written only by an admin.
//
// The seed (ThreeServicesTest::Seed) gives 73.71 unit 1 with one employee, and 73.72 units 20
// and 21, four employees, an analysis run, a policy and a submitted plan with a move. Each test
// attacks the agency that holds what it names: 73.72's operator names 73.71's units, NIPs,
// workloads, signals, settings and preferences; 73.71's operator, approver or employee names
// 73.72's runs, policies, plans, moves and objections.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/harness/workload_records.h"
#include "tests/integration/authz/three_services.h"

namespace seimbang::authz {
namespace {

using auth::Role;
using google::protobuf::util::MessageDifferencer;

::testing::AssertionResult Refused(const grpc::Status& st) {
  if (st.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
      st.error_code() == grpc::StatusCode::NOT_FOUND) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected PERMISSION_DENIED or NOT_FOUND, got " << static_cast<int>(st.error_code())
         << " " << st.error_message();
}

// A 73.72 civil servant born 1970-01-01 (the NIP encodes it): 56 on 2026-01-01, so counted
// in staffing at the pelaksana retirement age of 58 and left out at 50.
constexpr char kNipBorn1970[] = "197001011995031001";

class CrossAgencyWriteTest : public ThreeServicesTest {
 protected:
  void SetUp() override {
    if (!StartAndSeed()) return;
    // 73.71's own workload, demand signal, settings and a preference of its employee.
    wpb::UpsertWorkloadRequest up;
    *up.mutable_workload() = testing::OneTaskWorkload(
        "73.71", 1, "P1", testing::WorkloadTask("Mengagendakan surat", 1000, 75));
    wpb::UpsertWorkloadResponse up_resp;
    grpc::Status st = wstub_->UpsertWorkload(Ctx(admin_).get(), up, &up_resp);
    ASSERT_TRUE(st.ok()) << st.error_message();

    wpb::RecordDemandSignalsRequest sig;
    *sig.add_signals() = testing::ComplaintsSignal("73.71", 1, 2025, 12, 40);
    wpb::RecordDemandSignalsResponse sig_resp;
    st = wstub_->RecordDemandSignals(Ctx(admin_).get(), sig, &sig_resp);
    ASSERT_TRUE(st.ok()) << st.error_message();

    tpb::SubmitPreferencesRequest pref;
    pref.mutable_preference()->set_nip(kNip71);
    pref.mutable_preference()->set_agency_code("73.71");
    pref.mutable_preference()->add_preferred_unit_ids(1);
    pref.mutable_preference()->set_reason("dekat rumah");
    *pref.mutable_preference()->mutable_valid_until() = D(2027, 1, 1);
    tpb::SubmitPreferencesResponse pref_resp;
    st = tstub_->SubmitPreferences(Ctx(admin_).get(), pref, &pref_resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  // ---- reads as admin, to compare before and after

  // `req` for up to 1000 rows: all there are in these tests.
  template <typename Req>
  static Req OnePage(Req req) {
    req.mutable_page()->set_page_size(1000);
    return req;
  }
  // A List request for every row of `agency`.
  template <typename Req>
  static Req OfAgency(const std::string& agency) {
    Req req;
    req.set_agency_code(agency);
    return OnePage(req);
  }
  template <typename Row>
  static std::vector<Row> Rows(const google::protobuf::RepeatedPtrField<Row>& rows) {
    return {rows.begin(), rows.end()};
  }

  ppb::Agency AgencyOf(const std::string& code) {
    ppb::GetAgencyRequest req;
    req.set_code(code);
    return CallOk(*pstub_, &PStub::GetAgency, admin_, req).agency();
  }
  std::vector<ppb::Unit> UnitsOf(const std::string& agency) {
    ppb::ListUnitsRequest req;
    req.set_agency_code(agency);
    req.set_include_inactive(true);
    return Rows(CallOk(*pstub_, &PStub::ListUnits, admin_, OnePage(req)).units());
  }
  ppb::Employee EmployeeOf(const std::string& nip) {
    ppb::GetEmployeeRequest req;
    req.set_nip(nip);
    return CallOk(*pstub_, &PStub::GetEmployee, admin_, req).employee();
  }
  grpc::Status FindEmployee(const std::string& nip) {
    ppb::GetEmployeeRequest req;
    req.set_nip(nip);
    ppb::GetEmployeeResponse resp;
    return pstub_->GetEmployee(Ctx(admin_).get(), req, &resp);
  }
  ppb::Position PositionOf(const std::string& code) {
    ppb::GetPositionRequest req;
    req.set_code(code);
    return CallOk(*pstub_, &PStub::GetPosition, admin_, req).position();
  }
  ppb::GetStaffingResponse StaffingOf(const std::string& agency) {
    ppb::GetStaffingRequest req;
    req.set_agency_code(agency);
    *req.mutable_as_of() = D(2026, 1, 1);
    return CallOk(*pstub_, &PStub::GetStaffing, admin_, req);
  }
  wpb::Workload WorkloadOf(int64_t unit, const std::string& code) {
    wpb::GetWorkloadRequest req;
    req.set_unit_id(unit);
    req.set_position_code(code);
    return CallOk(*wstub_, &WStub::GetWorkload, admin_, req).workload();
  }
  std::vector<wpb::DemandSignal> SignalsOf(const std::string& agency) {
    return Rows(CallOk(*wstub_, &WStub::ListDemandSignals, admin_,
                       OfAgency<wpb::ListDemandSignalsRequest>(agency))
                    .signals());
  }
  wpb::GetSettingsResponse SettingsOf(const std::string& agency) {
    wpb::GetSettingsRequest req;
    req.set_agency_code(agency);
    return CallOk(*wstub_, &WStub::GetSettings, admin_, req);
  }
  std::vector<wpb::AnalysisSummary> RunsOf(const std::string& agency) {
    return Rows(
        CallOk(*wstub_, &WStub::ListAnalyses, admin_, OfAgency<wpb::ListAnalysesRequest>(agency))
            .runs());
  }
  tpb::Policy PolicyOf(const std::string& id) {
    tpb::GetPolicyRequest req;
    req.set_id(id);
    return CallOk(*tstub_, &TStub::GetPolicy, admin_, req).policy();
  }
  std::vector<tpb::Policy> PoliciesOf(const std::string& agency) {
    return Rows(
        CallOk(*tstub_, &TStub::ListPolicies, admin_, OfAgency<tpb::ListPoliciesRequest>(agency))
            .policies());
  }
  std::vector<tpb::Preference> PreferencesOf(const std::string& agency) {
    return Rows(CallOk(*tstub_, &TStub::ListPreferences, admin_,
                       OfAgency<tpb::ListPreferencesRequest>(agency))
                    .preferences());
  }
  tpb::PlanSummary PlanOf(const std::string& id) {
    tpb::GetPlanRequest req;
    req.set_plan_id(id);
    return CallOk(*tstub_, &TStub::GetPlan, admin_, req).plan();
  }
  std::vector<tpb::PlanSummary> PlansOf(const std::string& agency) {
    return Rows(CallOk(*tstub_, &TStub::ListPlans, admin_, OfAgency<tpb::ListPlansRequest>(agency))
                    .plans());
  }
  std::vector<tpb::Objection> ObjectionsOf(const std::string& plan) {
    tpb::ListObjectionsRequest req;
    req.set_plan_id(plan);
    return Rows(CallOk(*tstub_, &TStub::ListObjections, admin_, OnePage(req)).objections());
  }
  tpb::Execution ExecutionOf(const std::string& plan) {
    tpb::GetExecutionRequest req;
    req.set_plan_id(plan);
    return CallOk(*tstub_, &TStub::GetExecution, admin_, req).execution();
  }

  // A decision on 73.72's plan at its current etag (SubmitPlan, ApprovePlan, RejectPlan,
  // CancelPlan) called as `token` is refused and leaves the plan as it was.
  template <typename Req, typename Resp>
  void ExpectPlanDecisionRefused(grpc::Status (TStub::*decide)(grpc::ClientContext*, const Req&,
                                                               Resp*),
                                 const std::string& token) {
    const tpb::PlanSummary before = PlanOf(plan_id_);
    Req req;
    req.set_plan_id(plan_id_);
    req.set_etag(before.etag());
    Resp resp;
    EXPECT_TRUE(Refused(((*tstub_).*decide)(Ctx(token).get(), req, &resp)));
    ExpectSame(before, PlanOf(plan_id_));
  }

  template <typename T>
  static void ExpectSame(const T& before, const T& after) {
    EXPECT_TRUE(MessageDifferencer::Equals(before, after))
        << "before: " << before.ShortDebugString() << "\nafter:  " << after.ShortDebugString();
  }
  template <typename T>
  static void ExpectSame(const std::vector<T>& before, const std::vector<T>& after) {
    ASSERT_EQ(before.size(), after.size());
    for (size_t i = 0; i < before.size(); ++i) ExpectSame(before[i], after[i]);
  }

  ppb::ImportRecordsResponse Import(const std::string& token,
                                    std::vector<ppb::ImportRecordsRequest> rows) {
    for (size_t i = 0; i < rows.size(); ++i) rows[i].set_sequence(static_cast<int64_t>(i) + 1);
    ppb::ImportRecordsResponse resp;
    grpc::Status st = testing::ImportRecords(*pstub_, rows, token, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  static ppb::ImportRecordsRequest PositionRow(const ppb::Position& p) {
    ppb::ImportRecordsRequest r;
    *r.mutable_position() = p;
    return r;
  }

  // The move of the seeded 73.72 plan; an objection to it filed by its employee.
  std::string FileObjectionAsMover() {
    tpb::FileObjectionRequest req;
    req.set_plan_id(plan_id_);
    req.set_move_id(move_.id());
    req.set_reason("saya merawat orang tua");
    tpb::FileObjectionResponse resp;
    grpc::Status st =
        tstub_->FileObjection(Ctx(Token(Role::kEmployee, "73.72", move_.nip())).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.objection().id();
  }

  const std::string operator72_ = Token(Role::kOperator, "73.72");
  const std::string approver71_ = Token(Role::kApprover, "73.71");
};

// ================================================================== personnel

// Issue 15 item 3: CreateAgency is admin-only; an operator cannot recreate another agency.
TEST_F(CrossAgencyWriteTest, CreateAgencyOfAnotherAgencyIsRefused) {
  const ppb::Agency before = AgencyOf("73.71");
  ppb::CreateAgencyRequest req;
  *req.mutable_agency() = before;
  req.mutable_agency()->set_name("Direbut");
  ppb::CreateAgencyResponse resp;
  EXPECT_TRUE(Refused(pstub_->CreateAgency(Ctx(operator72_).get(), req, &resp)));
  ExpectSame(before, AgencyOf("73.71"));
}

// Issue 15 item 3: CreateUnit in another agency, or under another agency's parent unit.
TEST_F(CrossAgencyWriteTest, CreateUnitInOrUnderAnotherAgencyIsRefused) {
  const std::vector<ppb::Unit> before71 = UnitsOf("73.71");
  const std::vector<ppb::Unit> before72 = UnitsOf("73.72");
  ppb::CreateUnitRequest req;
  req.mutable_unit()->set_agency_code("73.71");
  req.mutable_unit()->set_name("Bidang Titipan");
  req.mutable_unit()->set_kind(ppb::UNIT_KIND_DINAS);
  req.mutable_unit()->set_active(true);
  ppb::CreateUnitResponse resp;
  EXPECT_TRUE(Refused(pstub_->CreateUnit(Ctx(operator72_).get(), req, &resp)));
  // Its own agency, but below 73.71's unit 1.
  req.mutable_unit()->set_agency_code("73.72");
  req.mutable_unit()->set_parent_id(1);
  EXPECT_TRUE(Refused(pstub_->CreateUnit(Ctx(operator72_).get(), req, &resp)));
  ExpectSame(before71, UnitsOf("73.71"));
  ExpectSame(before72, UnitsOf("73.72"));
}

// Issue 15 item 3: UpdateUnit of another agency's unit, or re-parenting under one.
TEST_F(CrossAgencyWriteTest, UpdateUnitOfOrUnderAnotherAgencyIsRefused) {
  const ppb::Unit unit1 = UnitOf(1);
  const ppb::Unit unit20 = UnitOf(20);
  ppb::UpdateUnitRequest req;
  *req.mutable_unit() = unit1;
  req.mutable_unit()->set_name("Diambil alih");
  req.mutable_unit()->set_agency_code("73.72");
  ppb::UpdateUnitResponse resp;
  EXPECT_TRUE(Refused(pstub_->UpdateUnit(Ctx(operator72_).get(), req, &resp)));
  *req.mutable_unit() = unit20;
  req.mutable_unit()->set_parent_id(1);
  EXPECT_TRUE(Refused(pstub_->UpdateUnit(Ctx(operator72_).get(), req, &resp)));
  ExpectSame(unit1, UnitOf(1));
  ExpectSame(unit20, UnitOf(20));
}

// Issue 15 item 3: CreateEmployee with another agency's NIP (was ALREADY_EXISTS, which
// confirmed the NIP) or into another agency's unit.
TEST_F(CrossAgencyWriteTest, CreateEmployeeWithAnotherAgencysNipOrUnitIsRefused) {
  const ppb::Employee before = EmployeeOf(kNip71);
  ppb::CreateEmployeeRequest req;
  *req.mutable_employee() = EmployeeRow(kNip71, 20).employee();
  ppb::CreateEmployeeResponse resp;
  EXPECT_TRUE(Refused(pstub_->CreateEmployee(Ctx(operator72_).get(), req, &resp)));
  const std::string fresh = "199001012015011009";
  *req.mutable_employee() = EmployeeRow(fresh, 1).employee();
  EXPECT_TRUE(Refused(pstub_->CreateEmployee(Ctx(operator72_).get(), req, &resp)));
  ExpectSame(before, EmployeeOf(kNip71));
  EXPECT_EQ(FindEmployee(fresh).error_code(), grpc::StatusCode::NOT_FOUND);
}

// Issue 15 item 3: UpdateEmployee of another agency's employee, or moving one's own into
// another agency's unit.
TEST_F(CrossAgencyWriteTest, UpdateEmployeeOfOrIntoAnotherAgencyIsRefused) {
  const ppb::Employee e71 = EmployeeOf(kNip71);
  const ppb::Employee e72 = EmployeeOf(kNips72[0]);
  ppb::UpdateEmployeeRequest req;
  *req.mutable_employee() = e71;
  req.mutable_employee()->set_name("Nama Diganti");
  ppb::UpdateEmployeeResponse resp;
  EXPECT_TRUE(Refused(pstub_->UpdateEmployee(Ctx(operator72_).get(), req, &resp)));
  *req.mutable_employee() = e72;
  req.mutable_employee()->set_unit_id(1);
  req.set_placement_reason(ppb::PLACEMENT_REASON_CORRECTION);
  EXPECT_TRUE(Refused(pstub_->UpdateEmployee(Ctx(operator72_).get(), req, &resp)));
  ExpectSame(e71, EmployeeOf(kNip71));
  ExpectSame(e72, EmployeeOf(kNips72[0]));
}

// Issue 15 item 3: ImportRecords rows naming another agency (its agency row, its unit under
// either agency code, its employee, a new employee in its unit) are rejected rows.
TEST_F(CrossAgencyWriteTest, ImportRecordsRowsOfAnotherAgencyAreRejected) {
  const ppb::Agency agency = AgencyOf("73.71");
  const ppb::Unit unit1 = UnitOf(1);
  const ppb::Employee e71 = EmployeeOf(kNip71);
  std::vector<ppb::ImportRecordsRequest> rows(4);
  *rows[0].mutable_agency() = agency;
  rows[0].mutable_agency()->set_name("Direbut");
  rows[0].mutable_agency()->clear_create_time_ms();
  *rows[1].mutable_unit() = unit1;
  rows[1].mutable_unit()->set_name("Diambil alih");
  rows[1].mutable_unit()->clear_etag();
  rows[2] = rows[1];
  rows[2].mutable_unit()->set_agency_code("73.72");
  rows[3] = EmployeeRow(kNip71, 20);
  rows.push_back(EmployeeRow("199001012015011009", 1));
  const ppb::ImportRecordsResponse resp = Import(operator72_, rows);
  EXPECT_EQ(resp.summary().rejected(), 5) << resp.ShortDebugString();
  EXPECT_EQ(resp.summary().inserted() + resp.summary().updated(), 0) << resp.ShortDebugString();
  ExpectSame(agency, AgencyOf("73.71"));
  ExpectSame(unit1, UnitOf(1));
  ExpectSame(e71, EmployeeOf(kNip71));
  EXPECT_EQ(FindEmployee("199001012015011009").error_code(), grpc::StatusCode::NOT_FOUND);
}

// Issue 15 item 3: ApplyTransfers writes placements of any agency, so only admin and service
// (the executor) may call it; an operator moving another agency's employee is refused.
TEST_F(CrossAgencyWriteTest, ApplyTransfersByAnOperatorIsRefused) {
  const ppb::Employee before = EmployeeOf(kNip71);
  ppb::ApplyTransfersRequest req;
  auto* m = req.add_moves();
  m->set_plan_id("p-forged");
  m->set_move_id("m1");
  m->set_nip(kNip71);
  m->set_from_unit_id(1);
  m->set_from_position_code("P1");
  m->set_to_unit_id(20);
  m->set_to_position_code("P1");
  *m->mutable_effective_date() = D(2026, 3, 1);
  ppb::ApplyTransfersResponse resp;
  EXPECT_TRUE(Refused(pstub_->ApplyTransfers(Ctx(operator72_).get(), req, &resp)));
  ExpectSame(before, EmployeeOf(kNip71));
}

// ================================================================== position catalogue

// Issue 15 item 4: an operator's CreatePosition is refused (the catalogue is shared by every
// agency); the admin's is not.
TEST_F(CrossAgencyWriteTest, CreatePositionNeedsTheAdminRole) {
  ppb::CreatePositionRequest req;
  auto* p = req.mutable_position();
  p->set_code("P-PENSIUN-50");
  p->set_name("Pengadministrasi Khusus");
  p->set_kind(ppb::POSITION_KIND_PELAKSANA);
  p->set_level(ppb::FUNCTIONAL_LEVEL_NONE);
  p->set_job_family("general_administration");
  p->set_retirement_age(50);
  ppb::CreatePositionResponse resp;
  grpc::Status st = pstub_->CreatePosition(Ctx(operator71_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  ppb::GetPositionRequest get;
  get.set_code("P-PENSIUN-50");
  ppb::GetPositionResponse got;
  EXPECT_EQ(pstub_->GetPosition(Ctx(admin_).get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  st = pstub_->CreatePosition(Ctx(admin_).get(), req, &resp);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(PositionOf("P-PENSIUN-50").retirement_age(), 50);
}

// Issue 15 item 4: an operator's import that sets the shared position P1's retirement age to
// 50 (or adds a position) is rejected row by row, so another agency's staffing does not lose
// people as retired; rows equal to the catalogue are accepted as unchanged; the admin's import
// changes the position and then the other agency's staffing follows.
TEST_F(CrossAgencyWriteTest, ImportChangingTheSharedCatalogueNeedsTheAdminRole) {
  // A 73.72 employee of 56, counted at the pelaksana retirement age of 58.
  ppb::CreateEmployeeRequest ce;
  *ce.mutable_employee() = EmployeeRow(kNipBorn1970, 20).employee();
  ppb::CreateEmployeeResponse created;
  grpc::Status st = pstub_->CreateEmployee(Ctx(admin_).get(), ce, &created);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const ppb::Position p1 = PositionOf("P1");
  const ppb::GetStaffingResponse before = StaffingOf("73.72");
  ASSERT_EQ(before.employees_retired_excluded(), 0);
  ASSERT_EQ(before.employees_counted(), 5);

  ppb::Position at50 = p1;
  at50.set_retirement_age(50);
  ppb::Position added = p1;
  added.set_code("P2");
  const ppb::ImportRecordsResponse resp =
      Import(operator71_, {PositionRow(p1), PositionRow(at50), PositionRow(added)});
  EXPECT_EQ(resp.summary().unchanged(), 1) << resp.ShortDebugString();
  EXPECT_EQ(resp.summary().rejected(), 2) << resp.ShortDebugString();
  EXPECT_EQ(resp.summary().inserted() + resp.summary().updated(), 0) << resp.ShortDebugString();
  for (const auto& e : resp.summary().errors()) {
    EXPECT_EQ(e.field(), "position.code") << e.ShortDebugString();
    EXPECT_TRUE(absl::StrContains(e.reason(), "only an admin")) << e.ShortDebugString();
  }
  ExpectSame(p1, PositionOf("P1"));
  ppb::GetPositionRequest get;
  get.set_code("P2");
  ppb::GetPositionResponse got;
  EXPECT_EQ(pstub_->GetPosition(Ctx(admin_).get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  const ppb::GetStaffingResponse after = StaffingOf("73.72");
  EXPECT_EQ(after.digest(), before.digest());
  EXPECT_EQ(after.employees_counted(), before.employees_counted());
  EXPECT_EQ(after.employees_retired_excluded(), 0);

  // The admin may, and 73.72's staffing then leaves the 56-year-old out.
  const ppb::ImportRecordsResponse by_admin = Import(admin_, {PositionRow(at50)});
  EXPECT_EQ(by_admin.summary().updated(), 1) << by_admin.ShortDebugString();
  EXPECT_EQ(PositionOf("P1").retirement_age(), 50);
  EXPECT_EQ(StaffingOf("73.72").employees_retired_excluded(), 1);
}

// ================================================================== workload

// Issue 15 item 3: UpsertWorkload of another agency's unit, under either agency code (was
// INVALID_ARGUMENT for the caller's own code).
TEST_F(CrossAgencyWriteTest, UpsertWorkloadOfAnotherAgencysUnitIsRefused) {
  const wpb::Workload before = WorkloadOf(1, "P1");
  wpb::UpsertWorkloadRequest req;
  *req.mutable_workload() = before;
  req.mutable_workload()->mutable_tasks(0)->set_volume(99999);
  req.mutable_workload()->clear_etag();
  req.mutable_workload()->clear_update_time_ms();
  wpb::UpsertWorkloadResponse resp;
  EXPECT_TRUE(Refused(wstub_->UpsertWorkload(Ctx(operator72_).get(), req, &resp)));
  req.mutable_workload()->set_agency_code("73.72");
  grpc::Status st = wstub_->UpsertWorkload(Ctx(operator72_).get(), req, &resp);
  EXPECT_TRUE(Refused(st));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  ExpectSame(before, WorkloadOf(1, "P1"));
}

// Issue 15 item 3: ImportWorkload rows of another agency's unit are rejected as outside the
// caller's agency, under either agency code.
TEST_F(CrossAgencyWriteTest, ImportWorkloadRowsOfAnotherAgencysUnitAreRejected) {
  const wpb::Workload before = WorkloadOf(1, "P1");
  wpb::ImportWorkloadResponse resp;
  {
    auto ctx = Ctx(operator72_);
    auto writer = wstub_->ImportWorkload(ctx.get(), &resp);
    for (const char* agency : {"73.72", "73.71"}) {
      wpb::ImportWorkloadRequest row;
      row.set_agency_code(agency);
      row.set_unit_id(1);
      row.set_position_code("P1");
      *row.mutable_task() = before.tasks(0);
      row.mutable_task()->set_volume(99999);
      writer->Write(row);
    }
    writer->WritesDone();
    grpc::Status st = writer->Finish();
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  EXPECT_EQ(resp.summary().rejected(), 2) << resp.ShortDebugString();
  EXPECT_EQ(resp.summary().inserted() + resp.summary().updated(), 0) << resp.ShortDebugString();
  for (const auto& e : resp.summary().errors()) {
    EXPECT_TRUE(absl::StrContains(e.reason(), "may not act on agency 73.71"))
        << e.ShortDebugString();
  }
  ExpectSame(before, WorkloadOf(1, "P1"));
}

// Issue 15 item 3: RecordDemandSignals with another agency's unit under the caller's agency
// code re-tagged that agency's signal (signals are keyed by unit, kind and month).
TEST_F(CrossAgencyWriteTest, RecordDemandSignalsOfAnotherAgencysUnitIsRefused) {
  const std::vector<wpb::DemandSignal> before71 = SignalsOf("73.71");
  const std::vector<wpb::DemandSignal> before72 = SignalsOf("73.72");
  ASSERT_EQ(before71.size(), 1u);
  wpb::RecordDemandSignalsRequest req;
  *req.add_signals() = testing::ComplaintsSignal("73.72", 20, 2025, 12,
                                                 5);  // its own: fine alone, but all or nothing
  *req.add_signals() = testing::ComplaintsSignal("73.72", 1, 2025, 12, 999);
  wpb::RecordDemandSignalsResponse resp;
  grpc::Status st = wstub_->RecordDemandSignals(Ctx(operator72_).get(), req, &resp);
  EXPECT_TRUE(Refused(st));
  req.clear_signals();
  *req.add_signals() = testing::ComplaintsSignal("73.71", 1, 2025, 12, 999);
  EXPECT_TRUE(Refused(wstub_->RecordDemandSignals(Ctx(operator72_).get(), req, &resp)));
  ExpectSame(before71, SignalsOf("73.71"));
  ExpectSame(before72, SignalsOf("73.72"));
}

// Issue 15 item 3: UpdateSettings of another agency.
TEST_F(CrossAgencyWriteTest, UpdateSettingsOfAnotherAgencyIsRefused) {
  const wpb::GetSettingsResponse before = SettingsOf("73.71");
  wpb::UpdateSettingsRequest req;
  *req.mutable_settings() = before.settings();
  req.mutable_settings()->set_effective_minutes_per_year(30000);
  wpb::UpdateSettingsResponse resp;
  EXPECT_TRUE(Refused(wstub_->UpdateSettings(Ctx(operator72_).get(), req, &resp)));
  ExpectSame(before, SettingsOf("73.71"));
}

// Issue 15 item 3: RunAnalysis for another agency (it would publish that agency's gauges).
TEST_F(CrossAgencyWriteTest, RunAnalysisOfAnotherAgencyIsRefused) {
  const std::vector<wpb::AnalysisSummary> before = RunsOf("73.71");
  wpb::RunAnalysisRequest req;
  req.set_agency_code("73.71");
  *req.mutable_as_of() = D(2026, 1, 1);
  auto ctx = Ctx(operator72_);
  auto reader = wstub_->RunAnalysis(ctx.get(), req);
  wpb::RunAnalysisResponse ev;
  while (reader->Read(&ev)) EXPECT_FALSE(ev.has_summary());
  EXPECT_TRUE(Refused(reader->Finish()));
  ExpectSame(before, RunsOf("73.71"));
}

// ================================================================== transfer

// Issue 15 item 3: CreatePolicy for another agency.
TEST_F(CrossAgencyWriteTest, CreatePolicyForAnotherAgencyIsRefused) {
  const std::vector<tpb::Policy> before = PoliciesOf("73.72");
  tpb::CreatePolicyRequest req;
  req.mutable_policy()->set_agency_code("73.72");
  req.mutable_policy()->set_name("titipan");
  tpb::CreatePolicyResponse resp;
  EXPECT_TRUE(Refused(tstub_->CreatePolicy(Ctx(operator71_).get(), req, &resp)));
  ExpectSame(before, PoliciesOf("73.72"));
}

// Issue 15 item 3: UpdatePolicy of another agency's policy, under either agency code.
TEST_F(CrossAgencyWriteTest, UpdatePolicyOfAnotherAgencyIsRefused) {
  const tpb::Policy before = PolicyOf(policy_id_);
  tpb::UpdatePolicyRequest req;
  *req.mutable_policy() = before;
  req.mutable_policy()->set_name("diubah dari 73.71");
  tpb::UpdatePolicyResponse resp;
  EXPECT_TRUE(Refused(tstub_->UpdatePolicy(Ctx(operator71_).get(), req, &resp)));
  req.mutable_policy()->set_agency_code("73.71");
  EXPECT_TRUE(Refused(tstub_->UpdatePolicy(Ctx(operator71_).get(), req, &resp)));
  ExpectSame(before, PolicyOf(policy_id_));
}

// Issue 15 item 3: SubmitPreferences with another agency's NIP under the caller's agency code
// overwrote that employee's preference (preferences are keyed by NIP); an employee may not
// file their own preference under another agency either.
TEST_F(CrossAgencyWriteTest, SubmitPreferencesForAnotherAgencysEmployeeIsRefused) {
  const std::vector<tpb::Preference> before71 = PreferencesOf("73.71");
  const std::vector<tpb::Preference> before72 = PreferencesOf("73.72");
  ASSERT_EQ(before71.size(), 1u);
  tpb::SubmitPreferencesRequest req;
  auto* p = req.mutable_preference();
  p->set_nip(kNip71);
  p->set_agency_code("73.72");
  p->add_avoided_unit_ids(1);
  *p->mutable_valid_until() = D(2027, 1, 1);
  tpb::SubmitPreferencesResponse resp;
  grpc::Status st = tstub_->SubmitPreferences(Ctx(operator72_).get(), req, &resp);
  EXPECT_TRUE(Refused(st));
  // An employee of 73.72: someone else's NIP, or their own under 73.71.
  const std::string mover = Token(Role::kEmployee, "73.72", move_.nip());
  EXPECT_TRUE(Refused(tstub_->SubmitPreferences(Ctx(mover).get(), req, &resp)));
  p->set_nip(move_.nip());
  p->set_agency_code("73.71");
  EXPECT_TRUE(Refused(tstub_->SubmitPreferences(Ctx(mover).get(), req, &resp)));
  ExpectSame(before71, PreferencesOf("73.71"));
  ExpectSame(before72, PreferencesOf("73.72"));
}

// A 73.72 policy for the tests below: pins and forbids are added by each.
tpb::Policy Policy72(const std::string& name) {
  tpb::Policy p;
  p.set_agency_code("73.72");
  p.set_name(name);
  return p;
}

tpb::PinnedMove Pin(const std::string& nip, int64_t unit) {
  tpb::PinnedMove m;
  m.set_nip(nip);
  m.set_to_unit_id(unit);
  m.set_to_position_code("P1");
  return m;
}

tpb::ForbiddenMove Forbid(const std::string& nip, int64_t unit) {
  tpb::ForbiddenMove m;
  m.set_nip(nip);
  m.set_to_unit_id(unit);
  return m;
}

::testing::AssertionResult DeniedOn71(const grpc::Status& st, const std::string& field) {
  if (st.error_code() == grpc::StatusCode::PERMISSION_DENIED &&
      absl::StrContains(st.error_message(), "may not act on agency 73.71") &&
      absl::StartsWith(st.error_message(), field + ": ")) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected PERMISSION_DENIED \"" << field
         << ": caller of agency 73.72 may not act on agency 73.71\", got "
         << static_cast<int>(st.error_code()) << " " << st.error_message();
}

// Issue 15 item 3: CreatePolicy pinning or forbidding a move of another agency's employee, or
// to another agency's unit, under the caller's own agency code (the ids were not checked).
TEST_F(CrossAgencyWriteTest, CreatePolicyPinningOrForbiddingAnotherAgencysIdIsRefused) {
  const std::vector<tpb::Policy> before71 = PoliciesOf("73.71");
  const std::vector<tpb::Policy> before72 = PoliciesOf("73.72");
  struct Case {
    tpb::Policy policy;
    std::string field;
  };
  std::vector<Case> cases;
  {
    Case c{Policy72("pin pegawai 73.71"), "policy.rules.pinned[1].nip"};
    *c.policy.mutable_rules()->add_pinned() = Pin(kNips72[0], 21);
    *c.policy.mutable_rules()->add_pinned() = Pin(kNip71, 21);
    cases.push_back(c);
  }
  {
    Case c{Policy72("pin ke unit 73.71"), "policy.rules.pinned[0].to_unit_id"};
    *c.policy.mutable_rules()->add_pinned() = Pin(kNips72[0], 1);
    cases.push_back(c);
  }
  {
    Case c{Policy72("larang pegawai 73.71"), "policy.rules.forbidden[0].nip"};
    *c.policy.mutable_rules()->add_forbidden() = Forbid(kNip71, 0);
    cases.push_back(c);
  }
  {
    Case c{Policy72("larang ke unit 73.71"), "policy.rules.forbidden[1].to_unit_id"};
    *c.policy.mutable_rules()->add_forbidden() = Forbid(kNips72[1], 21);
    *c.policy.mutable_rules()->add_forbidden() = Forbid(kNips72[0], 1);
    cases.push_back(c);
  }
  {
    // Eleven unknown units first: past ten misses, one listing of every agency's units.
    Case c{Policy72("banyak unit"), "policy.rules.forbidden[11].to_unit_id"};
    for (int64_t unit = 900; unit <= 910; ++unit) {
      *c.policy.mutable_rules()->add_forbidden() = Forbid(kNips72[0], unit);
    }
    *c.policy.mutable_rules()->add_forbidden() = Forbid(kNips72[0], 1);
    cases.push_back(c);
  }
  for (const Case& c : cases) {
    tpb::CreatePolicyRequest req;
    *req.mutable_policy() = c.policy;
    tpb::CreatePolicyResponse resp;
    EXPECT_TRUE(DeniedOn71(tstub_->CreatePolicy(Ctx(operator72_).get(), req, &resp), c.field))
        << c.policy.name();
  }
  ExpectSame(before71, PoliciesOf("73.71"));
  ExpectSame(before72, PoliciesOf("73.72"));

  // Its own employees and units are accepted; an unknown NIP or unit is INVALID_ARGUMENT
  // naming each field.
  tpb::CreatePolicyRequest own;
  *own.mutable_policy() = Policy72("milik sendiri");
  *own.mutable_policy()->mutable_rules()->add_pinned() = Pin(kNips72[0], 21);
  *own.mutable_policy()->mutable_rules()->add_forbidden() = Forbid(kNips72[1], 21);
  *own.mutable_policy()->mutable_rules()->add_forbidden() = Forbid(kNips72[2], 0);
  tpb::CreatePolicyResponse created;
  grpc::Status st = tstub_->CreatePolicy(Ctx(operator72_).get(), own, &created);
  EXPECT_TRUE(st.ok()) << st.error_message();
  *own.mutable_policy()->mutable_rules()->add_pinned() = Pin("199001012015011099", 21);
  *own.mutable_policy()->mutable_rules()->add_forbidden() = Forbid(kNips72[3], 999);
  st = tstub_->CreatePolicy(Ctx(operator72_).get(), own, &created);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_TRUE(absl::StrContains(st.error_message(), "policy.rules.pinned[1].nip"))
      << st.error_message();
  EXPECT_TRUE(absl::StrContains(st.error_message(), "policy.rules.forbidden[2].to_unit_id"))
      << st.error_message();
  EXPECT_EQ(PoliciesOf("73.72").size(), before72.size() + 1);
}

// Issue 15 item 3, issue 17 item 9: an admin spans agencies, but a plan covers one agency, so a
// policy's pins and forbids name its own agency's employees and units whoever writes it (there
// is no cross-agency setting): another agency's is INVALID_ARGUMENT naming each field, on create
// and on update, and nothing is stored.
TEST_F(CrossAgencyWriteTest, AdminPolicyNamingAnotherAgencysIdIsRefused) {
  const std::vector<tpb::Policy> before72 = PoliciesOf("73.72");
  tpb::CreatePolicyRequest req;
  *req.mutable_policy() = Policy72("lintas instansi");
  *req.mutable_policy()->mutable_rules()->add_pinned() = Pin(kNip71, 21);
  *req.mutable_policy()->mutable_rules()->add_forbidden() = Forbid(kNips72[0], 1);
  tpb::CreatePolicyResponse resp;
  grpc::Status st = tstub_->CreatePolicy(Ctx(admin_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_TRUE(absl::StrContains(st.error_message(), "policy.rules.pinned[0].nip"))
      << st.error_message();
  EXPECT_TRUE(absl::StrContains(st.error_message(), "policy.rules.forbidden[0].to_unit_id"))
      << st.error_message();
  EXPECT_TRUE(absl::StrContains(st.error_message(), "a plan covers one agency"))
      << st.error_message();
  ExpectSame(before72, PoliciesOf("73.72"));

  const tpb::Policy stored = PolicyOf(policy_id_);
  for (const bool unit : {false, true}) {
    tpb::UpdatePolicyRequest update;
    *update.mutable_policy() = stored;
    *update.mutable_policy()->mutable_rules()->add_pinned() =
        unit ? Pin(kNips72[0], 1) : Pin(kNip71, 21);
    tpb::UpdatePolicyResponse updated;
    st = tstub_->UpdatePolicy(Ctx(admin_).get(), update, &updated);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_TRUE(absl::StrContains(st.error_message(), unit ? "policy.rules.pinned[0].to_unit_id"
                                                           : "policy.rules.pinned[0].nip"))
        << st.error_message();
  }
  ExpectSame(stored, PolicyOf(policy_id_));
}

// Issue 15 item 3: UpdatePolicy of the caller's own policy adding a pinned or forbidden move of
// another agency's employee, or to another agency's unit.
TEST_F(CrossAgencyWriteTest, UpdatePolicyPinningOrForbiddingAnotherAgencysIdIsRefused) {
  const tpb::Policy before = PolicyOf(policy_id_);
  const std::vector<tpb::Policy> before71 = PoliciesOf("73.71");
  auto attempt = [&](const std::function<void(tpb::HardRules*)>& change, const std::string& field) {
    tpb::UpdatePolicyRequest req;
    *req.mutable_policy() = before;
    change(req.mutable_policy()->mutable_rules());
    tpb::UpdatePolicyResponse resp;
    EXPECT_TRUE(DeniedOn71(tstub_->UpdatePolicy(Ctx(operator72_).get(), req, &resp), field));
  };
  attempt([](tpb::HardRules* r) { *r->add_pinned() = Pin(kNip71, 21); },
          "policy.rules.pinned[0].nip");
  attempt([](tpb::HardRules* r) { *r->add_pinned() = Pin(kNips72[0], 1); },
          "policy.rules.pinned[0].to_unit_id");
  attempt([](tpb::HardRules* r) { *r->add_forbidden() = Forbid(kNip71, 21); },
          "policy.rules.forbidden[0].nip");
  attempt([](tpb::HardRules* r) { *r->add_forbidden() = Forbid(kNips72[0], 1); },
          "policy.rules.forbidden[0].to_unit_id");
  ExpectSame(before, PolicyOf(policy_id_));
  ExpectSame(before71, PoliciesOf("73.71"));
}

// Issue 15 item 3: SubmitPreferences of the caller's own agency's employee preferring or
// avoiding another agency's unit (the unit ids were not checked), by an operator or by the
// employee; the stored preference stays as it was.
TEST_F(CrossAgencyWriteTest, SubmitPreferencesNamingAnotherAgencysUnitIsRefused) {
  const std::string mover = Token(Role::kEmployee, "73.72", move_.nip());
  tpb::SubmitPreferencesRequest req;
  auto* p = req.mutable_preference();
  p->set_nip(move_.nip());
  p->set_agency_code("73.72");
  p->add_preferred_unit_ids(21);
  p->set_reason("dekat rumah");
  *p->mutable_valid_until() = D(2027, 1, 1);
  tpb::SubmitPreferencesResponse resp;
  grpc::Status st = tstub_->SubmitPreferences(Ctx(mover).get(), req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const std::vector<tpb::Preference> before71 = PreferencesOf("73.71");
  const std::vector<tpb::Preference> before72 = PreferencesOf("73.72");
  ASSERT_EQ(before72.size(), 1u);

  p->add_preferred_unit_ids(1);
  p->set_reason("pindah ke 73.71");
  EXPECT_TRUE(DeniedOn71(tstub_->SubmitPreferences(Ctx(operator72_).get(), req, &resp),
                         "preference.preferred_unit_ids[1]"));
  EXPECT_TRUE(DeniedOn71(tstub_->SubmitPreferences(Ctx(mover).get(), req, &resp),
                         "preference.preferred_unit_ids[1]"));
  p->clear_preferred_unit_ids();
  p->add_avoided_unit_ids(1);
  EXPECT_TRUE(DeniedOn71(tstub_->SubmitPreferences(Ctx(operator72_).get(), req, &resp),
                         "preference.avoided_unit_ids[0]"));
  // An unknown unit is INVALID_ARGUMENT naming it.
  p->clear_avoided_unit_ids();
  p->add_preferred_unit_ids(999);
  st = tstub_->SubmitPreferences(Ctx(operator72_).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_TRUE(absl::StrContains(st.error_message(), "preference.preferred_unit_ids[0]"))
      << st.error_message();
  ExpectSame(before71, PreferencesOf("73.71"));
  ExpectSame(before72, PreferencesOf("73.72"));
}

// Issue 15 item 3: CreatePlan naming another agency's policy (was INVALID_ARGUMENT) or
// analysis run (was FAILED_PRECONDITION, after reading that run).
TEST_F(CrossAgencyWriteTest, CreatePlanWithAnotherAgencysPolicyOrRunIsRefused) {
  const std::vector<tpb::PlanSummary> before71 = PlansOf("73.71");
  const std::vector<tpb::PlanSummary> before72 = PlansOf("73.72");
  tpb::CreatePolicyRequest preq;
  preq.mutable_policy()->set_agency_code("73.71");
  preq.mutable_policy()->set_name("milik 73.71");
  tpb::CreatePolicyResponse own;
  grpc::Status st = tstub_->CreatePolicy(Ctx(operator71_).get(), preq, &own);
  ASSERT_TRUE(st.ok()) << st.error_message();

  auto create = [&](const std::string& policy) {
    tpb::CreatePlanRequest req;
    req.set_agency_code("73.71");
    req.set_analysis_run_id(run_id_);
    req.set_policy_id(policy);
    *req.mutable_effective_date() = D(2026, 3, 1);
    auto ctx = Ctx(operator71_, "", 60);
    auto reader = tstub_->CreatePlan(ctx.get(), req);
    tpb::CreatePlanResponse ev;
    while (reader->Read(&ev)) EXPECT_FALSE(ev.has_plan());
    return reader->Finish();
  };
  st = create(policy_id_);
  EXPECT_TRUE(Refused(st));
  st = create(own.policy().id());
  EXPECT_TRUE(Refused(st));
  ExpectSame(before71, PlansOf("73.71"));
  ExpectSame(before72, PlansOf("73.72"));
}

// Issue 15 item 3: SubmitPlan of another agency's plan.
TEST_F(CrossAgencyWriteTest, SubmitPlanOfAnotherAgencysPlanIsRefused) {
  ExpectPlanDecisionRefused(&TStub::SubmitPlan, operator71_);
}

// Issue 15 item 3: ApprovePlan of another agency's plan by an approver.
TEST_F(CrossAgencyWriteTest, ApprovePlanOfAnotherAgencysPlanIsRefused) {
  ExpectPlanDecisionRefused(&TStub::ApprovePlan, approver71_);
}

// Issue 15 item 3: RejectPlan of another agency's plan by an approver.
TEST_F(CrossAgencyWriteTest, RejectPlanOfAnotherAgencysPlanIsRefused) {
  ExpectPlanDecisionRefused(&TStub::RejectPlan, approver71_);
}

// Issue 15 item 3: CancelPlan of another agency's plan.
TEST_F(CrossAgencyWriteTest, CancelPlanOfAnotherAgencysPlanIsRefused) {
  ExpectPlanDecisionRefused(&TStub::CancelPlan, operator71_);
}

// Issue 15 item 3: RevisePlan of another agency's plan.
TEST_F(CrossAgencyWriteTest, RevisePlanOfAnotherAgencysPlanIsRefused) {
  const std::vector<tpb::PlanSummary> before = PlansOf("73.72");
  tpb::RevisePlanRequest req;
  req.set_plan_id(plan_id_);
  auto ctx = Ctx(operator71_, "", 60);
  auto reader = tstub_->RevisePlan(ctx.get(), req);
  tpb::RevisePlanResponse ev;
  while (reader->Read(&ev)) EXPECT_FALSE(ev.has_plan());
  EXPECT_TRUE(Refused(reader->Finish()));
  ExpectSame(before, PlansOf("73.72"));
  EXPECT_TRUE(PlansOf("73.71").empty());
}

// Issue 15 item 3: ExecutePlan of another agency's plan.
TEST_F(CrossAgencyWriteTest, ExecutePlanOfAnotherAgencysPlanIsRefused) {
  const tpb::PlanSummary before = PlanOf(plan_id_);
  const tpb::Execution execution = ExecutionOf(plan_id_);
  const ppb::Employee mover = EmployeeOf(move_.nip());
  tpb::ExecutePlanRequest req;
  req.set_plan_id(plan_id_);
  tpb::ExecutePlanResponse resp;
  EXPECT_TRUE(Refused(tstub_->ExecutePlan(Ctx(operator71_).get(), req, &resp)));
  ExpectSame(before, PlanOf(plan_id_));
  ExpectSame(execution, ExecutionOf(plan_id_));
  ExpectSame(mover, EmployeeOf(move_.nip()));
}

// Issue 15 item 3: FileObjection on another agency's plan, by its operator or by an employee
// of the other agency (not their move).
TEST_F(CrossAgencyWriteTest, FileObjectionOnAnotherAgencysMoveIsRefused) {
  tpb::FileObjectionRequest req;
  req.set_plan_id(plan_id_);
  req.set_move_id(move_.id());
  req.set_reason("bukan urusan saya");
  tpb::FileObjectionResponse resp;
  EXPECT_TRUE(Refused(tstub_->FileObjection(Ctx(operator71_).get(), req, &resp)));
  const std::string employee71 = Token(Role::kEmployee, "73.71", kNip71);
  EXPECT_TRUE(Refused(tstub_->FileObjection(Ctx(employee71).get(), req, &resp)));
  EXPECT_TRUE(ObjectionsOf(plan_id_).empty());
}

// Issue 15 item 3: ResolveObjection of another agency's objection.
TEST_F(CrossAgencyWriteTest, ResolveObjectionOfAnotherAgencyIsRefused) {
  const std::string objection = FileObjectionAsMover();
  ASSERT_FALSE(objection.empty());
  const std::vector<tpb::Objection> before = ObjectionsOf(plan_id_);
  tpb::ResolveObjectionRequest req;
  req.set_objection_id(objection);
  req.set_accept(true);
  req.set_note("diterima");
  tpb::ResolveObjectionResponse resp;
  EXPECT_TRUE(Refused(tstub_->ResolveObjection(Ctx(approver71_).get(), req, &resp)));
  ExpectSame(before, ObjectionsOf(plan_id_));
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].state(), tpb::OBJECTION_STATE_OPEN);
}

}  // namespace
}  // namespace seimbang::authz
