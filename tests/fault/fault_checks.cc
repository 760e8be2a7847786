#include "tests/fault/fault_checks.h"

namespace seimbang::fault {

::testing::AssertionResult StartPlanningAgency(TinyAgency& agency) {
  if (!agency.StartPersonnel()) return ::testing::AssertionFailure() << "personnel did not start";
  if (!agency.Seed()) return ::testing::AssertionFailure() << "the agency was not seeded";
  if (!agency.StartTransfer()) return ::testing::AssertionFailure() << "transfer did not start";
  return ::testing::AssertionSuccess();
}

LoopbackServer ServeOnLoopback(grpc::Service* service) {
  LoopbackServer s;
  grpc::ServerBuilder b;
  b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &s.port);
  b.RegisterService(service);
  s.server = b.BuildAndStart();
  return s;
}

void StoppingThreads::StopAndJoin() {
  stop_ = true;
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

}  // namespace seimbang::fault
