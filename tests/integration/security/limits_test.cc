// Input limits: an oversized message is refused with a clear error, and a
// bounded flood of invalid requests does not grow the server's memory.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server/channel.h"
#include "common/server/server.h"
#include "gtest/gtest.h"
#include "tests/harness/service_process.h"
#include "tests/integration/security/pki.h"
#include "tests/integration/security/support.h"
#include "tests/integration/server/echo_service.h"

namespace seimbang::testing {
namespace {

std::string TempDir() {
  std::string pattern = ::testing::TempDir() + "/seimbang-limits-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return ::testing::TempDir();
  return pattern;
}

// An EchoRequest whose serialized size is exactly `bytes` (bytes >= 8).
std::string EchoRequestOfSize(size_t bytes) {
  v1::EchoRequest req;
  req.set_text(std::string(bytes - 8, 'x'));  // tag + 4..5 byte length varint
  while (req.ByteSizeLong() > bytes) req.mutable_text()->pop_back();
  while (req.ByteSizeLong() < bytes) req.mutable_text()->push_back('x');
  return req.SerializeAsString();
}

class SecurityLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    server::ServerConfig c;
    c.service = "echo";
    c.listen = "127.0.0.1:0";
    c.metrics_listen = "127.0.0.1:0";
    c.auth_hs256_secret_file = WriteFile(dir_, "hs256.secret", kSecret);
    server::ServerHooks hooks;
    hooks.permissions = EchoPermissions();
    absl::StatusOr<std::unique_ptr<server::RunningServer>> s =
        server::RunningServer::Start(c, {&echo_}, std::move(hooks));
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    channel_ = *server::MakeChannel("127.0.0.1:" + std::to_string(server_->port()), {});
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  EchoService echo_;
  std::unique_ptr<server::RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(SecurityLimitsTest, AMessageOverTheReceiveLimitIsResourceExhaustedBeforeTheHandler) {
  const size_t size = server::kMaxReceiveMessageBytes + 1;
  grpc::Status st =
      RawUnary(channel_, kEchoMethod, EchoRequestOfSize(size), MintToken({}), nullptr, 30000);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(st.error_message(), absl::StrCat("Received message larger than max (", size, " vs. ",
                                             server::kMaxReceiveMessageBytes, ")"));
  EXPECT_EQ(echo_.handled.load(), 0);
}

TEST_F(SecurityLimitsTest, AMessageAtTheReceiveLimitReachesTheHandler) {
  v1::EchoRequest req;
  req.ParseFromString(EchoRequestOfSize(server::kMaxReceiveMessageBytes));
  req.set_fail_with_code(5);  // reply NOT_FOUND rather than echo 16 MiB back
  req.mutable_text()->resize(req.text().size() - 2);
  ASSERT_EQ(req.ByteSizeLong(), static_cast<size_t>(server::kMaxReceiveMessageBytes));
  grpc::Status st =
      RawUnary(channel_, kEchoMethod, req.SerializeAsString(), MintToken({}), nullptr, 30000);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
  EXPECT_EQ(st.error_message(), "asked to fail");
  EXPECT_EQ(echo_.handled.load(), 1);
}

// MakeChannel clients accept replies as large as a server may send, not gRPC's 4 MiB default.
TEST_F(SecurityLimitsTest, AReplyOverFourMebibytesReachesAMakeChannelClient) {
  v1::EchoRequest req;
  req.ParseFromString(EchoRequestOfSize(5 * 1024 * 1024));
  std::string reply;
  grpc::Status st =
      RawUnary(channel_, kEchoMethod, req.SerializeAsString(), MintToken({}), &reply, 30000);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_GT(reply.size(), size_t{5 * 1024 * 1024 - 16});
}

TEST_F(SecurityLimitsTest, AnOversizedMessageWithoutATokenIsUnauthenticated) {
  grpc::Status st =
      RawUnary(channel_, kEchoMethod, EchoRequestOfSize(server::kMaxReceiveMessageBytes + 1), "",
               nullptr, 30000);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(st.error_message(), "missing bearer token");
}

TEST_F(SecurityLimitsTest, AnUnparsableRequestIsInternalBeforeTheHandler) {
  grpc::Status st = RawUnary(channel_, kEchoMethod, "\xff\xff\xff\xff", MintToken({}));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INTERNAL);
  // gRPC 1.51's generated handler reports a parse failure with protobuf's
  // InitializationErrorString(), which is empty for proto3 messages.
  EXPECT_EQ(st.error_message(), "");
  EXPECT_EQ(echo_.handled.load(), 0);
}

// ------------------------------------------------------------------ flood

long VmRssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      long kb = 0;
      in >> kb;
      return kb;
    }
    in.ignore(1 << 16, '\n');
  }
  return -1;
}

// Per half of the flood; each half is bounded by count and by time.
constexpr int kBadTokenCallsPerHalf = 10'000;
constexpr int kBadPayloadCallsPerHalf = 10'000;
constexpr int kOversizedEvery = 500;  // 20 oversized messages per half
constexpr int kThreads = 2;
const absl::Duration kHalfBudget = absl::Seconds(75);
// Memory may not grow more than this between the two halves.
constexpr double kMaxGrowth = 0.20;

struct HalfResult {
  int calls = 0;
  std::map<grpc::StatusCode, int> codes;
};

// One half: every call is invalid (bad token, unparsable or oversized body).
HalfResult FloodHalf(const std::string& address, const std::vector<std::string>& bad_tokens,
                     const std::string& admin) {
  const std::string valid_body = [] {
    v1::EchoRequest r;
    r.set_text("halo");
    return r.SerializeAsString();
  }();
  const std::string oversized = EchoRequestOfSize(server::kMaxReceiveMessageBytes + 1);
  const absl::Time stop = absl::Now() + kHalfBudget;
  HalfResult total;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto ch = *server::MakeChannel(address, {});
      HalfResult mine;
      for (int i = t; i < kBadTokenCallsPerHalf && absl::Now() < stop; i += kThreads) {
        const std::string& token = bad_tokens[i % bad_tokens.size()];
        ++mine.codes[RawUnary(ch, kEchoMethod, valid_body, token).error_code()];
        ++mine.calls;
      }
      for (int i = t; i < kBadPayloadCallsPerHalf && absl::Now() < stop; i += kThreads) {
        const bool big = i % kOversizedEvery == 0;
        grpc::Status st = RawUnary(
            ch, kEchoMethod, big ? oversized : std::string("\xff\xff\xff\xff") + std::to_string(i),
            admin, nullptr, 30000);
        ++mine.codes[st.error_code()];
        ++mine.calls;
      }
      std::lock_guard<std::mutex> lock(mu);
      total.calls += mine.calls;
      for (auto [code, n] : mine.codes) total.codes[code] += n;
    });
  }
  for (std::thread& th : threads) th.join();
  return total;
}

TEST(SecurityFlood, InvalidRequestsDoNotGrowTheServersMemory) {
  const std::string dir = TempDir();
  const std::string secret = WriteFile(dir, "hs256.secret", kSecret);
  ServiceProcessOptions o;
  o.args = {"--auth-hs256-secret-file=" + secret, "--log-level=error"};
  absl::StatusOr<ServiceProcess> server = ServiceProcess::Start("seimbang-echo-server", o);
  ASSERT_TRUE(server.ok()) << server.status();

  TokenSpec expired;
  expired.issued_at = absl::Now() - absl::Hours(3);
  TokenSpec forged;
  forged.key = "not-the-secret-not-the-secret-not-the-secret";
  const std::vector<std::string> bad_tokens = {"", "abc", MintToken(expired), MintToken(forged),
                                               MintToken({}) + "x"};
  const std::string admin = MintToken({});

  const long before = VmRssKb(server->pid());
  const HalfResult first = FloodHalf(server->address(), bad_tokens, admin);
  const long middle = VmRssKb(server->pid());
  const HalfResult second = FloodHalf(server->address(), bad_tokens, admin);
  const long after = VmRssKb(server->pid());
  ASSERT_TRUE(server->Running()) << "the server died during the flood; see " << server->log_path();

  std::cout << "VmRSS before " << before << " kB, after half 1 (" << first.calls << " calls) "
            << middle << " kB, after half 2 (" << second.calls << " calls) " << after << " kB\n";
  for (const HalfResult* h : {&first, &second}) {
    // Enough calls for the comparison to mean something, even on a slow box.
    EXPECT_GE(h->calls, 2'000);
    // Every call failed with one of the expected codes; none got through.
    int expected = 0;
    for (auto code : {grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::INTERNAL,
                      grpc::StatusCode::RESOURCE_EXHAUSTED}) {
      auto it = h->codes.find(code);
      if (it != h->codes.end()) expected += it->second;
    }
    EXPECT_EQ(expected, h->calls);
    EXPECT_EQ(h->codes.count(grpc::StatusCode::OK), 0u);
  }
  EXPECT_LE(after, static_cast<long>(middle * (1.0 + kMaxGrowth)))
      << "VmRSS grew from " << middle << " kB to " << after << " kB";
  EXPECT_EQ(server->Stop(), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace seimbang::testing
