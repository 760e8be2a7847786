// Starts the real common/server bootstrap around the echo service and checks
// what every Seimbang binary promises: health, reflection, metrics, auth
// before the handler, and a clean exit on SIGTERM.
#include "common/server/server.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/auth/verifier.h"
#include "common/log/log.h"
#include "common/server/channel.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/harness/raw_call.h"
#include "tests/integration/server/echo_service.h"
#include "tests/support/http.h"
#include "tests/support/test_db.h"

namespace seimbang::server {
namespace {

using ::testing::HasSubstr;
using testing::v1::EchoRequest;
using testing::v1::EchoResponse;

const std::string kSecret = "integration-secret-integration-secret-0123";

std::string WriteTemp(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "/" + std::to_string(getpid()) + "-" + name;
  std::ofstream(path) << content;
  testsupport::RemoveAtExit(path);
  return path;
}

std::string Token(auth::Role role, std::string agency = "") {
  auth::MintOptions m;
  m.key = kSecret;
  m.claims.subject = "tester";
  m.claims.role = role;
  m.claims.agency = std::move(agency);
  return *auth::Mint(m);
}

// One request, one response on any method, as raw bytes: health and
// reflection messages are tiny enough to write and read by hand, and their
// generated classes are not installed.
std::string RawCall(grpc::Channel* channel, const std::string& method, const std::string& request,
                    grpc::Status* status) {
  grpc::GenericStub stub(channel->shared_from_this());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::CompletionQueue cq;
  grpc::Slice slice(request);
  grpc::ByteBuffer req(&slice, 1), resp;
  auto call = stub.PrepareCall(&ctx, method, &cq);
  void* tag;
  bool ok;
  call->StartCall(reinterpret_cast<void*>(1));
  cq.Next(&tag, &ok);
  call->Write(req, reinterpret_cast<void*>(2));
  cq.Next(&tag, &ok);
  call->WritesDone(reinterpret_cast<void*>(3));
  cq.Next(&tag, &ok);
  std::string out;
  call->Read(&resp, reinterpret_cast<void*>(4));
  cq.Next(&tag, &ok);
  if (ok) {
    std::vector<grpc::Slice> slices;
    (void)resp.Dump(&slices);
    for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  call->Finish(status, reinterpret_cast<void*>(5));
  while (cq.Next(&tag, &ok) && tag != reinterpret_cast<void*>(5)) {
  }
  return out;
}

// grpc.health.v1.HealthCheckResponse{status: SERVING} is field 1 = 1.
const std::string kServing("\x08\x01", 2);
const std::string kNotServing("\x08\x02", 2);

std::string HealthOf(grpc::Channel* ch, const std::string& service) {
  // HealthCheckRequest{service}: field 1, length-delimited.
  std::string req;
  if (!service.empty()) req = std::string("\x0a", 1) + char(service.size()) + service;
  grpc::Status st;
  std::string resp = RawCall(ch, "/grpc.health.v1.Health/Check", req, &st);
  return st.ok() ? resp : "error: " + st.error_message();
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = testing::LocalEchoConfig();
    config_.auth_hs256_secret_file = WriteTemp("hs256.secret", kSecret + "\n");
    hooks_.store_healthy = [this] { return store_up_.load(); };
    absl::StatusOr<std::unique_ptr<RunningServer>> s =
        testing::StartEchoServer(config_, &echo_, hooks_);
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    channel_ = *MakeChannel("127.0.0.1:" + std::to_string(server_->port()), {});
    stub_ = testing::v1::EchoService::NewStub(channel_);
  }

  grpc::Status Echo(const std::string& token, EchoResponse* resp, int fail_with = 0) {
    auto ctx = ClientContextWithDeadline(5000, token, "req-42");
    EchoRequest req;
    req.set_text("halo");
    req.set_fail_with_code(fail_with);
    return stub_->Echo(ctx.get(), req, resp);
  }

  ServerConfig config_;
  ServerHooks hooks_;
  testing::EchoService echo_;
  std::atomic<bool> store_up_{true};
  std::unique_ptr<RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<testing::v1::EchoService::Stub> stub_;
};

TEST_F(ServerTest, AnswersHealthServingOverallAndPerServiceWithoutAToken) {
  EXPECT_EQ(HealthOf(channel_.get(), ""), kServing);
  EXPECT_EQ(HealthOf(channel_.get(), "seimbang.testing.v1.EchoService"), kServing);
}

TEST_F(ServerTest, HealthFollowsTheStoreWithinTwoSeconds) {
  store_up_ = false;
  absl::SleepFor(absl::Milliseconds(2200));
  EXPECT_EQ(HealthOf(channel_.get(), ""), kNotServing);
  store_up_ = true;
  absl::SleepFor(absl::Milliseconds(2200));
  EXPECT_EQ(HealthOf(channel_.get(), ""), kServing);
}

TEST_F(ServerTest, ReflectionListsTheServiceWithoutAToken) {
  // ServerReflectionRequest{list_services: ""}: field 7, empty string.
  grpc::Status st;
  std::string resp =
      RawCall(channel_.get(), "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
              std::string("\x3a\x00", 2), &st);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_THAT(resp, HasSubstr("seimbang.testing.v1.EchoService"));
}

TEST_F(ServerTest, ACallWithoutATokenIsUnauthenticatedBeforeTheHandler) {
  EchoResponse resp;
  grpc::Status st = Echo("", &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(st.error_message(), "missing bearer token");
  st = Echo("garbage", &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(st.error_message(), "token malformed");
  EXPECT_EQ(echo_.handled.load(), 0);
}

TEST_F(ServerTest, AViewerOnAnAdminOnlyMethodIsPermissionDeniedBeforeTheHandler) {
  auto ctx = ClientContextWithDeadline(5000, Token(auth::Role::kViewer, "73.71"));
  EchoResponse resp;
  auto writer = stub_->Collect(ctx.get(), &resp);
  writer->WritesDone();
  grpc::Status st = writer->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(st.error_message(),
            "role viewer may not call /seimbang.testing.v1.EchoService/Collect");
  EXPECT_EQ(echo_.handled.load(), 0);
}

TEST_F(ServerTest, TheHandlerSeesTheCallerOfEachCallOnOneConnection) {
  EchoResponse resp;
  ASSERT_TRUE(Echo(Token(auth::Role::kViewer, "73.71"), &resp).ok());
  EXPECT_EQ(resp.caller_role(), "viewer");
  ASSERT_TRUE(Echo(Token(auth::Role::kAdmin), &resp).ok());
  EXPECT_EQ(resp.caller_role(), "admin");
}

std::string Line(const std::string& family, const std::string& type, const std::string& method,
                 const std::string& code = "") {
  std::string l = family + "{";
  if (!code.empty()) l += "grpc_code=\"" + code + "\",";
  return l + "grpc_method=\"" + method +
         "\",grpc_service=\"seimbang.testing.v1.EchoService\",grpc_type=\"" + type + "\"}";
}

TEST_F(ServerTest, MetricsEndpointCountsEveryKindOfCallLikeGoGrpcPrometheus) {
  const std::string admin = Token(auth::Role::kAdmin);
  EchoResponse resp;
  ASSERT_TRUE(Echo(admin, &resp).ok());
  EXPECT_EQ(Echo(admin, &resp, 5).error_code(), grpc::StatusCode::NOT_FOUND);
  {
    auto ctx = ClientContextWithDeadline(5000, admin);
    testing::v1::ExpandRequest req;
    req.set_repeat(3);
    auto reader = stub_->Expand(ctx.get(), req);
    while (reader->Read(&resp)) {
    }
    ASSERT_TRUE(reader->Finish().ok());
  }
  {
    auto ctx = ClientContextWithDeadline(5000, admin);
    auto writer = stub_->Collect(ctx.get(), &resp);
    EchoRequest req;
    writer->Write(req);
    writer->Write(req);
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
  }
  {
    auto ctx = ClientContextWithDeadline(5000, admin);
    auto stream = stub_->Chat(ctx.get());
    EchoRequest req;
    stream->Write(req);
    stream->Read(&resp);
    stream->WritesDone();
    ASSERT_TRUE(stream->Finish().ok());
  }
  const std::string text = testsupport::HttpGet(server_->metrics().port(), "/metrics");
  EXPECT_THAT(text, HasSubstr(Line("grpc_server_started_total", "unary", "Echo") + " 2"));
  EXPECT_THAT(text, HasSubstr(Line("grpc_server_handled_total", "unary", "Echo", "OK") + " 1"));
  EXPECT_THAT(text,
              HasSubstr(Line("grpc_server_handled_total", "unary", "Echo", "NotFound") + " 1"));
  EXPECT_THAT(text,
              HasSubstr(Line("grpc_server_msg_sent_total", "server_stream", "Expand") + " 3"));
  EXPECT_THAT(text,
              HasSubstr(Line("grpc_server_msg_received_total", "client_stream", "Collect") + " 2"));
  EXPECT_THAT(text,
              HasSubstr(Line("grpc_server_handled_total", "bidi_stream", "Chat", "OK") + " 1"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_bucket{grpc_method=\"Echo\""));
  EXPECT_THAT(text, HasSubstr("le=\"0.005\""));
  EXPECT_THAT(text, HasSubstr("seimbang_build_info{service=\"echo\",version=\"dev\"} 1"));

  if (std::system("which promtool > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "promtool not installed (Debian package 'prometheus'); "
                    "skipping only the promtool check";
  }
  const std::string file = WriteTemp("metrics.txt", text);
  EXPECT_EQ(std::system(("promtool check metrics < " + file).c_str()), 0);
}

// Issue 22 item 2: Echo is a raw callback method that records its own calls (no interceptor
// sees it: common/server/serve.h), Expand a sync method the interceptor records. Each call
// writes the same one log line either way, with its request id and the caller's role, and a
// callback body that does not parse is counted and logged as InvalidArgument.
TEST_F(ServerTest, EveryCallWritesOneRpcLogLineWhicheverApiServesIt) {
  std::vector<std::string> lines;
  log::Sink previous = log::SetSink([&](std::string_view l) { lines.emplace_back(l); });
  const std::string admin = Token(auth::Role::kAdmin);
  EchoResponse resp;
  ASSERT_TRUE(Echo(admin, &resp).ok());
  {
    auto ctx = ClientContextWithDeadline(5000, Token(auth::Role::kViewer, "73.71"), "req-43");
    testing::v1::ExpandRequest req;
    req.set_repeat(1);
    auto reader = stub_->Expand(ctx.get(), req);
    while (reader->Read(&resp)) {
    }
    ASSERT_TRUE(reader->Finish().ok());
  }
  const grpc::Status unparsable = testing::RawUnary(
      channel_, "/seimbang.testing.v1.EchoService/Echo", "\xff\xff\xff\xff", admin);
  EXPECT_EQ(unparsable.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  log::SetSink(previous);

  std::vector<std::string> rpc;
  for (const std::string& l : lines) {
    if (absl::StrContains(l, "\"event\":\"rpc\"")) rpc.push_back(l);
  }
  ASSERT_EQ(rpc.size(), 3u) << absl::StrJoin(lines, "\n");
  const std::string service = "\"service\":\"seimbang.testing.v1.EchoService\"";
  for (const std::string& l : rpc) EXPECT_THAT(l, HasSubstr(service));
  EXPECT_THAT(rpc[0], HasSubstr("\"method\":\"Echo\",\"code\":\"OK\""));
  EXPECT_THAT(rpc[0], HasSubstr("\"request_id\":\"req-42\",\"caller_role\":\"admin\""));
  EXPECT_THAT(rpc[1], HasSubstr("\"method\":\"Expand\",\"code\":\"OK\""));
  EXPECT_THAT(rpc[1], HasSubstr("\"request_id\":\"req-43\",\"caller_role\":\"viewer\""));
  EXPECT_THAT(rpc[2], HasSubstr("\"method\":\"Echo\",\"code\":\"InvalidArgument\""));
  EXPECT_THAT(rpc[2], HasSubstr("\"request_id\":\"\",\"caller_role\":\"admin\""));

  const std::string text = testsupport::HttpGet(server_->metrics().port(), "/metrics");
  EXPECT_THAT(text, HasSubstr(Line("grpc_server_started_total", "unary", "Echo") + " 2"));
  EXPECT_THAT(text, HasSubstr(Line("grpc_server_msg_received_total", "unary", "Echo") + " 1"));
  EXPECT_THAT(text, HasSubstr(Line("grpc_server_msg_sent_total", "unary", "Echo") + " 1"));
  EXPECT_THAT(
      text,
      HasSubstr(Line("grpc_server_handled_total", "unary", "Echo", "InvalidArgument") + " 1"));
  EXPECT_THAT(text,
              HasSubstr(Line("grpc_server_handled_total", "server_stream", "Expand", "OK") + " 1"));
}

// Issue 15 items 6 and 8: in a client stream, a message that does not parse
// (here invalid UTF-8 in a proto3 string, which the client library still
// sends) is INVALID_ARGUMENT, not taken for the end of the stream; a clean
// half-close still completes it (common/server/strict_read.h).
TEST_F(ServerTest, AMalformedMessageInAClientStreamIsInvalidArgumentNotTheEnd) {
  const std::string admin = Token(auth::Role::kAdmin);
  EchoResponse resp;
  {
    auto ctx = ClientContextWithDeadline(5000, admin);
    auto writer = stub_->Collect(ctx.get(), &resp);
    EchoRequest good;
    good.set_text("a");
    EchoRequest bad;
    bad.set_text(std::string("b\xff\xfe", 3));
    writer->Write(good);
    writer->Write(bad);
    writer->Write(good);
    writer->WritesDone();
    grpc::Status st = writer->Finish();
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_THAT(st.error_message(), HasSubstr("EchoRequest"));
  }
  {
    auto ctx = ClientContextWithDeadline(5000, admin);
    auto writer = stub_->Collect(ctx.get(), &resp);
    EchoRequest good;
    good.set_text("a");
    writer->Write(good);
    writer->Write(good);
    writer->WritesDone();
    grpc::Status st = writer->Finish();
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(resp.text(), "aa");
  }
}

TEST_F(ServerTest, PoolStatsAppearAtScrapeTime) {
  server_->metrics().SetPoolSource([] {
    metrics::PoolSample s;
    s.in_use = 3;
    s.idle = 5;
    s.waits_total = 7;
    return s;
  });
  const std::string text = testsupport::HttpGet(server_->metrics().port(), "/metrics");
  EXPECT_THAT(text, HasSubstr("seimbang_db_pool_connections{state=\"in_use\"} 3"));
  EXPECT_THAT(text, HasSubstr("seimbang_db_pool_connections{state=\"idle\"} 5"));
  EXPECT_THAT(text, HasSubstr("seimbang_db_pool_waits_total 7"));
}

TEST(EchoServerBinary, ExitsZeroOnSigterm) {
  // SEIMBANG_BIN_DIR when set; else next to build/bin/tests/<this test>.
  std::string bin_dir;
  if (const char* d = std::getenv("SEIMBANG_BIN_DIR")) {
    bin_dir = d;
  } else {
    char self[4096] = {};
    ASSERT_GT(readlink("/proc/self/exe", self, sizeof self - 1), 0);
    bin_dir = std::string(self);
    bin_dir = bin_dir.substr(0, bin_dir.rfind('/'));  // bin/tests
    bin_dir = bin_dir.substr(0, bin_dir.rfind('/'));  // bin
  }
  const std::string bin = bin_dir + "/seimbang-echo-server";
  const std::string port_file =
      ::testing::TempDir() + "/echo-" + std::to_string(getpid()) + ".port";
  std::remove(port_file.c_str());
  const std::string secret = WriteTemp("bin.secret", kSecret);
  pid_t pid = fork();
  if (pid == 0) {
    execl(bin.c_str(), bin.c_str(), "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
          "--auth-hs256-secret-file", secret.c_str(), "--port-file", port_file.c_str(),
          "--shutdown-grace", "2s", static_cast<char*>(nullptr));
    _exit(127);
  }
  int port = 0;
  for (int i = 0; i < 100 && port == 0; ++i) {
    std::ifstream(port_file) >> port;
    if (port == 0) absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_GT(port, 0) << "the server never wrote its port file";
  auto ch = *MakeChannel("127.0.0.1:" + std::to_string(port), {});
  EXPECT_EQ(HealthOf(ch.get(), ""), kServing);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace seimbang::server
