// A downstream that is down or slow: the caller answers UNAVAILABLE (or DEADLINE_EXCEEDED)
// promptly, stores nothing half-done, abandons the cancelled work, and a retry succeeds once
// the downstream is back.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tests/fault/fault_checks.h"
#include "tests/fault/fault_support.h"
#include "tests/support/test_db.h"

namespace seimbang::fault {
namespace {

namespace wpb = ::seimbang::workload::v1;
using Clock = std::chrono::steady_clock;

class Workload {
 public:
  Workload(const std::string& personnel_addr, int personnel_deadline_ms) {
    dir_ = TempDirWithSecrets("fault-workload");
    testing::ServiceProcessOptions o;
    o.args = {
        "--db=" + testsupport::FreshSqliteDsn(), "--auth-hs256-secret-file=" + dir_ + "/secret",
        "--service-token-file=" + dir_ + "/service-token", "--personnel-addr=" + personnel_addr,
        absl::StrCat("--personnel-deadline-ms=", personnel_deadline_ms)};
    auto p = testing::ServiceProcess::Start("workload-service", o);
    EXPECT_TRUE(p.ok()) << p.status();
    if (!p.ok()) return;
    proc_ = std::make_unique<testing::ServiceProcess>(*std::move(p));
    stub_ = wpb::WorkloadAnalysisService::NewStub(
        grpc::CreateChannel(proc_->address(), grpc::InsecureChannelCredentials()));
  }
  ~Workload() {
    proc_.reset();
    std::remove((dir_ + "/secret").c_str());
    std::remove((dir_ + "/service-token").c_str());
    rmdir(dir_.c_str());
  }
  bool ok() const { return proc_ != nullptr; }

  grpc::Status Run(const std::string& request_id, int deadline_ms = 30000) {
    wpb::RunAnalysisRequest req;
    req.set_agency_code(kAgency);
    *req.mutable_as_of() = D(2026, 6, 30);
    req.set_label("uji");
    req.set_request_id(request_id);
    auto ctx = Ctx(Token(auth::Role::kOperator, kAgency), deadline_ms);
    auto reader = stub_->RunAnalysis(ctx.get(), req);
    wpb::RunAnalysisResponse msg;
    while (reader->Read(&msg)) {
    }
    return reader->Finish();
  }
  int Runs() {
    wpb::ListAnalysesRequest list;
    list.set_agency_code(kAgency);
    wpb::ListAnalysesResponse runs;
    grpc::Status s =
        stub_->ListAnalyses(Ctx(Token(auth::Role::kViewer, kAgency)).get(), list, &runs);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return runs.runs_size();
  }

 private:
  std::string dir_;
  std::unique_ptr<testing::ServiceProcess> proc_;
  std::unique_ptr<wpb::WorkloadAnalysisService::Stub> stub_;
};

// Retries `call` until OK or `timeout_ms` passes, as a client facing UNAVAILABLE would.
grpc::Status RetryUntilOk(const std::function<grpc::Status()>& call, int timeout_ms) {
  grpc::Status s;
  WaitFor(
      [&] {
        s = call();
        return s.ok() || s.error_code() != grpc::StatusCode::UNAVAILABLE;
      },
      timeout_ms);
  return s;
}

TEST(PersonnelOutage, RunAnalysisIsUnavailableStoresNoRunAndARetryWorksOncePersonnelIsBack) {
  TinyAgency agency;
  ASSERT_TRUE(agency.StartPersonnel());
  ASSERT_TRUE(agency.Seed());
  Workload workload(agency.personnel_process().address(), 2000);
  ASSERT_TRUE(workload.ok());
  agency.personnel_process().Kill();

  const auto start = Clock::now();
  grpc::Status s = workload.Run("req-outage");
  EXPECT_LT(MsSince(start), 5000);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "personnel service unavailable: "))
      << s.error_message();
  EXPECT_EQ(workload.Runs(), 0);

  ASSERT_TRUE(agency.StartPersonnel());  // same port, same database
  s = RetryUntilOk([&] { return workload.Run("req-outage"); }, 20000);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(workload.Runs(), 1);
}

TEST(PersonnelOutage, CreatePlanIsUnavailableStoresNoPlanAndARetryWorksOncePersonnelIsBack) {
  TinyAgency agency;
  ASSERT_TRUE(StartPlanningAgency(agency));
  const std::string policy = agency.CreatePolicy();
  agency.personnel_process().Kill();

  tpb::PlanSummary plan;
  const auto start = Clock::now();
  grpc::Status s = agency.CreatePlan(policy, "req-outage", &plan);
  EXPECT_LT(MsSince(start), 15000);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "unavailable")) << s.error_message();
  tpb::ListPlansRequest list;
  tpb::ListPlansResponse listed;
  ASSERT_TRUE(agency.transfer().ListPlans(Ctx(agency.op()).get(), list, &listed).ok());
  EXPECT_EQ(listed.plans_size(), 0);

  ASSERT_TRUE(agency.StartPersonnel());
  s = RetryUntilOk([&] { return agency.CreatePlan(policy, "req-outage", &plan); }, 20000);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_GE(plan.moves(), 1);
  listed.Clear();
  ASSERT_TRUE(agency.transfer().ListPlans(Ctx(agency.op()).get(), list, &listed).ok());
  EXPECT_EQ(listed.plans_size(), 1);
}

// A personnel that takes 5 s over GetStaffing unless its caller gives up first.
class SlowPersonnel final : public ppb::PersonnelService::Service {
 public:
  std::atomic<bool> called{false};
  std::atomic<bool> cancelled{false};
  std::atomic<int64_t> held_ms{0};

  grpc::Status GetStaffing(grpc::ServerContext* ctx, const ppb::GetStaffingRequest*,
                           ppb::GetStaffingResponse* resp) override {
    called = true;
    if (HoldUnlessCancelled(*ctx, 5000, &held_ms)) {
      cancelled = true;
      return {grpc::StatusCode::CANCELLED, "caller gave up"};
    }
    resp->set_digest("slow");
    return grpc::Status::OK;
  }
};

TEST(SlowDownstream, RunAnalysisFailsWithinThePersonnelDeadlineAbandonsTheCallAndStoresNoRun) {
  SlowPersonnel slow;
  LoopbackServer stand_in = ServeOnLoopback(&slow);
  ASSERT_NE(stand_in.port, 0);
  Workload workload(absl::StrCat("127.0.0.1:", stand_in.port), 500);
  ASSERT_TRUE(workload.ok());

  const auto start = Clock::now();
  grpc::Status s = workload.Run("req-slow", 10000);
  const int64_t elapsed = MsSince(start);
  EXPECT_TRUE(slow.called);
  // 500 ms deadline plus scheduling slack on a shared 2-core machine; far below the 5 s stall.
  EXPECT_LT(elapsed, 2000) << s.error_message();
  EXPECT_TRUE(s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
              (s.error_code() == grpc::StatusCode::UNAVAILABLE &&
               absl::StrContains(absl::AsciiStrToLower(s.error_message()), "deadline")))
      << s.error_code() << ": " << s.error_message();
  // The downstream saw the cancellation: its work was abandoned, not left running for 5 s.
  EXPECT_TRUE(WaitFor([&] { return slow.cancelled.load(); }, 2000));
  EXPECT_LT(slow.held_ms, 2000);
  EXPECT_EQ(workload.Runs(), 0);
  stand_in.server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
}

}  // namespace
}  // namespace seimbang::fault
