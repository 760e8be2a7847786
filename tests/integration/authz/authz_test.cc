// Authorisation across the three services, end to end on SQLite with HS256 tokens:
// the permission tables cover exactly the RPCs that exist, every role gets the
// table's verdict on every RPC, an agency's data stays with its agency, every
// mutation leaves an audit row, and logs and metrics carry no NIP and no token.
#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/permissions.h"
#include "common/auth/verifier.h"
#include "google/protobuf/descriptor.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "services/personnel/permissions.h"
#include "services/transfer/service.h"
#include "services/workload/permissions.h"
#include "tests/integration/authz/three_services.h"
#include "tests/support/http.h"

namespace seimbang::authz {
namespace {

using auth::Role;

const std::vector<Role> kRoles = {Role::kAdmin,  Role::kOperator, Role::kApprover,
                                  Role::kViewer, Role::kEmployee, Role::kService};

// The token a role gets in the matrix: agency-bound roles belong to 73.71.
std::string MatrixToken(Role role) {
  switch (role) {
    case Role::kAdmin:
    case Role::kService:
      return Token(role);
    case Role::kEmployee:
      return Token(role, "73.71", kNip71);
    default:
      return Token(role, "73.71");
  }
}

bool Refused(const grpc::Status& st) {
  return st.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
         st.error_code() == grpc::StatusCode::NOT_FOUND;
}

// The exact message of the auth processor's denial (common/auth/permissions.cc).
std::string ProcessorDenial(Role role, const std::string& method) {
  return absl::StrCat("role ", std::string(auth::RoleName(role)), " may not call ", method);
}

// Reads `reader` to its end: its status, and in *read how many messages came.
template <typename Message>
grpc::Status ReadToEnd(grpc::ClientReader<Message>& reader, int* read) {
  Message m;
  *read = 0;
  while (reader.Read(&m)) ++*read;
  return reader.Finish();
}

// One call of any shape through the generic API: an empty request message (a
// valid message of every type) unless client-streaming, where nothing is sent;
// responses are read until the end.
grpc::Status GenericCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                         bool client_streaming, const std::string& token) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto call = stub.PrepareCall(&ctx, method, &cq);
  void* tag;
  bool ok = false;
  auto step = [&](intptr_t want) {
    EXPECT_TRUE(cq.Next(&tag, &ok));
    EXPECT_EQ(reinterpret_cast<intptr_t>(tag), want);
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  bool alive = step(1);
  if (alive && !client_streaming) {
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    call->Write(request, reinterpret_cast<void*>(2));
    alive = step(2);
  }
  if (alive) {
    call->WritesDone(reinterpret_cast<void*>(3));
    alive = step(3);
  }
  while (alive) {
    grpc::ByteBuffer response;
    call->Read(&response, reinterpret_cast<void*>(4));
    alive = step(4);
  }
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  step(5);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return status;
}

TEST(PermissionTables, CoverEveryRpcOfEachServiceAndNothingElse) {
  struct Case {
    std::string service;
    auth::PermissionTable table;
  };
  std::vector<Case> cases = {{kPersonnel, personnel::PersonnelPermissions()},
                             {kWorkload, workload::WorkloadPermissions()},
                             {kTransfer, transfer::TransferPermissions()}};
  for (const Case& c : cases) {
    const std::vector<std::string> rpcs = DescriptorMethods(c.service);
    ASSERT_GT(rpcs.size(), 10u) << c.service << " has no descriptor";
    for (const std::string& rpc : rpcs) {
      EXPECT_TRUE(c.table.Contains(rpc)) << rpc << " is missing from the permission table";
    }
    for (const std::string& entry : c.table.Methods()) {
      EXPECT_NE(std::find(rpcs.begin(), rpcs.end(), entry), rpcs.end())
          << entry << " is in the table but is not an RPC of " << c.service;
    }
    // Audit reads are for admins only in every service.
    const std::string audit = absl::StrCat("/", c.service, "/ListAuditEvents");
    for (Role role : kRoles) {
      EXPECT_EQ(c.table.Check(audit, role).ok(), role == Role::kAdmin) << audit;
    }
  }
}

// Every test below runs against the three binaries of three_services.h.
class AuthzTest : public ThreeServicesTest {
 protected:
  // Calls the unary `rpc` (named `method`) of `stub` with `req` as the operator of 73.71 and
  // asserts it is refused; returns the response, for checks that nothing leaked.
  template <typename Stub, typename Req, typename Resp>
  Resp ExpectRefusedTo71(Stub& stub,
                         grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Req&, Resp*),
                         const std::string& method, const Req& req) {
    Resp resp;
    const grpc::Status st = (stub.*rpc)(Ctx(operator71_).get(), req, &resp);
    EXPECT_TRUE(Refused(st)) << method << ": " << st.error_code() << " " << st.error_message();
    return resp;
  }

  // Asserts the server stream `reader` sends nothing and ends PERMISSION_DENIED.
  template <typename Message>
  void ExpectDeniedWithNothingSent(grpc::ClientReader<Message>& reader) {
    int leaked = 0;
    const grpc::Status st = ReadToEnd(reader, &leaked);
    EXPECT_EQ(leaked, 0);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  }
};

TEST_F(AuthzTest, EveryRoleGetsTheTablesVerdictOnEveryRpcOfEveryService) {
  struct Svc {
    std::string name;
    auth::PermissionTable table;
    std::shared_ptr<grpc::Channel> channel;
  };
  std::vector<Svc> services = {{kPersonnel, personnel::PersonnelPermissions(), channels_[0]},
                               {kWorkload, workload::WorkloadPermissions(), channels_[1]},
                               {kTransfer, transfer::TransferPermissions(), channels_[2]}};
  int calls = 0;
  for (const Svc& s : services) {
    const auto* desc =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(s.name);
    ASSERT_NE(desc, nullptr);
    for (int i = 0; i < desc->method_count(); ++i) {
      const auto* m = desc->method(i);
      const std::string path = absl::StrCat("/", s.name, "/", m->name());
      for (Role role : kRoles) {
        const grpc::Status st =
            GenericCall(s.channel, path, m->client_streaming(), MatrixToken(role));
        ++calls;
        const std::string where =
            absl::StrCat(path, " as ", std::string(auth::RoleName(role)), ": ",
                         static_cast<int>(st.error_code()), " ", st.error_message());
        EXPECT_NE(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << where;
        if (s.table.Check(path, role).ok()) {
          // Handlers may still refuse on scope, but never with the processor's words.
          EXPECT_NE(st.error_message(), ProcessorDenial(role, path)) << where;
          EXPECT_NE(st.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << where;
        } else {
          EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << where;
          EXPECT_EQ(st.error_message(), ProcessorDenial(role, path)) << where;
        }
      }
    }
  }
  EXPECT_GT(calls, 300);
  // Without a token nothing but health and reflection is served.
  grpc::ClientContext ctx;
  ppb::ListAgenciesResponse resp;
  EXPECT_EQ(pstub_->ListAgencies(&ctx, {}, &resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthzTest, OperatorOfOneAgencySeesNothingOfAnother) {
  Seed();
  const std::string nip72 = kNips72[0];
  grpc::Status st;
  // personnel: one employee, units, filters and streams of 73.72.
  {
    ppb::GetEmployeeRequest req;
    req.set_nip(nip72);
    ExpectRefusedTo71(*pstub_, &PStub::GetEmployee, "GetEmployee", req);
  }
  {
    ppb::GetUnitRequest req;
    req.set_id(20);
    ExpectRefusedTo71(*pstub_, &PStub::GetUnit, "GetUnit", req);
  }
  {
    ppb::ListUnitsRequest req;
    req.set_agency_code("73.72");
    ppb::ListUnitsResponse resp;
    st = pstub_->ListUnits(Ctx(operator71_).get(), req, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
    EXPECT_EQ(st.error_message(), "caller of agency 73.71 may not act on agency 73.72");
  }
  {
    ppb::StreamEmployeesRequest req;
    req.mutable_filter()->set_agency_code("73.72");
    auto ctx = Ctx(operator71_);
    ExpectDeniedWithNothingSent(*pstub_->StreamEmployees(ctx.get(), req));
  }
  {
    // A subtree of 73.72 without naming the agency: the operator's own scope applies.
    ppb::StreamEmployeesRequest req;
    req.mutable_filter()->set_unit_subtree(20);
    auto ctx = Ctx(operator71_);
    auto reader = pstub_->StreamEmployees(ctx.get(), req);
    ppb::StreamEmployeesResponse m;
    while (reader->Read(&m)) {
      ADD_FAILURE() << "StreamEmployees leaked an employee of " << m.employee().agency_code();
    }
    st = reader->Finish();
    EXPECT_TRUE(st.ok() || Refused(st)) << st.error_message();
  }
  {
    ppb::BatchGetEmployeesRequest req;
    req.add_nips(nip72);
    req.add_nips(kNip71);
    ppb::BatchGetEmployeesResponse resp;
    st = pstub_->BatchGetEmployees(Ctx(operator71_).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_EQ(resp.employees_size(), 1);
    EXPECT_EQ(resp.employees(0).nip(), kNip71);
    ASSERT_EQ(resp.not_found_size(), 1);
  }
  {
    ppb::WatchChangesRequest req;
    req.set_agency_code("73.72");
    auto ctx = Ctx(operator71_);
    ExpectDeniedWithNothingSent(*pstub_->WatchChanges(ctx.get(), req));
  }
  {
    ppb::GetStaffingRequest req;
    req.set_agency_code("73.72");
    *req.mutable_as_of() = D(2026, 1, 1);
    ppb::GetStaffingResponse resp;
    st = pstub_->GetStaffing(Ctx(operator71_).get(), req, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  }
  {
    // Import: a new employee into a 73.72 unit and an update of a 73.72 employee are
    // rejected rows; 73.72's data is unchanged.
    std::vector<ppb::ImportRecordsRequest> rows = {EmployeeRow("199001012015011005", 20),
                                                   EmployeeRow(nip72, 21)};
    rows[0].set_sequence(1);
    rows[1].set_sequence(2);
    ppb::ImportRecordsResponse resp;
    st = testing::ImportRecords(*pstub_, rows, operator71_, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(resp.summary().rejected(), 2) << resp.ShortDebugString();
    EXPECT_EQ(resp.summary().inserted() + resp.summary().updated(), 0);
    ppb::GetEmployeeRequest get;
    get.set_nip(nip72);
    ppb::GetEmployeeResponse got;
    ASSERT_TRUE(pstub_->GetEmployee(Ctx(admin_).get(), get, &got).ok());
    EXPECT_EQ(got.employee().unit_id(), 20);
  }
  // workload: the 73.72 run and workloads.
  {
    wpb::GetAnalysisRequest req;
    req.set_run_id(run_id_);
    const wpb::GetAnalysisResponse resp =
        ExpectRefusedTo71(*wstub_, &WStub::GetAnalysis, "GetAnalysis", req);
    EXPECT_EQ(resp.ByteSizeLong(), 0u);
  }
  {
    wpb::ListAnalysesRequest req;
    req.set_agency_code("73.72");
    ExpectRefusedTo71(*wstub_, &WStub::ListAnalyses, "ListAnalyses", req);
  }
  {
    wpb::GetWorkloadRequest req;
    req.set_unit_id(21);
    req.set_position_code("P1");
    ExpectRefusedTo71(*wstub_, &WStub::GetWorkload, "GetWorkload", req);
  }
  // transfer: the 73.72 plan, its moves, its export, its policy.
  {
    tpb::GetPlanRequest req;
    req.set_plan_id(plan_id_);
    ExpectRefusedTo71(*tstub_, &TStub::GetPlan, "GetPlan", req);
  }
  {
    tpb::ListMovesRequest req;
    req.set_plan_id(plan_id_);
    const tpb::ListMovesResponse resp =
        ExpectRefusedTo71(*tstub_, &TStub::ListMoves, "ListMoves", req);
    EXPECT_EQ(resp.moves_size(), 0);
  }
  {
    tpb::ExplainMoveRequest req;
    req.set_plan_id(plan_id_);
    req.set_move_id(move_.id());
    ExpectRefusedTo71(*tstub_, &TStub::ExplainMove, "ExplainMove", req);
  }
  {
    tpb::ListPlansRequest req;
    req.set_agency_code("73.72");
    ExpectRefusedTo71(*tstub_, &TStub::ListPlans, "ListPlans", req);
  }
  {
    tpb::ExportPlanRequest req;
    req.set_plan_id(plan_id_);
    req.set_format(tpb::EXPORT_FORMAT_CSV);
    auto ctx = Ctx(operator71_);
    auto reader = tstub_->ExportPlan(ctx.get(), req);
    int leaked = 0;
    st = ReadToEnd(*reader, &leaked);
    EXPECT_EQ(leaked, 0);
    EXPECT_TRUE(Refused(st)) << "ExportPlan: " << st.error_code() << " " << st.error_message();
  }
  {
    tpb::GetPolicyRequest req;
    req.set_id(policy_id_);
    ExpectRefusedTo71(*tstub_, &TStub::GetPolicy, "GetPolicy", req);
  }
  {
    tpb::FileObjectionRequest req;
    req.set_plan_id(plan_id_);
    req.set_move_id(move_.id());
    req.set_reason("bukan urusan saya");
    ExpectRefusedTo71(*tstub_, &TStub::FileObjection, "FileObjection", req);
  }
  {
    tpb::SubmitPreferencesRequest req;
    auto* p = req.mutable_preference();
    p->set_nip(nip72);
    p->set_agency_code("73.72");
    p->add_preferred_unit_ids(21);
    *p->mutable_valid_until() = D(2027, 1, 1);
    ExpectRefusedTo71(*tstub_, &TStub::SubmitPreferences, "SubmitPreferences", req);
  }
}

// A List RPC without an agency reads the caller's own agency, or every agency for an admin, in
// all three services (auth::ListAgency): the seed's units, analysis and plan are 73.72's, so an
// operator of 73.72 sees them, an operator of 73.71 sees none of them, and the admin sees them.
TEST_F(AuthzTest, AListWithoutAnAgencyReadsTheCallersOwnOrEveryAgencyForAnAdmin) {
  Seed();
  const std::string operator72 = Token(auth::Role::kOperator, "73.72");
  // The keys of what one List call without agency_code returns to a token.
  const auto keys = [](const grpc::Status& st, const auto& items, auto key) {
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::set<std::string> out;
    for (const auto& item : items) out.insert(key(item));
    return out;
  };
  const auto units = [&](const std::string& token) {
    ppb::ListUnitsRequest req;
    ppb::ListUnitsResponse resp;
    grpc::Status st = pstub_->ListUnits(Ctx(token).get(), req, &resp);
    return keys(st, resp.units(), [](const ppb::Unit& u) { return u.agency_code(); });
  };
  const auto analyses = [&](const std::string& token) {
    wpb::ListAnalysesResponse resp;
    grpc::Status st = wstub_->ListAnalyses(Ctx(token).get(), {}, &resp);
    return keys(st, resp.runs(), [](const wpb::AnalysisSummary& r) { return r.run_id(); });
  };
  const auto plans = [&](const std::string& token) {
    tpb::ListPlansResponse resp;
    grpc::Status st = tstub_->ListPlans(Ctx(token).get(), {}, &resp);
    return keys(st, resp.plans(), [](const tpb::PlanSummary& p) { return p.id(); });
  };
  EXPECT_EQ(units(operator71_), std::set<std::string>({"73.71"}));
  EXPECT_EQ(units(operator72), std::set<std::string>({"73.72"}));
  EXPECT_EQ(units(admin_), std::set<std::string>({"73.71", "73.72"}));
  EXPECT_TRUE(analyses(operator71_).empty());
  EXPECT_EQ(analyses(operator72), std::set<std::string>({run_id_}));
  EXPECT_EQ(analyses(admin_), std::set<std::string>({run_id_}));
  EXPECT_TRUE(plans(operator71_).empty());
  EXPECT_EQ(plans(operator72), std::set<std::string>({plan_id_}));
  EXPECT_EQ(plans(admin_), std::set<std::string>({plan_id_}));
}

TEST_F(AuthzTest, EmployeeActsOnlyOnTheirOwnRecordMovesAndPreferences) {
  Seed();
  const std::string mover = Token(Role::kEmployee, "73.72", move_.nip());
  const std::string bystander = Token(Role::kEmployee, "73.72", NipNotOnMove());
  grpc::Status st;
  {
    ppb::GetEmployeeRequest req;
    req.set_nip(NipNotOnMove());
    ppb::GetEmployeeResponse resp;
    st = pstub_->GetEmployee(Ctx(mover).get(), req, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
    ppb::ListPlacementHistoryRequest hreq;
    hreq.set_nip(NipNotOnMove());
    ppb::ListPlacementHistoryResponse hist;
    st = pstub_->ListPlacementHistory(Ctx(mover).get(), hreq, &hist);
    EXPECT_TRUE(Refused(st)) << "ListPlacementHistory: " << st.error_message();
  }
  {
    tpb::FileObjectionRequest req;
    req.set_plan_id(plan_id_);
    req.set_move_id(move_.id());
    req.set_reason("saya merawat orang tua di dekat unit 20");
    tpb::FileObjectionResponse resp;
    st = tstub_->FileObjection(Ctx(bystander).get(), req, &resp);
    EXPECT_TRUE(Refused(st)) << "objection on someone else's move: " << st.error_code() << " "
                             << st.error_message();
    req.set_request_id("authz-objection-1");
    st = tstub_->FileObjection(Ctx(mover).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << "objection on their own move: " << st.error_message();
  }
  {
    tpb::ExplainMoveRequest req;
    req.set_plan_id(plan_id_);
    req.set_move_id(move_.id());
    tpb::ExplainMoveResponse resp;
    st = tstub_->ExplainMove(Ctx(bystander).get(), req, &resp);
    EXPECT_TRUE(Refused(st)) << "ExplainMove of someone else's move: " << st.error_code();
    st = tstub_->ExplainMove(Ctx(mover).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << "ExplainMove of their own move: " << st.error_message();
  }
  {
    tpb::SubmitPreferencesRequest req;
    auto* p = req.mutable_preference();
    p->set_nip(move_.nip());
    p->set_agency_code("73.72");
    p->add_preferred_unit_ids(21);
    *p->mutable_valid_until() = D(2027, 1, 1);
    req.set_request_id("authz-preference-1");
    tpb::SubmitPreferencesResponse resp;
    st = tstub_->SubmitPreferences(Ctx(bystander).get(), req, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
    st = tstub_->SubmitPreferences(Ctx(mover).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    tpb::ListPreferencesRequest list;
    list.set_agency_code("73.72");
    tpb::ListPreferencesResponse prefs;
    st = tstub_->ListPreferences(Ctx(bystander).get(), list, &prefs);
    if (st.ok()) {
      for (const auto& pref : prefs.preferences()) {
        EXPECT_EQ(pref.nip(), NipNotOnMove()) << "an employee listed someone else's preference";
      }
    }
  }
}

TEST_F(AuthzTest, EveryMutationLeavesAnAuditRowWithWhoWhatAndRequestId) {
  Seed();
  struct Want {
    int service;
    std::string method;
    std::string request_id;
  };
  // Those carrying request_id in the message and ImportRecords its x-request-id.
  const std::vector<Want> wants = {
      {0, absl::StrCat("/", kPersonnel, "/ImportRecords"), "authz-import-1"},
      {1, absl::StrCat("/", kWorkload, "/UpsertWorkload"), "authz-upsert-20"},
      {1, absl::StrCat("/", kWorkload, "/UpsertWorkload"), "authz-upsert-21"},
      {1, absl::StrCat("/", kWorkload, "/RunAnalysis"), "authz-run-1"},
      {2, absl::StrCat("/", kTransfer, "/CreatePolicy"), "authz-policy-1"},
      {2, absl::StrCat("/", kTransfer, "/CreatePlan"), "authz-plan-1"},
      {2, absl::StrCat("/", kTransfer, "/SubmitPlan"), "authz-submit-1"},
  };
  std::vector<std::vector<cpb::AuditEvent>> events = {Audit(0), Audit(1), Audit(2)};
  for (const Want& w : wants) {
    bool found = false;
    for (const cpb::AuditEvent& e : events[w.service]) {
      if (e.method() != w.method || e.request_id() != w.request_id) continue;
      found = true;
      EXPECT_EQ(e.subject(), "authz-admin") << e.ShortDebugString();
      EXPECT_EQ(e.role(), "admin") << e.ShortDebugString();
      EXPECT_FALSE(e.resource().empty()) << e.ShortDebugString();
      EXPECT_GT(e.time_ms(), 0) << e.ShortDebugString();
    }
    EXPECT_TRUE(found) << "no audit row for " << w.method << " request " << w.request_id;
  }
  // No audit row carries a full NIP.
  for (const auto& rows : events) {
    for (const cpb::AuditEvent& e : rows) {
      for (const std::string& nip : AllNips()) {
        EXPECT_FALSE(absl::StrContains(e.ShortDebugString(), nip)) << e.ShortDebugString();
      }
    }
  }

  // Employee mutations in transfer: the preference and the objection, by the mover,
  // with the NIP masked in the resource.
  const std::string mover = Token(Role::kEmployee, "73.72", move_.nip());
  tpb::SubmitPreferencesRequest pref;
  pref.mutable_preference()->set_nip(move_.nip());
  pref.mutable_preference()->set_agency_code("73.72");
  pref.mutable_preference()->add_avoided_unit_ids(21);
  *pref.mutable_preference()->mutable_valid_until() = D(2027, 1, 1);
  pref.set_request_id("authz-preference-2");
  tpb::SubmitPreferencesResponse pref_resp;
  grpc::Status st = tstub_->SubmitPreferences(Ctx(mover).get(), pref, &pref_resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  tpb::FileObjectionRequest obj;
  obj.set_plan_id(plan_id_);
  obj.set_move_id(move_.id());
  obj.set_reason("jarak");
  obj.set_request_id("authz-objection-2");
  tpb::FileObjectionResponse obj_resp;
  st = tstub_->FileObjection(Ctx(mover).get(), obj, &obj_resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const std::string subject = absl::StrCat("authz-employee-73.72");
  for (const auto& [method, rid] :
       {std::pair{absl::StrCat("/", kTransfer, "/SubmitPreferences"), "authz-preference-2"},
        std::pair{absl::StrCat("/", kTransfer, "/FileObjection"), "authz-objection-2"}}) {
    bool found = false;
    for (const cpb::AuditEvent& e : Audit(2)) {
      if (e.method() != method || e.request_id() != rid) continue;
      found = true;
      EXPECT_EQ(e.subject(), subject) << e.ShortDebugString();
      EXPECT_EQ(e.role(), "employee") << e.ShortDebugString();
      EXPECT_FALSE(e.resource().empty()) << e.ShortDebugString();
      EXPECT_FALSE(absl::StrContains(e.resource(), move_.nip())) << e.ShortDebugString();
    }
    EXPECT_TRUE(found) << "no audit row for " << method << " request " << rid;
  }
}

// The audit method filter is bounded in all three services (audit::ListEvents): a full RPC
// name filters, 201 characters is INVALID_ARGUMENT naming the field, not a query.
TEST_F(AuthzTest, AnAuditMethodFilterIsBoundedInAllThreeServices) {
  for (int service : {0, 1, 2}) {
    grpc::Status st;
    Audit(service, "/seimbang.personnel.v1.PersonnelService/CreateEmployee", &st);
    EXPECT_TRUE(st.ok()) << "service " << service << ": " << st.error_message();
    Audit(service, std::string(201, 'm'), &st);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << "service " << service;
    EXPECT_THAT(st.error_message(), ::testing::HasSubstr("method: at most 200 characters"))
        << "service " << service;
  }
}

TEST_F(AuthzTest, MetricsCarryNoNipAfterAFullRun) {
  Seed();
  // Reads of single employees put NIPs in requests (and errors) of every kind.
  for (const std::string& nip : AllNips()) {
    ppb::GetEmployeeRequest req;
    req.set_nip(nip);
    ppb::GetEmployeeResponse resp;
    (void)pstub_->GetEmployee(Ctx(operator71_).get(), req, &resp);
    (void)pstub_->GetEmployee(Ctx(Token(Role::kEmployee, "73.71", kNip71)).get(), req, &resp);
  }
  for (auto* proc : {personnel_, workload_, transfer_}) {
    ASSERT_GT(proc->metrics_port(), 0);
    const std::string metrics = testsupport::HttpGet(proc->metrics_port());
    EXPECT_TRUE(absl::StrContains(metrics, "grpc_server_handled_total")) << proc->address();
    EXPECT_FALSE(absl::StrContains(metrics, "eyJ"));
    for (const std::string& nip : AllNips()) {
      EXPECT_FALSE(absl::StrContains(metrics, nip)) << nip << " in metrics of " << proc->address();
    }
  }
  // The logs are checked in TearDown, as after every test here.
}

}  // namespace
}  // namespace seimbang::authz
