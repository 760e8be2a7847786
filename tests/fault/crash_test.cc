// transfer-service killed with SIGKILL at each point of ExecutePlan's saga, then restarted: the
// plan ends EXECUTED with every move applied exactly once in personnel (one TRANSFER row per
// move in placement history), none lost.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "tests/fault/fault_support.h"

namespace seimbang::fault {
namespace {

struct CrashPoint {
  std::string name;
  std::vector<std::string> flags;  // for the first transfer-service run
  int batches_before_crash;        // batches personnel applied before the process died
};

void PrintTo(const CrashPoint& p, std::ostream* os) { *os << p.name; }

// True once `pid` has exited. ServiceProcess::Running() cannot tell: an exited child stays a
// zombie (kill(pid, 0) succeeds) until reaped, and reaping is the fixture's job.
bool Exited(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const size_t paren = line.rfind(')');
  return paren == std::string::npos || line.substr(paren + 2, 1) == "Z";
}

class CrashDuringExecution : public ::testing::TestWithParam<CrashPoint> {};

TEST_P(CrashDuringExecution, RestartFinishesThePlanWithEveryMoveAppliedExactlyOnce) {
  const CrashPoint& point = GetParam();
  TinyAgency agency;
  ASSERT_TRUE(agency.StartPersonnel());
  ASSERT_TRUE(agency.Seed());
  std::vector<std::string> flags = {"--test-batch-size=1"};
  flags.insert(flags.end(), point.flags.begin(), point.flags.end());
  ASSERT_TRUE(agency.StartTransfer(flags));
  const std::string policy = agency.CreatePolicy();
  tpb::PlanSummary plan;
  grpc::Status s = agency.CreatePlan(policy, "", &plan);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const int total = plan.moves();
  ASSERT_GE(total, 3) << "the tiny agency must need several batches";
  plan = agency.Approve(plan);
  ASSERT_EQ(plan.state(), tpb::PLAN_STATE_APPROVED);

  // Moves of the plan, read before execution starts: with the crash hook, transfer-service may
  // have exited before any read sent after ExecutePlan reaches it.
  tpb::ListMovesRequest lm;
  lm.set_plan_id(plan.id());
  lm.mutable_page()->set_page_size(100);
  tpb::ListMovesResponse before;
  s = agency.transfer().ListMoves(Ctx(agency.op()).get(), lm, &before);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(before.moves_size(), total);
  auto applied_in_personnel = [&] {
    int n = 0;
    for (const auto& m : before.moves()) n += agency.TransferRows(m.nip(), plan.id(), m.id());
    return n;
  };

  tpb::ExecutePlanRequest ex;
  ex.set_plan_id(plan.id());
  tpb::ExecutePlanResponse started;
  s = agency.transfer().ExecutePlan(Ctx(agency.op()).get(), ex, &started);
  ASSERT_TRUE(s.ok()) << s.error_message();

  if (point.name == "after_apply_before_record") {
    // The hook exits the process itself once personnel answered the batch.
    ASSERT_TRUE(WaitFor([&] { return Exited(agency.transfer_process().pid()); }, 30000));
    EXPECT_EQ(applied_in_personnel(), point.batches_before_crash);
  } else {
    ASSERT_TRUE(WaitFor(
        [&] {
          auto e = agency.Execution(plan.id());
          return e.execution().batches_done() >= point.batches_before_crash;
        },
        30000));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the pause hook holds
    EXPECT_EQ(applied_in_personnel(), point.batches_before_crash);
    EXPECT_EQ(agency.Execution(plan.id()).execution().plan_state(), tpb::PLAN_STATE_EXECUTING);
    agency.transfer_process().Kill();
  }

  ASSERT_TRUE(agency.StartTransfer({"--test-batch-size=1"}));  // resumes by itself
  auto done = agency.WaitExecution(plan.id(), [](const tpb::Execution& e) {
    return e.plan_state() == tpb::PLAN_STATE_EXECUTED;
  });
  ASSERT_EQ(done.execution().plan_state(), tpb::PLAN_STATE_EXECUTED) << done.ShortDebugString();
  EXPECT_EQ(done.execution().applied(), total);
  EXPECT_EQ(done.execution().pending(), 0);
  for (const auto& m : done.moves()) {
    EXPECT_EQ(m.state(), tpb::MOVE_EXECUTION_STATE_APPLIED) << m.ShortDebugString();
    EXPECT_EQ(agency.TransferRows(m.nip(), plan.id(), m.move_id()), 1)
        << "move " << m.move_id() << " of " << m.nip();
    ppb::GetEmployeeRequest g;
    g.set_nip(m.nip());
    ppb::GetEmployeeResponse emp;
    ASSERT_TRUE(agency.personnel().GetEmployee(Ctx(agency.admin()).get(), g, &emp).ok());
    EXPECT_EQ(emp.employee().unit_id(), 2);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Points, CrashDuringExecution,
    ::testing::Values(CrashPoint{"before_first_batch", {"--test-pause-after-batch=0"}, 0},
                      CrashPoint{"between_batches", {"--test-pause-after-batch=1"}, 1},
                      CrashPoint{"after_apply_before_record", {"--test-crash-after-apply=2"}, 2}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace seimbang::fault
