#include "tests/fault/fault_support.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/auth/verifier.h"
#include "tests/harness/calls.h"
#include "tests/harness/nurse_agency.h"
#include "tests/harness/raw_call.h"
#include "tests/support/test_db.h"

namespace seimbang::fault {

namespace wpb = ::seimbang::workload::v1;

std::string Token(auth::Role role, const std::string& agency) {
  return testing::MintTestToken(kSecret, role, agency, "",
                                "fault-" + std::string(auth::RoleName(role)));
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token, int deadline_ms) {
  return testing::CallContext(token, absl::Milliseconds(deadline_ms));
}

cpb::Date D(int y, int m, int d) { return testing::ProtoDate(y, m, d); }

std::string Health(const std::string& address, int deadline_ms) {
  return testing::HealthStatus(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()),
                               deadline_ms);
}

bool HoldUnlessCancelled(grpc::ServerContextBase& ctx, int64_t max_ms,
                         std::atomic<int64_t>* held_ms) {
  const auto start = std::chrono::steady_clock::now();
  while (MsSince(start) < max_ms) {
    if (ctx.IsCancelled()) {
      *held_ms = MsSince(start);
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  *held_ms = MsSince(start);
  return false;
}

bool WaitFor(const std::function<bool()>& pred, int timeout_ms) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

namespace {

std::string Harness() { return std::string(SEIMBANG_SOURCE_DIR) + "/tests/harness/mariadb.sh"; }

int Sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()); }

}  // namespace

PrivateMariaDb::PrivateMariaDb() {
  char tmpl[] = "/tmp/fault-mariadb-XXXXXX";
  root_ = mkdtemp(tmpl);
  dir_ = root_ + "/m";
}

PrivateMariaDb::~PrivateMariaDb() {
  if (frozen_) Resume();  // a stopped server can neither shut down nor be killed cleanly
  Sh(absl::StrCat(Harness(), " stop ", dir_));
  rmdir(root_.c_str());
}

bool PrivateMariaDb::Start() { return Sh(absl::StrCat(Harness(), " start ", dir_)) == 0; }
bool PrivateMariaDb::Kill() { return Sh(absl::StrCat(Harness(), " kill ", dir_)) == 0; }
bool PrivateMariaDb::Restart() { return Sh(absl::StrCat(Harness(), " restart ", dir_)) == 0; }

int PrivateMariaDb::Pid() const {
  std::ifstream in(dir_ + "/mysqld.pid");
  int pid = 0;
  in >> pid;
  return pid;
}

bool PrivateMariaDb::Freeze() {
  const int pid = Pid();
  if (pid <= 1 || kill(pid, SIGSTOP) != 0) return false;
  frozen_ = true;
  return true;
}

bool PrivateMariaDb::Resume() {
  const int pid = Pid();
  if (pid <= 1 || kill(pid, SIGCONT) != 0) return false;
  frozen_ = false;
  return true;
}

std::string PrivateMariaDb::CreateDatabase(const std::string& name) {
  if (Sh(absl::StrCat("mariadb --no-defaults --protocol=socket --socket=", dir_,
                      "/mysqld.sock -uroot -e 'CREATE DATABASE ", name,
                      " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'")) != 0) {
    return "";
  }
  std::ifstream in(dir_ + "/dsn");
  std::string base;
  std::getline(in, base);
  return base + name;
}

std::string TempDirWithSecrets(const std::string& prefix) {
  std::string tmpl = absl::StrCat("/tmp/", prefix, "-XXXXXX");
  const std::string dir = mkdtemp(tmpl.data());
  std::ofstream(dir + "/secret") << kSecret;
  std::ofstream(dir + "/service-token") << Token(auth::Role::kService);
  return dir;
}

TinyAgency::TinyAgency(Options options) : options_(options) {
  dir_ = TempDirWithSecrets("fault-agency");
  auto p = testsupport::FreshMariaDbDsn("fault_personnel");
  auto t = testsupport::FreshMariaDbDsn("fault_transfer");
  EXPECT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(t.ok()) << t.status();
  if (p.ok()) personnel_dsn_ = *p;
  if (t.ok()) transfer_dsn_ = *t;
}

TinyAgency::~TinyAgency() {
  transfer_.reset();  // stop the caller before its downstreams
  personnel_.reset();
  workload_.reset();
  std::remove((dir_ + "/secret").c_str());
  std::remove((dir_ + "/service-token").c_str());
  rmdir(dir_.c_str());
}

bool TinyAgency::StartPersonnel(const std::vector<std::string>& extra) {
  personnel_.reset();
  testing::ServiceProcessOptions o;
  o.args = {"--db=" + personnel_dsn_, "--auth-hs256-secret-file=" + dir_ + "/secret"};
  // A restart keeps the address transfer-service was given.
  if (!personnel_addr_fixed_.empty()) o.args.push_back("--listen=" + personnel_addr_fixed_);
  o.args.insert(o.args.end(), extra.begin(), extra.end());
  auto p = testing::ServiceProcess::Start("personnel-service", o);
  EXPECT_TRUE(p.ok()) << p.status();
  if (!p.ok()) return false;
  personnel_ = std::make_unique<testing::ServiceProcess>(*std::move(p));
  personnel_addr_fixed_ = personnel_->address();
  pstub_ = ppb::PersonnelService::NewStub(
      grpc::CreateChannel(personnel_->address(), grpc::InsecureChannelCredentials()));
  return true;
}

std::string TinyAgency::Nip(int i) const { return testing::NurseNip(i); }

bool TinyAgency::Seed() {
  ppb::ImportRecordsResponse resp;
  // options_.source nurses in A, and one in B.
  grpc::Status s = testing::ImportRecords(*pstub_, testing::NurseAgencyRecords(options_.source, 1),
                                          admin(), &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.summary().rejected(), 0) << resp.ShortDebugString();
  if (!s.ok() || resp.summary().rejected() != 0) return false;

  ppb::GetStaffingRequest sreq;
  sreq.set_agency_code(kAgency);
  *sreq.mutable_as_of() = D(2026, 1, 1);
  ppb::GetStaffingResponse staffing;
  s = pstub_->GetStaffing(Ctx(admin()).get(), sreq, &staffing);
  EXPECT_TRUE(s.ok()) << s.error_message();
  if (!s.ok()) return false;
  testing::FakeWorld& world = world_;
  world = testing::FakeWorld();
  world.run_digest = staffing.digest();
  for (auto [unit, staff, need] :
       {std::tuple{1, options_.source, options_.need_a}, std::tuple{2, 1, options_.need_b}}) {
    wpb::PositionRow row;
    row.set_unit_id(unit);
    row.set_position_code("JF-PK");
    row.set_job_family("health");
    row.set_staff(staff);
    row.set_required_headcount(need);
    row.set_workload_minutes(need * 75000.0);
    world.rows.push_back(row);
  }
  workload_ = std::make_unique<testing::FakeUpstreams>(world);
  return true;
}

bool TinyAgency::StartTransfer(const std::vector<std::string>& extra) {
  transfer_.reset();
  testing::ServiceProcessOptions o;
  o.args = {"--db=" + transfer_dsn_, "--auth-hs256-secret-file=" + dir_ + "/secret",
            "--personnel-addr=" + personnel_addr_fixed_, "--workload-addr=" + workload_->address(),
            "--service-token-file=" + dir_ + "/service-token"};
  o.args.insert(o.args.end(), extra.begin(), extra.end());
  auto t = testing::ServiceProcess::Start(testing::TransferBinaryFor(o.args), o);
  EXPECT_TRUE(t.ok()) << t.status();
  if (!t.ok()) return false;
  transfer_ = std::make_unique<testing::ServiceProcess>(*std::move(t));
  tstub_ = tpb::TransferPlanningService::NewStub(
      grpc::CreateChannel(transfer_->address(), grpc::InsecureChannelCredentials()));
  return true;
}

std::string TinyAgency::CreatePolicy() {
  tpb::CreatePolicyRequest req;
  req.mutable_policy()->set_agency_code(kAgency);
  req.mutable_policy()->set_name("uji");
  req.mutable_policy()->mutable_rules()->set_max_leave_fraction(0.6);
  tpb::CreatePolicyResponse resp;
  grpc::Status s = tstub_->CreatePolicy(Ctx(op()).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.policy().id();
}

grpc::Status TinyAgency::CreatePlan(const std::string& policy_id, const std::string& request_id,
                                    tpb::PlanSummary* plan) {
  tpb::CreatePlanRequest req;
  req.set_agency_code(kAgency);
  req.set_analysis_run_id("run-1");
  req.set_policy_id(policy_id);
  req.set_request_id(request_id);
  *req.mutable_effective_date() = D(2026, 3, 1);
  auto ctx = Ctx(op());
  auto reader = tstub_->CreatePlan(ctx.get(), req);
  tpb::CreatePlanResponse ev;
  while (reader->Read(&ev)) {
    if (ev.has_plan()) *plan = ev.plan();
  }
  return reader->Finish();
}

tpb::PlanSummary TinyAgency::Approve(const tpb::PlanSummary& plan) {
  tpb::SubmitPlanRequest sub;
  sub.set_plan_id(plan.id());
  sub.set_etag(plan.etag());
  tpb::SubmitPlanResponse submitted;
  grpc::Status s = tstub_->SubmitPlan(Ctx(op()).get(), sub, &submitted);
  EXPECT_TRUE(s.ok()) << s.error_message();
  // Ten working days later: the review window has closed (issue 18).
  EXPECT_TRUE(testsupport::AgePlanSubmission(transfer_dsn_, plan.id(), 30).ok());
  tpb::ApprovePlanRequest app;
  app.set_plan_id(plan.id());
  app.set_etag(submitted.plan().etag());
  tpb::ApprovePlanResponse approved;
  s = tstub_->ApprovePlan(Ctx(approver()).get(), app, &approved);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return approved.plan();
}

tpb::GetExecutionResponse TinyAgency::Execution(const std::string& plan_id) {
  tpb::GetExecutionRequest g;
  g.set_plan_id(plan_id);
  tpb::GetExecutionResponse exec;
  (void)tstub_->GetExecution(Ctx(op(), 5000).get(), g, &exec);
  return exec;
}

tpb::GetExecutionResponse TinyAgency::WaitExecution(
    const std::string& plan_id, const std::function<bool(const tpb::Execution&)>& pred) {
  tpb::GetExecutionResponse exec;
  WaitFor(
      [&] {
        exec = Execution(plan_id);
        return exec.has_execution() && pred(exec.execution());
      },
      30000);
  return exec;
}

int TinyAgency::TransferRows(const std::string& nip, const std::string& plan_id,
                             const std::string& move_id) {
  ppb::ListPlacementHistoryRequest req;
  req.set_nip(nip);
  ppb::ListPlacementHistoryResponse resp;
  grpc::Status s = pstub_->ListPlacementHistory(Ctx(admin()).get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  int n = 0;
  for (const auto& p : resp.placements()) {
    n += p.reason() == ppb::PLACEMENT_REASON_TRANSFER && p.plan_id() == plan_id &&
         p.move_id() == move_id;
  }
  return n;
}

}  // namespace seimbang::fault
