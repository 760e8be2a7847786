// Issue 15 item 10: one slow or greedy caller can no longer exhaust the service. Each token
// subject may hold only so many calls in flight and streams open (common/server/limits.h);
// beyond that its next call is RESOURCE_EXHAUSTED before any handler runs, while other callers
// are served, and the greedy caller is served again once its streams end.
#include "common/server/caller_limits.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/verifier.h"
#include "common/server/channel.h"
#include "common/server/server.h"
#include "gtest/gtest.h"
#include "seimbang/testing/v1/echo.grpc.pb.h"
#include "tests/integration/server/echo_service.h"

namespace seimbang::testing {
namespace {

const std::string kLimitsSecret = "caller-limits-secret-0123456789abcdef";

std::string TokenFor(const std::string& subject, auth::Role role) {
  auth::MintOptions m;
  m.key = kLimitsSecret;
  m.claims.subject = subject;
  m.claims.role = role;
  if (role != auth::Role::kAdmin && role != auth::Role::kService) m.claims.agency = "73.71";
  absl::StatusOr<std::string> t = auth::Mint(m);
  return t.ok() ? *t : "";
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token, int deadline_ms = 20000) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms));
  return ctx;
}

// `call` once, then again every 50 ms while it fails, for up to 10 s: its last status.
grpc::Status RetryForTenSeconds(const std::function<grpc::Status()>& call) {
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  grpc::Status st = call();
  while (!st.ok() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
    st = call();
  }
  return st;
}

// A server stream its caller never reads: Expand of 1000 × 64 KiB blocks the handler in Write
// (flow control) after the first few, holding its thread until the caller cancels.
struct UnreadStream {
  std::unique_ptr<grpc::ClientContext> ctx;
  std::unique_ptr<grpc::ClientReader<v1::EchoResponse>> reader;
};

class CallerLimitsTest : public ::testing::Test {
 protected:
  void Start(server::CallerLimits limits, bool insecure_dev = false) {
    dir_ = ::testing::TempDir() + "/caller-limits-" + std::to_string(getpid());
    std::filesystem::create_directories(dir_);
    server::ServerConfig c = LocalEchoConfig();
    c.caller_limits = limits;
    c.insecure_dev = insecure_dev;
    if (!insecure_dev) {
      c.auth_hs256_secret_file = dir_ + "/hs256.secret";
      std::ofstream(c.auth_hs256_secret_file) << kLimitsSecret;
    }
    absl::StatusOr<std::unique_ptr<server::RunningServer>> s = StartEchoServer(c, &echo_);
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    const std::string address = "127.0.0.1:" + std::to_string(server_->port());
    // Each caller on its own connection, as separate clients would be.
    greedy_stub_ = v1::EchoService::NewStub(*server::MakeChannel(address, {}));
    polite_stub_ = v1::EchoService::NewStub(*server::MakeChannel(address, {}));
  }
  void TearDown() override {
    for (UnreadStream& s : streams_) s.ctx->TryCancel();
    for (UnreadStream& s : streams_) s.reader->Finish().IgnoreError();
    streams_.clear();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Opens an Expand the caller never reads and waits until its handler runs.
  void OpenUnreadStream(const std::string& token) {
    const int before = echo_.handled.load();
    UnreadStream s;
    s.ctx = Ctx(token, 60000);
    v1::ExpandRequest req;
    req.set_text(std::string(64 * 1024, 'x'));
    req.set_repeat(1000);
    s.reader = greedy_stub_->Expand(s.ctx.get(), req);
    streams_.push_back(std::move(s));
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (echo_.handled.load() == before && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    ASSERT_GT(echo_.handled.load(), before) << "stream " << streams_.size() << " never started";
  }

  // The status of a fully read Expand.
  grpc::Status Expand(v1::EchoService::Stub& stub, const std::string& token, int* read = nullptr) {
    auto ctx = Ctx(token);
    v1::ExpandRequest req;
    req.set_text("halo");
    req.set_repeat(3);
    auto reader = stub.Expand(ctx.get(), req);
    v1::EchoResponse r;
    int n = 0;
    while (reader->Read(&r)) ++n;
    if (read != nullptr) *read = n;
    return reader->Finish();
  }

  grpc::Status Echo(v1::EchoService::Stub& stub, const std::string& token) {
    v1::EchoRequest req;
    req.set_text("halo");
    v1::EchoResponse resp;
    return stub.Echo(Ctx(token).get(), req, &resp);
  }

  // Asserts `refused` is RESOURCE_EXHAUSTED with `message` and never reached its handler
  // (which had run `handled` times before it).
  void ExpectRefusedBeforeTheHandler(const grpc::Status& refused, const std::string& message,
                                     int handled) {
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_EQ(refused.error_message(), message);
    EXPECT_EQ(echo_.handled.load(), handled) << "a refused call must not reach its handler";
  }

  void EndUnreadStreams() {
    for (UnreadStream& s : streams_) s.ctx->TryCancel();
    for (UnreadStream& s : streams_) {
      EXPECT_EQ(s.reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
    }
    streams_.clear();
  }

  std::string dir_;
  EchoService echo_;
  std::unique_ptr<server::RunningServer> server_;
  std::unique_ptr<v1::EchoService::Stub> greedy_stub_;
  std::unique_ptr<v1::EchoService::Stub> polite_stub_;
  std::vector<UnreadStream> streams_;
};

TEST_F(CallerLimitsTest, UnreadStreamsUpToTheLimitThenResourceExhaustedWhileOthersAreServed) {
  const server::CallerLimits defaults;
  ASSERT_EQ(defaults.max_streams, 8);
  Start(defaults);
  const std::string greedy = TokenFor("greedy", auth::Role::kViewer);
  const std::string polite = TokenFor("polite", auth::Role::kViewer);
  for (int i = 0; i < defaults.max_streams; ++i) OpenUnreadStream(greedy);
  const int handled = echo_.handled.load();

  ExpectRefusedBeforeTheHandler(Expand(*greedy_stub_, greedy),
                                "caller greedy has 8 streams open (limit 8)", handled);
  // Its unary calls are within the in-flight limit (8 of 64).
  EXPECT_TRUE(Echo(*greedy_stub_, greedy).ok());

  // Another subject, streams and unary calls alike, is served meanwhile.
  int read = 0;
  grpc::Status served = Expand(*polite_stub_, polite, &read);
  EXPECT_TRUE(served.ok()) << served.error_message();
  EXPECT_EQ(read, 3);
  EXPECT_TRUE(Echo(*polite_stub_, polite).ok());

  // Once its streams end, the greedy caller is served again.
  EndUnreadStreams();
  grpc::Status again = RetryForTenSeconds([&] { return Expand(*greedy_stub_, greedy, &read); });
  EXPECT_TRUE(again.ok()) << again.error_message();
  EXPECT_EQ(read, 3);
}

TEST_F(CallerLimitsTest, CallsInFlightAreLimitedPerCallerAcrossMethodKinds) {
  server::CallerLimits limits;
  limits.max_calls = 3;
  limits.max_streams = 0;  // no stream limit: the in-flight limit bites first
  Start(limits);
  const std::string greedy = TokenFor("greedy", auth::Role::kAdmin);
  for (int i = 0; i < limits.max_calls; ++i) OpenUnreadStream(greedy);
  const int handled = echo_.handled.load();
  // Echo is a callback-API method (common/server/serve.h): admitted the same way.
  ExpectRefusedBeforeTheHandler(Echo(*greedy_stub_, greedy),
                                "caller greedy has 3 calls in flight (limit 3)", handled);
  EXPECT_TRUE(Echo(*polite_stub_, TokenFor("polite", auth::Role::kAdmin)).ok());
  EndUnreadStreams();
  grpc::Status again = RetryForTenSeconds([&] { return Echo(*greedy_stub_, greedy); });
  EXPECT_TRUE(again.ok()) << again.error_message();
  // Every finished unary call gives its place back: far more calls than the limit, in turn.
  for (int i = 0; i < 4 * limits.max_calls; ++i) {
    grpc::Status st = Echo(*greedy_stub_, greedy);
    EXPECT_TRUE(st.ok()) << i << ": " << st.error_message();
  }
}

TEST_F(CallerLimitsTest, InsecureDevModeHasNoIdentityToKeyByAndIsNotLimited) {
  server::CallerLimits limits;
  limits.max_streams = 1;
  Start(limits, /*insecure_dev=*/true);
  for (int i = 0; i < 3; ++i) OpenUnreadStream("unused");
  EXPECT_TRUE(Echo(*greedy_stub_, "unused").ok());
}

TEST(CallerLimiter, TheServiceRoleHasItsOwnHigherLimitsAndEveryReleaseFreesAPlace) {
  server::CallerLimits limits;
  limits.max_calls = 2;
  limits.max_streams = 1;
  limits.service_max_calls = 4;
  limits.service_max_streams = 3;
  server::CallerLimiter limiter(limits);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(limiter.Acquire("transfer-service", /*service_role=*/true, /*stream=*/true).ok());
  }
  absl::Status s = limiter.Acquire("transfer-service", true, true);
  EXPECT_EQ(s.message(), "caller transfer-service has 3 streams open (limit 3)");
  EXPECT_TRUE(limiter.Acquire("transfer-service", true, false).ok());
  EXPECT_EQ(limiter.Acquire("transfer-service", true, false).message(),
            "caller transfer-service has 4 calls in flight (limit 4)");
  EXPECT_TRUE(limiter.Acquire("operator-1", false, true).ok());
  EXPECT_EQ(limiter.Acquire("operator-1", false, true).message(),
            "caller operator-1 has 1 streams open (limit 1)");
  limiter.Release("operator-1", true);
  EXPECT_EQ(limiter.InFlight("operator-1"), 0);
  EXPECT_TRUE(limiter.Acquire("operator-1", false, true).ok());
  for (int i = 0; i < 3; ++i) limiter.Release("transfer-service", true);
  limiter.Release("transfer-service", false);
  EXPECT_EQ(limiter.InFlight("transfer-service"), 0);
}

// The one admission rule of sync and callback methods: the role in the token picks the limits,
// --insecure-dev is never counted (nothing to give back), a refusal counts nothing.
TEST(CallerLimiter, AdmitPicksTheLimitsByRoleAndNeverCountsInsecureDev) {
  server::CallerLimits limits;
  limits.max_calls = 1;
  limits.service_max_calls = 2;
  server::CallerLimiter limiter(limits);
  auth::Caller service;
  service.claims.subject = "transfer-service";
  service.claims.role = auth::Role::kService;
  auth::Caller op;
  op.claims.subject = "operator-1";
  op.claims.role = auth::Role::kOperator;
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<bool> counted = limiter.Admit(service, /*stream=*/false);
    ASSERT_TRUE(counted.ok()) << counted.status();
    EXPECT_TRUE(*counted);
  }
  EXPECT_EQ(limiter.Admit(service, false).status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(limiter.InFlight("transfer-service"), 2);
  ASSERT_TRUE(limiter.Admit(op, false).ok());
  EXPECT_EQ(limiter.Admit(op, false).status().message(),
            "caller operator-1 has 1 calls in flight (limit 1)");
  auth::Caller dev = op;
  dev.insecure_dev = true;
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<bool> counted = limiter.Admit(dev, false);
    ASSERT_TRUE(counted.ok()) << counted.status();
    EXPECT_FALSE(*counted);
  }
  EXPECT_EQ(limiter.InFlight("operator-1"), 1);
}

}  // namespace
}  // namespace seimbang::testing
