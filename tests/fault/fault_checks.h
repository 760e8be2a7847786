// Set-up and clean-up the fault tests repeat: a tiny agency ready to plan, a stand-in gRPC
// server on a free loopback port, and caller threads that stop however a test ends.
#ifndef SEIMBANG_TESTS_FAULT_FAULT_CHECKS_H_
#define SEIMBANG_TESTS_FAULT_FAULT_CHECKS_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "tests/fault/fault_support.h"

namespace seimbang::fault {

// Personnel started and seeded, then transfer-service started: what CreatePlan needs.
::testing::AssertionResult StartPlanningAgency(TinyAgency& agency);

// A server of `service` alone on 127.0.0.1 (a stand-in for a downstream); port 0 when it
// did not start.
struct LoopbackServer {
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};
LoopbackServer ServeOnLoopback(grpc::Service* service);

// Threads that run until `stop` is set. However the test ends (a failed ASSERT returns
// early), the destructor sets `stop` and joins those still running.
class StoppingThreads {
 public:
  explicit StoppingThreads(std::atomic<bool>& stop) : stop_(stop) {}
  StoppingThreads(const StoppingThreads&) = delete;
  StoppingThreads& operator=(const StoppingThreads&) = delete;
  ~StoppingThreads() { StopAndJoin(); }

  template <typename F, typename... Args>
  void Start(F&& f, Args&&... args) {
    threads_.emplace_back(std::forward<F>(f), std::forward<Args>(args)...);
  }

  void StopAndJoin();

 private:
  std::atomic<bool>& stop_;
  std::vector<std::thread> threads_;
};

}  // namespace seimbang::fault

#endif  // SEIMBANG_TESTS_FAULT_FAULT_CHECKS_H_
