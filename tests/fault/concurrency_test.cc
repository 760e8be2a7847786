// Races on the real binaries (MariaDB): optimistic concurrency on employees, concurrent replays
// of one ApplyTransfers batch, and concurrent plan creation.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/fault/fault_checks.h"
#include "tests/fault/fault_support.h"

namespace seimbang::fault {
namespace {

// Starts `n` threads that run `fn(i)` as close to simultaneously as a spin barrier allows.
void RunTogether(int n, const std::function<void(int)>& fn) {
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready < n) std::this_thread::yield();
      fn(i);
    });
  }
  for (auto& t : threads) t.join();
}

TEST(Concurrency, EightUpdatesWithTheSameEtagExactlyOneWinsTheRestAreAborted) {
  TinyAgency agency;
  ASSERT_TRUE(agency.StartPersonnel());
  ASSERT_TRUE(agency.Seed());
  ppb::GetEmployeeRequest g;
  g.set_nip(agency.Nip(0));
  ppb::GetEmployeeResponse before;
  ASSERT_TRUE(agency.personnel().GetEmployee(Ctx(agency.admin()).get(), g, &before).ok());

  constexpr int kN = 8;
  std::vector<grpc::Status> results(kN);
  RunTogether(kN, [&](int i) {
    ppb::UpdateEmployeeRequest req;
    *req.mutable_employee() = before.employee();
    req.mutable_employee()->set_name("Perawat " + std::to_string(100 + i));
    ppb::UpdateEmployeeResponse resp;
    results[i] = agency.personnel().UpdateEmployee(Ctx(agency.op()).get(), req, &resp);
  });
  int ok = 0, aborted = 0, winner = -1;
  for (int i = 0; i < kN; ++i) {
    if (results[i].ok()) {
      ++ok;
      winner = i;
    } else {
      EXPECT_EQ(results[i].error_code(), grpc::StatusCode::ABORTED) << results[i].error_message();
      aborted += results[i].error_code() == grpc::StatusCode::ABORTED;
    }
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(aborted, kN - 1);
  ppb::GetEmployeeResponse after;
  ASSERT_TRUE(agency.personnel().GetEmployee(Ctx(agency.admin()).get(), g, &after).ok());
  EXPECT_EQ(after.employee().name(), "Perawat " + std::to_string(100 + winner));
  EXPECT_EQ(after.employee().version(), before.employee().version() + 1);
}

TEST(Concurrency, FourConcurrentReplaysOfOneApplyTransfersBatchApplyEachMoveOnce) {
  TinyAgency agency;
  ASSERT_TRUE(agency.StartPersonnel());
  ASSERT_TRUE(agency.Seed());
  ppb::ApplyTransfersRequest req;
  for (int i = 0; i < 3; ++i) {
    auto* m = req.add_moves();
    m->set_plan_id("plan-race");
    m->set_move_id("m" + std::to_string(i));
    m->set_nip(agency.Nip(i));
    m->set_from_unit_id(1);
    m->set_from_position_code("JF-PK");
    m->set_to_unit_id(2);
    m->set_to_position_code("JF-PK");
    *m->mutable_effective_date() = D(2026, 3, 1);
    m->set_decree_number("SK/race/" + std::to_string(i));
  }
  constexpr int kN = 4;
  std::vector<grpc::Status> statuses(kN);
  std::vector<ppb::ApplyTransfersResponse> responses(kN);
  RunTogether(kN, [&](int i) {
    statuses[i] =
        agency.personnel().ApplyTransfers(Ctx(agency.service()).get(), req, &responses[i]);
  });
  // Every caller gets an answer (a loser of the race must see a replay, not an error).
  for (int i = 0; i < kN; ++i) {
    EXPECT_TRUE(statuses[i].ok()) << "call " << i << " ended with code " << statuses[i].error_code()
                                  << ": " << statuses[i].error_message();
  }
  for (int m = 0; m < 3; ++m) {
    int first_applies = 0;
    for (int i = 0; i < kN; ++i) {
      if (!statuses[i].ok()) continue;
      ASSERT_EQ(responses[i].results_size(), 3);
      EXPECT_EQ(responses[i].results(m).outcome(), ppb::MOVE_OUTCOME_APPLIED)
          << responses[i].ShortDebugString();
      first_applies += !responses[i].results(m).replayed();
    }
    EXPECT_LE(first_applies, 1) << "move m" << m;
    // Exactly once in personnel, whatever the callers were told.
    EXPECT_EQ(agency.TransferRows(agency.Nip(m), "plan-race", "m" + std::to_string(m)), 1);
    ppb::GetEmployeeRequest g;
    g.set_nip(agency.Nip(m));
    ppb::GetEmployeeResponse emp;
    ASSERT_TRUE(agency.personnel().GetEmployee(Ctx(agency.admin()).get(), g, &emp).ok());
    EXPECT_EQ(emp.employee().unit_id(), 2);
    EXPECT_EQ(emp.employee().version(), 2);  // moved once, not four times
  }
}

TEST(Concurrency, TwoCreatePlansAtOnceBothSucceedWithDistinctPlans) {
  TinyAgency agency;
  ASSERT_TRUE(StartPlanningAgency(agency));
  const std::string policy = agency.CreatePolicy();
  std::vector<tpb::PlanSummary> plans(2);
  std::vector<grpc::Status> statuses(2);
  RunTogether(2, [&](int i) { statuses[i] = agency.CreatePlan(policy, "", &plans[i]); });
  ASSERT_TRUE(statuses[0].ok()) << statuses[0].error_message();
  ASSERT_TRUE(statuses[1].ok()) << statuses[1].error_message();
  EXPECT_NE(plans[0].id(), plans[1].id());
  EXPECT_EQ(plans[0].moves(), plans[1].moves());  // same inputs, same plan content
  tpb::ListPlansRequest list;
  tpb::ListPlansResponse listed;
  ASSERT_TRUE(agency.transfer().ListPlans(Ctx(agency.op()).get(), list, &listed).ok());
  EXPECT_EQ(listed.plans_size(), 2);
}

}  // namespace
}  // namespace seimbang::fault
