// Deadlines across services: when a downstream stalls, CreatePlan fails within the caller's
// deadline, the stalled downstream call is cancelled (its work abandoned, not left running),
// nothing half-done is stored, and a retry succeeds once the downstream answers again.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/fault/fault_checks.h"
#include "tests/fault/fault_support.h"

namespace seimbang::fault {
namespace {

namespace wpb = ::seimbang::workload::v1;
using Clock = std::chrono::steady_clock;

constexpr int64_t kStallMs = 6000;

// A workload-analysis whose GetAnalysis stalls for kStallMs while `stall` is set, unless its
// caller gives up first; otherwise it answers as the fake does.
class StallingWorkload final : public wpb::WorkloadAnalysisService::Service {
 public:
  explicit StallingWorkload(testing::FakeWorld world) : world_(std::move(world)), inner_(&world_) {}
  std::atomic<bool> stall{true};
  std::atomic<int> calls{0};
  std::atomic<bool> cancelled{false};
  std::atomic<int64_t> held_ms{0};

  grpc::Status GetAnalysis(grpc::ServerContext* ctx, const wpb::GetAnalysisRequest* req,
                           wpb::GetAnalysisResponse* resp) override {
    ++calls;
    if (stall && HoldUnlessCancelled(*ctx, kStallMs, &held_ms)) {
      cancelled = true;
      return {grpc::StatusCode::CANCELLED, "caller gave up"};
    }
    return inner_.GetAnalysis(ctx, req, resp);
  }

 private:
  testing::FakeWorld world_;
  testing::FakeWorkload inner_;
};

grpc::Status CreatePlan(TinyAgency& agency, const std::string& policy_id,
                        const std::string& request_id, int deadline_ms, tpb::PlanSummary* plan) {
  tpb::CreatePlanRequest req;
  req.set_agency_code(kAgency);
  req.set_analysis_run_id("run-1");
  req.set_policy_id(policy_id);
  req.set_request_id(request_id);
  *req.mutable_effective_date() = D(2026, 3, 1);
  auto ctx = Ctx(agency.op(), deadline_ms);
  auto reader = agency.transfer().CreatePlan(ctx.get(), req);
  tpb::CreatePlanResponse ev;
  while (reader->Read(&ev)) {
    if (ev.has_plan()) *plan = ev.plan();
  }
  return reader->Finish();
}

int Plans(TinyAgency& agency) {
  tpb::ListPlansRequest list;
  list.set_agency_code(kAgency);
  tpb::ListPlansResponse listed;
  grpc::Status s = agency.transfer().ListPlans(Ctx(agency.op()).get(), list, &listed);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return listed.plans_size();
}

TEST(SlowDownstream, CreatePlanFailsWithinTheCallersDeadlineAbandonsTheStalledCallAndStoresNoPlan) {
  TinyAgency agency;
  ASSERT_TRUE(agency.StartPersonnel());
  ASSERT_TRUE(agency.Seed());
  StallingWorkload slow(agency.world());
  LoopbackServer stand_in = ServeOnLoopback(&slow);
  ASSERT_NE(stand_in.port, 0);
  // The later --workload-addr wins: transfer plans against the stalling workload.
  ASSERT_TRUE(agency.StartTransfer({absl::StrCat("--workload-addr=127.0.0.1:", stand_in.port)}));
  const std::string policy = agency.CreatePolicy();

  tpb::PlanSummary plan;
  const auto start = Clock::now();
  grpc::Status s = CreatePlan(agency, policy, "req-slow", 2000, &plan);
  const int64_t elapsed = MsSince(start);
  EXPECT_GE(slow.calls.load(), 1);
  // A 2 s deadline plus scheduling slack on a shared 2-core machine; below the 6 s stall.
  EXPECT_LT(elapsed, 5000) << s.error_message();
  EXPECT_TRUE(s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
              (s.error_code() == grpc::StatusCode::UNAVAILABLE &&
               absl::StrContains(absl::AsciiStrToLower(s.error_message()), "deadline")))
      << s.error_code() << ": " << s.error_message();
  // The caller's deadline reached the downstream: its call was cancelled, not left to run
  // for the whole stall.
  EXPECT_TRUE(WaitFor([&] { return slow.cancelled.load(); }, 5000))
      << "workload's GetAnalysis was not cancelled; it held " << slow.held_ms << " ms";
  EXPECT_LT(slow.held_ms, kStallMs);
  // By now the stall is over either way: a transfer that kept going would have stored a plan.
  EXPECT_EQ(Plans(agency), 0);

  // The downstream answers again: the same request succeeds and stores exactly one plan.
  slow.stall = false;
  s = CreatePlan(agency, policy, "req-slow", 30000, &plan);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_GE(plan.moves(), 1);
  EXPECT_EQ(Plans(agency), 1);
  stand_in.server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
}

}  // namespace
}  // namespace seimbang::fault
