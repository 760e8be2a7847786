// Issue 22 item 2: unary methods served with gRPC's callback API (common/server/serve.h). Their
// blocking workflows run on the service's bounded pool, in turn beyond its bound, and a call
// whose deadline passed while it waited for a thread is answered without running.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/server/serve.h"
#include "common/server/server.h"
#include "gtest/gtest.h"
#include "seimbang/testing/v1/echo.grpc.pb.h"
#include "tests/integration/server/echo_service.h"

namespace seimbang::testing {
namespace {

// Echo that blocks for as many milliseconds as its text says, on a pool of `threads`.
class SlowEcho final : public v1::EchoService::WithRawCallbackMethod_Echo<v1::EchoService::Service>,
                       public server::CallbackMethods {
 public:
  explicit SlowEcho(int threads) : server::CallbackMethods(threads) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* in,
                                 grpc::ByteBuffer* out) override {
    return ServeBlocking<v1::EchoRequest, v1::EchoResponse>(
        ctx, "/seimbang.testing.v1.EchoService/Echo", in, out,
        [this](const server::Call&, const v1::EchoRequest& req, v1::EchoResponse* resp) {
          const int now = ++running;
          for (int m = most.load(); now > m && !most.compare_exchange_weak(m, now);) {
          }
          int ms = 0;
          if (!absl::SimpleAtoi(req.text(), &ms)) ms = 0;
          absl::SleepFor(absl::Milliseconds(ms));
          resp->set_text(req.text());
          --running;
          ++ran;
          return absl::OkStatus();
        });
  }

  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::atomic<int> ran{0};
};

class CallbackMethodsTest : public ::testing::Test {
 protected:
  void Start(int threads) {
    service_ = std::make_unique<SlowEcho>(threads);
    server::ServerConfig config = LocalEchoConfig();
    config.insecure_dev = true;
    server::ServerHooks hooks;
    hooks.permissions = EchoPermissions();
    auto s = server::RunningServer::Start(config, {service_.get()}, std::move(hooks));
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    stub_ = v1::EchoService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(server_->port()), grpc::InsecureChannelCredentials()));
  }

  grpc::Status Echo(const std::string& text, absl::Duration deadline) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(deadline));
    v1::EchoRequest req;
    req.set_text(text);
    v1::EchoResponse resp;
    grpc::Status st = stub_->Echo(&ctx, req, &resp);
    if (st.ok()) {
      EXPECT_EQ(resp.text(), text);
    }
    return st;
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  std::unique_ptr<SlowEcho> service_;
  std::unique_ptr<server::RunningServer> server_;
  std::unique_ptr<v1::EchoService::Stub> stub_;
};

TEST_F(CallbackMethodsTest, BlockingWorkRunsAtMostThePoolsBoundAtOnceAndEveryCallIsAnswered) {
  Start(2);
  std::vector<std::thread> callers;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i) {
    callers.emplace_back([&] {
      if (Echo("100", absl::Seconds(20)).ok()) ++ok;
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(service_->ran.load(), 6);
  EXPECT_EQ(service_->most.load(), 2) << "two threads, the other calls wait their turn";
}

TEST_F(CallbackMethodsTest, ACallWhoseDeadlinePassedWhileItWaitedIsNotRun) {
  Start(1);
  std::thread busy([&] { EXPECT_TRUE(Echo("600", absl::Seconds(20)).ok()); });
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (service_->running.load() == 0 && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  ASSERT_EQ(service_->running.load(), 1);
  // Queued behind the busy call, past its deadline by the time the thread is free.
  EXPECT_EQ(Echo("0", absl::Milliseconds(100)).error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  busy.join();
  // The pool runs in order: once a later call is answered, the expired one has been dropped.
  EXPECT_TRUE(Echo("0", absl::Seconds(20)).ok());
  EXPECT_EQ(service_->ran.load(), 2) << "the expired call's workflow must not run";
}

}  // namespace
}  // namespace seimbang::testing
