// The three services started as their real binaries, wired together as in
// production (HS256 tokens, SQLite unless a test picks another engine), with
// the helpers the authorisation and audit tests share: tokens, contexts with
// x-request-id, a seed of two agencies with an analysis and a submitted plan,
// and each service's audit rows.
#ifndef SEIMBANG_TESTS_INTEGRATION_AUTHZ_THREE_SERVICES_H_
#define SEIMBANG_TESTS_INTEGRATION_AUTHZ_THREE_SERVICES_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/claims.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tests/harness/calls.h"
#include "tests/harness/records.h"
#include "tests/harness/service_process.h"
#include "tests/harness/services.h"
#include "tests/harness/workload_records.h"
#include "tests/support/test_db.h"

namespace seimbang::authz {

namespace ppb = ::seimbang::personnel::v1;
namespace wpb = ::seimbang::workload::v1;
namespace tpb = ::seimbang::transfer::v1;
namespace cpb = ::seimbang::common::v1;

using PStub = ppb::PersonnelService::Stub;
using WStub = wpb::WorkloadAnalysisService::Stub;
using TStub = tpb::TransferPlanningService::Stub;

inline constexpr char kSecret[] = "authz-integration-test-secret-0123456789";
inline constexpr char kPersonnel[] = "seimbang.personnel.v1.PersonnelService";
inline constexpr char kWorkload[] = "seimbang.workload.v1.WorkloadAnalysisService";
inline constexpr char kTransfer[] = "seimbang.transfer.v1.TransferPlanningService";

// 73.71 has one employee in unit 1; 73.72 has four in unit 20 and none in unit 21,
// whose workload needs three: the plan moves people from 20 to 21.
inline constexpr char kNip71[] = "198503122010011002";
inline const std::vector<std::string> kNips72 = {"199001012015011001", "199001012015011002",
                                                 "199001012015011003", "199001012015011004"};

// An HS256 token of `role`, subject "authz-<role>[-<agency>]".
std::string Token(auth::Role role, const std::string& agency = "", const std::string& nip = "");

// A context with the bearer token, the x-request-id when non-empty, and a deadline.
std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token,
                                         const std::string& request_id = "", int seconds = 30);

cpb::Date D(int y, int m, int d);

// "/<service>/<Method>" of every method in the service's descriptor.
std::vector<std::string> DescriptorMethods(const std::string& service);

std::string ReadFile(const std::string& path);

// `method` of `stub` called as `token` with `req`: expects OK and returns the response.
template <typename Stub, typename Req, typename Resp>
Resp CallOk(Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
            const std::string& token, const Req& req) {
  Resp resp;
  const grpc::Status st = (stub.*method)(Ctx(token).get(), req, &resp);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return resp;
}

// RunAnalysis streamed to its end on `ctx`: the call's status, the run's summary in *summary.
grpc::Status RunAnalysis(wpb::WorkloadAnalysisService::StubInterface& stub,
                         const wpb::RunAnalysisRequest& req,
                         std::unique_ptr<grpc::ClientContext> ctx, wpb::AnalysisSummary* summary);

class ThreeServicesTest : public ::testing::Test {
 protected:
  // The database of each service: a fresh SQLite file unless a test says otherwise.
  virtual absl::StatusOr<std::string> Dsn(const std::string& /*prefix*/) {
    return testsupport::FreshSqliteDsn();
  }

  void SetUp() override {
    services_ = std::make_unique<::seimbang::testing::TestServices>("three-services", kSecret,
                                                                    Token(auth::Role::kService));
    dir_ = services_->dir();
    auto pdb = Dsn("audit_p");
    auto wdb = Dsn("audit_w");
    auto tdb = Dsn("audit_t");
    for (const auto* dsn : {&pdb, &wdb, &tdb}) ASSERT_TRUE(dsn->ok()) << dsn->status();
    transfer_dsn_ = *tdb;
    const absl::Status st = services_->StartAll(*pdb, *wdb, *tdb);
    personnel_ = services_->personnel();  // TearDown reads the logs of those that started
    workload_ = services_->workload();
    transfer_ = services_->transfer();
    ASSERT_TRUE(st.ok()) << st;
    for (auto* proc : {personnel_, workload_, transfer_}) {
      channels_.push_back(::seimbang::testing::LocalChannel(proc->address()));
    }
    pstub_ = ppb::PersonnelService::NewStub(channels_[0]);
    wstub_ = wpb::WorkloadAnalysisService::NewStub(channels_[1]);
    tstub_ = tpb::TransferPlanningService::NewStub(channels_[2]);
  }

  // For a subclass's SetUp: the services started and Seed()ed; false after a fatal failure.
  bool StartAndSeed() {
    ThreeServicesTest::SetUp();
    if (!HasFatalFailure()) Seed();
    return !HasFatalFailure();
  }

  // Logs of every test's run: no full NIP of the dataset, no JWT. The test's connections close
  // and each caller stops before what it calls: a server with a client still connected takes
  // seconds to shut down.
  void TearDown() override {
    pstub_.reset();
    wstub_.reset();
    tstub_.reset();
    channels_.clear();
    for (auto* proc : {transfer_, workload_, personnel_}) {
      if (proc == nullptr) continue;
      proc->Stop();
      const std::string log = ReadFile(proc->log_path());
      EXPECT_FALSE(log.empty()) << proc->log_path();
      EXPECT_FALSE(absl::StrContains(log, "eyJ")) << "a token in " << proc->log_path();
      for (const std::string& nip : AllNips()) {
        EXPECT_FALSE(absl::StrContains(log, nip)) << nip << " in " << proc->log_path();
      }
    }
  }

  static std::vector<std::string> AllNips() {
    std::vector<std::string> out = kNips72;
    out.push_back(kNip71);
    return out;
  }

  void Seed() {
    std::vector<ppb::ImportRecordsRequest> rows;
    for (const char* code : {"73.71", "73.72"}) {
      rows.push_back(testing::CityAgencyRecord(code, absl::StrCat("Agency ", code)));
    }
    for (auto [id, agency] :
         {std::pair{1, "73.71"}, std::pair{20, "73.72"}, std::pair{21, "73.72"}}) {
      rows.push_back(testing::UnitRecord(id, agency, absl::StrCat("Unit ", id)));
    }
    {
      ppb::ImportRecordsRequest r;
      auto* p = r.mutable_position();
      p->set_code("P1");
      p->set_name("Pengadministrasi Umum");
      p->set_kind(ppb::POSITION_KIND_PELAKSANA);
      p->set_level(ppb::FUNCTIONAL_LEVEL_NONE);
      p->set_job_family("general_administration");
      rows.push_back(r);
    }
    for (const std::string& nip : AllNips())
      rows.push_back(EmployeeRow(nip, nip == kNip71 ? 1 : 20));
    // personnel's audit takes the import's options.request_id (x-request-id is ignored).
    ppb::ImportRecordsRequest options;
    options.mutable_options()->set_request_id("authz-import-1");
    rows.insert(rows.begin(), options);
    ppb::ImportRecordsResponse resp;
    grpc::Status st = testing::ImportRecords(*pstub_, rows, admin_, &resp, "authz-import-1");
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_EQ(resp.summary().rejected(), 0) << resp.ShortDebugString();

    // 73.72's workloads: unit 20 needs 1, unit 21 needs 3.
    for (auto [unit, need] : {std::pair{20, 1}, std::pair{21, 3}}) {
      wpb::UpsertWorkloadRequest up;
      up.set_request_id(absl::StrCat("authz-upsert-", unit));
      *up.mutable_workload() = testing::OneTaskWorkload(
          "73.72", unit, "P1", testing::WorkloadTask("Mengagendakan surat", 1000.0 * need, 75));
      wpb::UpsertWorkloadResponse out;
      st = wstub_->UpsertWorkload(Ctx(admin_).get(), up, &out);
      ASSERT_TRUE(st.ok()) << st.error_message();
    }
    wpb::RunAnalysisRequest run;
    run.set_agency_code("73.72");
    *run.mutable_as_of() = D(2026, 1, 1);
    run.set_request_id("authz-run-1");
    wpb::AnalysisSummary summary;
    st = RunAnalysis(*wstub_, run, Ctx(admin_), &summary);
    ASSERT_TRUE(st.ok()) << st.error_message();
    run_id_ = summary.run_id();
    ASSERT_FALSE(run_id_.empty());

    tpb::CreatePolicyRequest preq;
    preq.set_request_id("authz-policy-1");
    preq.mutable_policy()->set_agency_code("73.72");
    preq.mutable_policy()->set_name("uji");
    preq.mutable_policy()->mutable_rules()->set_max_leave_fraction(0.75);
    tpb::CreatePolicyResponse policy;
    st = tstub_->CreatePolicy(Ctx(admin_).get(), preq, &policy);
    ASSERT_TRUE(st.ok()) << st.error_message();
    policy_id_ = policy.policy().id();

    tpb::CreatePlanRequest creq;
    creq.set_agency_code("73.72");
    creq.set_analysis_run_id(run_id_);
    creq.set_policy_id(policy_id_);
    *creq.mutable_effective_date() = D(2026, 3, 1);
    creq.set_request_id("authz-plan-1");
    tpb::PlanSummary plan;
    {
      auto ctx = Ctx(admin_, "", 60);
      auto reader = tstub_->CreatePlan(ctx.get(), creq);
      tpb::CreatePlanResponse ev;
      while (reader->Read(&ev)) {
        if (ev.has_plan()) plan = ev.plan();
      }
      st = reader->Finish();
      ASSERT_TRUE(st.ok()) << st.error_message();
      plan_id_ = plan.id();
      ASSERT_FALSE(plan_id_.empty());
    }
    // Submitted, so that objections can be filed.
    tpb::SubmitPlanRequest sub;
    sub.set_plan_id(plan_id_);
    sub.set_etag(plan.etag());
    sub.set_request_id("authz-submit-1");
    tpb::SubmitPlanResponse submitted;
    st = tstub_->SubmitPlan(Ctx(admin_).get(), sub, &submitted);
    ASSERT_TRUE(st.ok()) << st.error_message();
    tpb::ListMovesRequest lreq;
    lreq.set_plan_id(plan_id_);
    tpb::ListMovesResponse moves;
    st = tstub_->ListMoves(Ctx(admin_).get(), lreq, &moves);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_GE(moves.moves_size(), 1) << "the 73.72 plan should move someone from 20 to 21";
    move_ = moves.moves(0);
  }

  static ppb::ImportRecordsRequest EmployeeRow(const std::string& nip, int64_t unit) {
    ppb::ImportRecordsRequest r;
    auto* e = r.mutable_employee();
    e->set_nip(nip);
    e->set_name("Pegawai " + nip.substr(14));
    e->set_employment_type(ppb::EMPLOYMENT_TYPE_PNS);
    e->set_rank("III/a");
    e->set_education_level(ppb::EDUCATION_LEVEL_S1);
    e->add_performance_ratings("baik");
    e->add_performance_ratings("baik");
    e->set_unit_id(unit);
    e->set_position_code("P1");
    *e->mutable_in_post_since() = D(2020, 1, 1);
    return r;
  }

  std::string NipNotOnMove() const {
    for (const std::string& nip : kNips72) {
      if (nip != move_.nip()) return nip;
    }
    return "";
  }

  // Unit `id` as personnel stores it, read as admin.
  ppb::Unit UnitOf(int64_t id) {
    ppb::GetUnitRequest req;
    req.set_id(id);
    return CallOk(*pstub_, &PStub::GetUnit, admin_, req).unit();
  }

  // One service's audit rows of `method` (all when empty), read as admin: the call's status.
  template <typename Stub, typename Req, typename Resp>
  grpc::Status ListAudit(Stub& stub,
                         grpc::Status (Stub::*list)(grpc::ClientContext*, const Req&, Resp*),
                         const std::string& method, std::vector<cpb::AuditEvent>* out) {
    Req req;
    req.mutable_page()->set_page_size(500);
    req.set_method(method);
    Resp resp;
    const grpc::Status st = (stub.*list)(Ctx(admin_).get(), req, &resp);
    out->assign(resp.events().begin(), resp.events().end());
    return st;
  }

  // Service 0 personnel, 1 workload, 2 transfer; `method` filters. Expects OK unless `status`
  // is given, which then receives the call's status.
  std::vector<cpb::AuditEvent> Audit(int service, const std::string& method = "",
                                     grpc::Status* status = nullptr) {
    std::vector<cpb::AuditEvent> out;
    const grpc::Status st = service == 0 ? ListAudit(*pstub_, &PStub::ListAuditEvents, method, &out)
                            : service == 1
                                ? ListAudit(*wstub_, &WStub::ListAuditEvents, method, &out)
                                : ListAudit(*tstub_, &TStub::ListAuditEvents, method, &out);
    if (status != nullptr) {
      *status = st;
      return out;
    }
    EXPECT_TRUE(st.ok()) << st.error_message();
    // One order in all three services (audit::ListEvents): oldest first.
    for (size_t i = 1; i < out.size(); ++i) {
      EXPECT_LT(out[i - 1].id(), out[i].id()) << "service " << service << ", row " << i;
    }
    return out;
  }

  std::string dir_;
  std::string transfer_dsn_;  // transfer-service's database
  const std::string admin_ = Token(auth::Role::kAdmin);
  const std::string operator71_ = Token(auth::Role::kOperator, "73.71");
  std::unique_ptr<::seimbang::testing::TestServices> services_;
  // Owned by services_; null until started.
  ::seimbang::testing::ServiceProcess *personnel_ = nullptr, *workload_ = nullptr,
                                      *transfer_ = nullptr;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::unique_ptr<ppb::PersonnelService::Stub> pstub_;
  std::unique_ptr<wpb::WorkloadAnalysisService::Stub> wstub_;
  std::unique_ptr<tpb::TransferPlanningService::Stub> tstub_;
  std::string run_id_, policy_id_, plan_id_;
  tpb::Move move_;
};

}  // namespace seimbang::authz

#endif  // SEIMBANG_TESTS_INTEGRATION_AUTHZ_THREE_SERVICES_H_
