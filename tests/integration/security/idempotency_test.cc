// Idempotency keys over the three real binaries (SQLite and MariaDB): a request_id is scoped to
// the caller (agency; the employee's own NIP for the employee role), the method and the request
// body (common/idempotency). Before issue 15 item 2 a request_id was global: a caller reusing
// another agency's id received that agency's stored response and their own write never happened.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/integration/authz/three_services.h"
#include "tests/support/test_db.h"

namespace seimbang::authz {
namespace {

using auth::Role;

constexpr char kReused[] = "request_id reused with a different request";
// New employees, one per agency (the seed's NIPs are other).
constexpr char kNewNip71[] = "198503122010011005";
constexpr char kNewNip72[] = "199001012015011005";

class IdempotencyTest : public ThreeServicesTest,
                        public ::testing::WithParamInterface<std::string> {
 protected:
  absl::StatusOr<std::string> Dsn(const std::string& prefix) override {
    if (GetParam() == "mariadb") return testsupport::FreshMariaDbDsn(prefix);
    return testsupport::FreshSqliteDsn();
  }

  void SetUp() override {
    ThreeServicesTest::SetUp();
    if (HasFatalFailure()) return;
    Seed();
  }

  static ppb::CreateUnitRequest UnitRequest(const std::string& agency, const std::string& name,
                                            const std::string& request_id) {
    ppb::CreateUnitRequest r;
    r.mutable_unit()->set_agency_code(agency);
    r.mutable_unit()->set_name(name);
    r.mutable_unit()->set_kind(ppb::UNIT_KIND_DINAS);
    r.mutable_unit()->set_active(true);
    r.set_request_id(request_id);
    return r;
  }

  static ppb::CreateEmployeeRequest EmployeeRequest(const std::string& nip, int64_t unit,
                                                    const std::string& request_id) {
    ppb::CreateEmployeeRequest r;
    *r.mutable_employee() = EmployeeRow(nip, unit).employee();
    r.set_request_id(request_id);
    return r;
  }

  static tpb::CreatePolicyRequest PolicyRequest(const std::string& agency, const std::string& name,
                                                const std::string& request_id) {
    tpb::CreatePolicyRequest r;
    r.mutable_policy()->set_agency_code(agency);
    r.mutable_policy()->set_name(name);
    r.mutable_policy()->mutable_rules()->set_max_leave_fraction(0.75);
    r.set_request_id(request_id);
    return r;
  }

  // RunAnalysis to its summary; `st` gets the call's status.
  wpb::AnalysisSummary Run(const std::string& token, const std::string& agency,
                           const std::string& label, const std::string& request_id,
                           grpc::Status* st) {
    wpb::RunAnalysisRequest req;
    req.set_agency_code(agency);
    *req.mutable_as_of() = D(2026, 1, 1);
    req.set_label(label);
    req.set_request_id(request_id);
    wpb::AnalysisSummary summary;
    *st = RunAnalysis(*wstub_, req, Ctx(token, "", 60), &summary);
    return summary;
  }

  int UnitsNamed(const std::string& agency, const std::string& name) {
    ppb::ListUnitsRequest req;
    req.set_agency_code(agency);
    req.set_include_inactive(true);
    req.mutable_page()->set_page_size(500);
    ppb::ListUnitsResponse resp;
    grpc::Status st = pstub_->ListUnits(Ctx(admin_).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    int n = 0;
    for (const auto& u : resp.units()) n += u.name() == name ? 1 : 0;
    return n;
  }

  const std::string op72_ = Token(Role::kOperator, "73.72");
};

// Issue 15 item 2: 73.72 reusing 73.71's CreateUnit request_id gets its own unit created, never
// 73.71's stored unit.
TEST_P(IdempotencyTest, AnotherAgencyReusingACreateUnitIdCreatesItsOwnUnit) {
  ppb::CreateUnitResponse a;
  grpc::Status st =
      pstub_->CreateUnit(Ctx(operator71_).get(), UnitRequest("73.71", "Dinas A", "unit-1"), &a);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ppb::CreateUnitResponse b;
  st = pstub_->CreateUnit(Ctx(op72_).get(), UnitRequest("73.72", "Dinas B", "unit-1"), &b);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(b.unit().agency_code(), "73.72");
  EXPECT_EQ(b.unit().name(), "Dinas B");
  EXPECT_NE(b.unit().id(), a.unit().id());
  EXPECT_EQ(UnitsNamed("73.72", "Dinas B"), 1);
  EXPECT_EQ(UnitsNamed("73.71", "Dinas A"), 1);
}

// Issue 15 item 2: the CreateEmployee of the issue: 73.72's operator reusing 73.71's id gets
// their own employee created and never 73.71's employee record.
TEST_P(IdempotencyTest, AnotherAgencyReusingACreateEmployeeIdCreatesItsOwnEmployee) {
  ppb::CreateEmployeeResponse a;
  grpc::Status st =
      pstub_->CreateEmployee(Ctx(operator71_).get(), EmployeeRequest(kNewNip71, 1, "emp-1"), &a);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ppb::CreateEmployeeResponse b;
  st = pstub_->CreateEmployee(Ctx(op72_).get(), EmployeeRequest(kNewNip72, 20, "emp-1"), &b);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(b.employee().nip(), kNewNip72);
  EXPECT_EQ(b.employee().agency_code(), "73.72");
  EXPECT_FALSE(absl::StrContains(b.SerializeAsString(), kNewNip71));
  ppb::GetEmployeeRequest get;
  get.set_nip(kNewNip72);
  ppb::GetEmployeeResponse got;
  st = pstub_->GetEmployee(Ctx(op72_).get(), get, &got);
  ASSERT_TRUE(st.ok()) << "73.72's own create did not happen: " << st.error_message();
}

// Issue 15 item 2: the same caller, id and body replays the first response and writes once;
// the same id with another body is INVALID_ARGUMENT, not the stored response.
TEST_P(IdempotencyTest, TheSameIdReplaysOnlyTheSameRequest) {
  const ppb::CreateUnitRequest req = UnitRequest("73.71", "Dinas Ulang", "unit-again");
  ppb::CreateUnitResponse first, replay;
  ASSERT_TRUE(pstub_->CreateUnit(Ctx(operator71_).get(), req, &first).ok());
  grpc::Status st = pstub_->CreateUnit(Ctx(operator71_).get(), req, &replay);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(replay.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(UnitsNamed("73.71", "Dinas Ulang"), 1);

  ppb::CreateUnitResponse other;
  st = pstub_->CreateUnit(Ctx(operator71_).get(), UnitRequest("73.71", "Dinas Lain", "unit-again"),
                          &other);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), kReused);
  EXPECT_FALSE(other.has_unit());
  EXPECT_EQ(UnitsNamed("73.71", "Dinas Lain"), 0);

  // Transfer: the same rules for CreatePolicy.
  tpb::CreatePolicyResponse p1, p2, p3;
  ASSERT_TRUE(
      tstub_->CreatePolicy(Ctx(op72_).get(), PolicyRequest("73.72", "ulang", "pol-again"), &p1)
          .ok());
  ASSERT_TRUE(
      tstub_->CreatePolicy(Ctx(op72_).get(), PolicyRequest("73.72", "ulang", "pol-again"), &p2)
          .ok());
  EXPECT_EQ(p2.policy().id(), p1.policy().id());
  st = tstub_->CreatePolicy(Ctx(op72_).get(), PolicyRequest("73.72", "lain", "pol-again"), &p3);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), kReused);
}

// Issue 15 item 2: transfer and workload: 73.71 reusing 73.72's CreatePolicy and RunAnalysis
// ids gets its own policy and its own run, never 73.72's.
TEST_P(IdempotencyTest, AnotherAgencyReusingPolicyAndAnalysisIdsGetsItsOwn) {
  tpb::CreatePolicyResponse p72, p71;
  ASSERT_TRUE(
      tstub_->CreatePolicy(Ctx(op72_).get(), PolicyRequest("73.72", "kebijakan", "pol-1"), &p72)
          .ok());
  grpc::Status st = tstub_->CreatePolicy(Ctx(operator71_).get(),
                                         PolicyRequest("73.71", "kebijakan", "pol-1"), &p71);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(p71.policy().agency_code(), "73.71");
  EXPECT_NE(p71.policy().id(), p72.policy().id());

  const wpb::AnalysisSummary r72 = Run(op72_, "73.72", "analisis", "run-1", &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const wpb::AnalysisSummary r71 = Run(operator71_, "73.71", "analisis", "run-1", &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r71.agency_code(), "73.71");
  EXPECT_NE(r71.run_id(), r72.run_id());
  // The seed's own run (admin, "authz-run-1") is not 73.72's operator's either.
  const wpb::AnalysisSummary again = Run(op72_, "73.72", "", "authz-run-1", &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_NE(again.run_id(), run_id_);
  // 73.72's own retry replays its run; another label under its id is INVALID_ARGUMENT.
  EXPECT_EQ(Run(op72_, "73.72", "analisis", "run-1", &st).run_id(), r72.run_id());
  ASSERT_TRUE(st.ok()) << st.error_message();
  Run(op72_, "73.72", "lain", "run-1", &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), kReused);
}

// Issue 15 item 2: an employee's SubmitPreferences and FileObjection ids are their own: another
// employee reusing them runs their own request (or is refused), never replays the first's.
TEST_P(IdempotencyTest, AnotherEmployeeReusingAnIdDoesNotReplay) {
  const std::string other_nip = NipNotOnMove();
  const std::string mover = Token(Role::kEmployee, "73.72", move_.nip());
  const std::string other = Token(Role::kEmployee, "73.72", other_nip);
  auto pref = [](const std::string& nip) {
    tpb::SubmitPreferencesRequest r;
    r.mutable_preference()->set_nip(nip);
    r.mutable_preference()->set_agency_code("73.72");
    r.mutable_preference()->add_preferred_unit_ids(21);
    *r.mutable_preference()->mutable_valid_until() = D(2027, 1, 1);
    r.set_request_id("pref-1");
    return r;
  };
  tpb::SubmitPreferencesResponse a, b;
  grpc::Status st = tstub_->SubmitPreferences(Ctx(mover).get(), pref(move_.nip()), &a);
  ASSERT_TRUE(st.ok()) << st.error_message();
  st = tstub_->SubmitPreferences(Ctx(other).get(), pref(other_nip), &b);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(b.preference().nip(), other_nip);

  tpb::FileObjectionRequest obj;
  obj.set_plan_id(plan_id_);
  obj.set_move_id(move_.id());
  obj.set_reason("saya merawat orang tua di dekat unit 20");
  obj.set_request_id("obj-1");
  tpb::FileObjectionResponse filed, replay, stolen;
  st = tstub_->FileObjection(Ctx(mover).get(), obj, &filed);
  ASSERT_TRUE(st.ok()) << st.error_message();
  st = tstub_->FileObjection(Ctx(mover).get(), obj, &replay);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(replay.objection().id(), filed.objection().id());
  // The same request by another employee runs as theirs: it is not their move.
  st = tstub_->FileObjection(Ctx(other).get(), obj, &stolen);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_FALSE(stolen.has_objection());
}

// Issue 15 item 2: a request_id is bounded (the key column holds 128 bytes).
TEST_P(IdempotencyTest, ARequestIdLongerThan128BytesIsInvalid) {
  ppb::CreateUnitResponse resp;
  grpc::Status st = pstub_->CreateUnit(
      Ctx(operator71_).get(), UnitRequest("73.71", "Dinas Panjang", std::string(129, 'r')), &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(st.error_message(), "request_id: at most 128 bytes"))
      << st.error_message();
  EXPECT_EQ(UnitsNamed("73.71", "Dinas Panjang"), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, IdempotencyTest, ::testing::Values("sqlite", "mariadb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace seimbang::authz
