// Input limits: an oversized message is refused with a clear error, and a
// bounded flood of invalid requests does not grow the server's memory.
#include <unistd.h>

#include <algorithm>
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
    server::ServerConfig c = LocalEchoConfig();
    c.auth_hs256_secret_file = WriteFile(dir_, "hs256.secret", kSecret);
    absl::StatusOr<std::unique_ptr<server::RunningServer>> s = StartEchoServer(c, &echo_);
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

// Issue 15 item 6: gRPC 1.51's generated handler reports a parse failure as INTERNAL with
// protobuf's InitializationErrorString(), empty for proto3; the status guard
// (common/server/status_guard.h) makes it the caller's fault, with a message.
TEST_F(SecurityLimitsTest, AnUnparsableRequestIsInvalidArgumentBeforeTheHandler) {
  grpc::Status st = RawUnary(channel_, kEchoMethod, "\xff\xff\xff\xff", MintToken({}));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "request body is not a valid seimbang.testing.v1.EchoRequest (malformed bytes or "
            "invalid UTF-8 in a string field)");
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

// Per round of the flood; each round is bounded by count and by time.
constexpr int kBadTokenCallsPerRound = 5'000;
constexpr int kBadPayloadCallsPerRound = 5'000;
constexpr int kOversizedEvery = 250;  // 20 oversized messages per round
constexpr int kThreads = 2;
const absl::Duration kRoundBudget = absl::Seconds(40);
// One warm-up round (thread pools, allocator arenas and caches fill up), then
// these many measured rounds.
constexpr int kMeasuredRounds = 4;
// A leak grows the heap in every round; allocator noise comes in steps. A
// round that grows less than this (about 13 bytes a call) is a plateau.
constexpr long kPlateauKb = 128;
// Gross bound: whatever the pattern, the flood may not double the heap.
constexpr double kMaxGrowth = 1.0;

struct RoundResult {
  int calls = 0;
  std::map<grpc::StatusCode, int> codes;
};

// One round: every call is invalid (bad token, unparsable or oversized body).
RoundResult FloodRound(const std::string& address, const std::vector<std::string>& bad_tokens,
                       const std::string& admin) {
  const std::string valid_body = [] {
    v1::EchoRequest r;
    r.set_text("halo");
    return r.SerializeAsString();
  }();
  const std::string oversized = EchoRequestOfSize(server::kMaxReceiveMessageBytes + 1);
  const absl::Time stop = absl::Now() + kRoundBudget;
  RoundResult total;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto ch = *server::MakeChannel(address, {});
      RoundResult mine;
      for (int i = t; i < kBadTokenCallsPerRound && absl::Now() < stop; i += kThreads) {
        const std::string& token = bad_tokens[i % bad_tokens.size()];
        ++mine.codes[RawUnary(ch, kEchoMethod, valid_body, token).error_code()];
        ++mine.calls;
      }
      for (int i = t; i < kBadPayloadCallsPerRound && absl::Now() < stop; i += kThreads) {
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
  // Fewer glibc arenas: on a loaded machine gRPC starts more threads, and each
  // new arena is a step in RSS that is not a leak.
  o.env = {"MALLOC_ARENA_MAX=2"};
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
  std::vector<RoundResult> rounds;
  std::vector<long> rss;  // after each round; rss[0] is after the warm-up
  for (int r = 0; r <= kMeasuredRounds; ++r) {
    rounds.push_back(FloodRound(server->address(), bad_tokens, admin));
    rss.push_back(VmRssKb(server->pid()));
    ASSERT_TRUE(server->Running())
        << "the server died during the flood; see " << server->log_path();
  }

  std::cout << "VmRSS before " << before << " kB; after each round of about " << rounds[0].calls
            << " calls:";
  for (long kb : rss) std::cout << " " << kb;
  std::cout << " kB\n";
  for (const RoundResult& h : rounds) {
    // Enough calls for the comparison to mean something, even on a slow box.
    EXPECT_GE(h.calls, 1'000);
    // Every call failed with one of the expected codes; none got through.
    int expected = 0;
    for (auto code : {grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::INVALID_ARGUMENT,
                      grpc::StatusCode::RESOURCE_EXHAUSTED}) {
      auto it = h.codes.find(code);
      if (it != h.codes.end()) expected += it->second;
    }
    EXPECT_EQ(expected, h.calls);
    EXPECT_EQ(h.codes.count(grpc::StatusCode::OK), 0u);
  }
  long smallest_step = rss[1] - rss[0];
  for (int r = 1; r <= kMeasuredRounds; ++r)
    smallest_step = std::min(smallest_step, rss[r] - rss[r - 1]);
  EXPECT_LE(smallest_step, kPlateauKb)
      << "VmRSS grew in every one of " << kMeasuredRounds << " rounds (by " << smallest_step
      << " kB or more): invalid requests leak";
  EXPECT_LE(rss.back(), static_cast<long>(rss.front() * (1.0 + kMaxGrowth)))
      << "VmRSS grew from " << rss.front() << " kB to " << rss.back() << " kB";
  EXPECT_EQ(server->Stop(), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace seimbang::testing
