// MakeChannel's retry policy (common/server/channel.h): a method named in idempotent_methods is
// sent again on UNAVAILABLE; a server stream only until the server starts answering, because
// gRPC commits a call once a response has begun. transfer and workload name personnel's reads
// (StreamEmployees among them) this way, so a stream that meets a connection a server is
// closing at its maximum age is retried instead of failing the plan or projection.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/server/channel.h"
#include "gtest/gtest.h"
#include "seimbang/testing/v1/echo.grpc.pb.h"

namespace seimbang::server {
namespace {

namespace ev1 = ::seimbang::testing::v1;

// Expand: the first `refuse` calls end UNAVAILABLE before answering anything; a call once some
// answer was sent ends UNAVAILABLE after its first message when `break_after_first` is set.
class FlakyExpand final : public ev1::EchoService::Service {
 public:
  FlakyExpand(int refuse, bool break_after_first)
      : refuse_(refuse), break_after_first_(break_after_first) {}
  grpc::Status Expand(grpc::ServerContext*, const ev1::ExpandRequest* req,
                      grpc::ServerWriter<ev1::EchoResponse>* out) override {
    if (calls_.fetch_add(1) < refuse_) return {grpc::StatusCode::UNAVAILABLE, "GOAWAY received"};
    ev1::EchoResponse r;
    r.set_text(req->text());
    for (int i = 0; i < req->repeat(); ++i) {
      out->Write(r);
      if (break_after_first_) return {grpc::StatusCode::UNAVAILABLE, "connection lost"};
    }
    return grpc::Status::OK;
  }
  int calls() const { return calls_.load(); }

 private:
  const int refuse_;
  const bool break_after_first_;
  std::atomic<int> calls_{0};
};

struct Served {
  explicit Served(FlakyExpand* service) {
    grpc::ServerBuilder b;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    b.RegisterService(service);
    server = b.BuildAndStart();
  }
  ~Served() { server->Shutdown(); }
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};

// The texts Expand answered and how the call ended, over a channel retrying `retried`.
grpc::Status Expand(int port, const std::vector<std::string>& retried,
                    std::vector<std::string>* texts) {
  ChannelOptions options;
  options.idempotent_methods = retried;
  auto channel = MakeChannel("127.0.0.1:" + std::to_string(port), options);
  if (!channel.ok()) return {grpc::StatusCode::INTERNAL, std::string(channel.status().message())};
  auto stub = ev1::EchoService::NewStub(*channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  ev1::ExpandRequest req;
  req.set_text("ok");
  req.set_repeat(2);
  auto reader = stub->Expand(&ctx, req);
  for (ev1::EchoResponse r; reader->Read(&r);) texts->push_back(r.text());
  return reader->Finish();
}

constexpr char kExpand[] = "/seimbang.testing.v1.EchoService/Expand";

TEST(ChannelRetry, AListedServerStreamRefusedBeforeItAnswersIsSentAgain) {
  FlakyExpand service(/*refuse=*/2, /*break_after_first=*/false);
  Served s(&service);
  std::vector<std::string> texts;
  grpc::Status st = Expand(s.port, {kExpand}, &texts);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(texts, (std::vector<std::string>{"ok", "ok"}));
  EXPECT_EQ(service.calls(), 3);
}

TEST(ChannelRetry, AnUnlistedMethodIsNotSentAgain) {
  FlakyExpand service(/*refuse=*/1, /*break_after_first=*/false);
  Served s(&service);
  std::vector<std::string> texts;
  grpc::Status st = Expand(s.port, {}, &texts);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(service.calls(), 1);
}

TEST(ChannelRetry, AServerStreamThatBreaksAfterAnsweringIsNotSentAgain) {
  FlakyExpand service(/*refuse=*/0, /*break_after_first=*/true);
  Served s(&service);
  std::vector<std::string> texts;
  grpc::Status st = Expand(s.port, {kExpand}, &texts);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(texts, (std::vector<std::string>{"ok"}));  // no duplicate of what was answered
  EXPECT_EQ(service.calls(), 1);
}

}  // namespace
}  // namespace seimbang::server
