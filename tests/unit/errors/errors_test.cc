#include "common/errors/errors.h"

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace seimbang::errors {
namespace {

using ::testing::ElementsAre;

const FieldViolation kNip{"employee.nip", "NIP must have 18 digits, got 17"};
const FieldViolation kUnit{"employee.unit_id", "must not be empty"};

TEST(InvalidArgument, ListsEveryViolationInTheMessage) {
  absl::Status s = InvalidArgument({kNip, kUnit});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "invalid argument: employee.nip: NIP must have 18 digits, got 17; "
            "employee.unit_id: must not be empty");
}

TEST(InvalidArgument, CarriesTheViolationsAsABadRequestPayload) {
  absl::Status s = InvalidArgument({kNip, kUnit});
  EXPECT_THAT(FieldViolationsOf(s), ElementsAre(kNip, kUnit));
  auto payload = s.GetPayload(kBadRequestTypeUrl);
  ASSERT_TRUE(payload.has_value());
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(bad_request.ParseFromString(std::string(*payload)));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(1).field(), "employee.unit_id");
}

TEST(InvalidArgument, WithNoViolationsIsStillAnErrorWithoutPayload) {
  absl::Status s = InvalidArgument({});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "invalid argument");
  EXPECT_TRUE(FieldViolationsOf(s).empty());
}

TEST(FieldViolationsOf, IsEmptyForStatusesWithoutThem) {
  EXPECT_TRUE(FieldViolationsOf(absl::NotFoundError("no such employee")).empty());
  EXPECT_TRUE(FieldViolationsOf(absl::OkStatus()).empty());
  EXPECT_TRUE(FieldViolationsOf(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "x")).empty());
}

TEST(ToGrpcStatus, KeepsCodeAndMessageForEveryCanonicalCode) {
  for (int c = 1; c <= 16; ++c) {
    const absl::Status s(static_cast<absl::StatusCode>(c), "why");
    const grpc::Status g = ToGrpcStatus(s);
    EXPECT_EQ(static_cast<int>(g.error_code()), c);
    EXPECT_EQ(g.error_message(), "why");
    EXPECT_TRUE(g.error_details().empty()) << "no payload, no details";
    EXPECT_EQ(FromGrpcStatus(g), s);
  }
}

TEST(ToGrpcStatus, MapsOkToOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(ToGrpcStatus, MapsNonCanonicalCodesToUnknown) {
  const grpc::Status g = ToGrpcStatus(absl::Status(static_cast<absl::StatusCode>(42), "odd"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_EQ(g.error_message(), "odd");
}

TEST(ToGrpcStatus, PutsViolationsInAGoogleRpcStatusHoldingABadRequest) {
  const grpc::Status g = ToGrpcStatus(InvalidArgument({kNip}));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(g.error_message(), "invalid argument: employee.nip: NIP must have 18 digits, got 17");
  // Decode exactly as a Python or grpcurl client would.
  google::rpc::Status rpc_status;
  ASSERT_TRUE(rpc_status.ParseFromString(g.error_details()));
  EXPECT_EQ(rpc_status.code(), 3);
  EXPECT_EQ(rpc_status.message(), g.error_message());
  ASSERT_EQ(rpc_status.details_size(), 1);
  EXPECT_EQ(rpc_status.details(0).type_url(), "type.googleapis.com/google.rpc.BadRequest");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(rpc_status.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "employee.nip");
  EXPECT_EQ(bad_request.field_violations(0).description(), "NIP must have 18 digits, got 17");
}

TEST(FromGrpcStatus, RestoresTheViolations) {
  const grpc::Status g = ToGrpcStatus(InvalidArgument({kNip, kUnit}));
  EXPECT_THAT(FieldViolationsOf(g), ElementsAre(kNip, kUnit));
  EXPECT_EQ(FromGrpcStatus(g), InvalidArgument({kNip, kUnit}));
}

TEST(FromGrpcStatus, CarriesOtherPayloadsBothWays) {
  absl::Status s = absl::FailedPreconditionError("plan already approved");
  s.SetPayload("type.example.com/seimbang.Test", absl::Cord("opaque"));
  const absl::Status back = FromGrpcStatus(ToGrpcStatus(s));
  EXPECT_EQ(back, s);
}

TEST(FromGrpcStatus, KeepsCodeAndMessageWhenDetailsAreGarbage) {
  const grpc::Status g(grpc::StatusCode::INVALID_ARGUMENT, "bad", "\xff\xff not a proto");
  const absl::Status s = FromGrpcStatus(g);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "bad");
  EXPECT_TRUE(FieldViolationsOf(g).empty());
}

TEST(ValidationErrors, IsOkWhenNothingWasAdded) {
  ValidationErrors errs;
  EXPECT_TRUE(errs.empty());
  EXPECT_TRUE(errs.ToStatus().ok());
  errs.AddIfError("employee.nip", absl::OkStatus());
  EXPECT_TRUE(errs.ToStatus().ok());
}

TEST(ValidationErrors, ReportsEveryAddedViolationInOrder) {
  ValidationErrors errs;
  errs.Add("employee.nip", "must have 18 digits").Add("employee.unit_id", "must not be empty");
  errs.AddIfError("employee.birth_date",
                  absl::InvalidArgumentError("day 30 does not exist in 2023-02"));
  EXPECT_EQ(errs.size(), 3u);
  const absl::Status s = errs.ToStatus();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "invalid argument: employee.nip: must have 18 digits; employee.unit_id: must not be "
            "empty; employee.birth_date: day 30 does not exist in 2023-02");
  EXPECT_THAT(
      FieldViolationsOf(s),
      ElementsAre(FieldViolation{"employee.nip", "must have 18 digits"},
                  FieldViolation{"employee.unit_id", "must not be empty"},
                  FieldViolation{"employee.birth_date", "day 30 does not exist in 2023-02"}));
}

// A server whose every method fails with the status it was given, to check
// that the violations survive a real call (grpc-status-details-bin trailer).
class FailingService : public grpc::CallbackGenericService {
 public:
  explicit FailingService(grpc::Status status) : status_(std::move(status)) {}

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      explicit Reactor(const grpc::Status& status) { Finish(status); }
      void OnDone() override { delete this; }
    };
    return new Reactor(status_);
  }

 private:
  grpc::Status status_;
};

TEST(GrpcWire, ViolationsReachTheClientThroughARealCall) {
  FailingService service(ToGrpcStatus(InvalidArgument({kNip, kUnit})));
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterCallbackGenericService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ASSERT_GT(port, 0);

  grpc::GenericStub stub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Slice empty_message("");  // an empty protobuf message on the wire
  grpc::ByteBuffer request(&empty_message, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, "/seimbang.test.v1.Test/Fail", grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  const grpc::Status got = done.get_future().get();
  server->Shutdown();

  EXPECT_EQ(got.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(got.error_message(),
            "invalid argument: employee.nip: NIP must have 18 digits, got 17; "
            "employee.unit_id: must not be empty");
  EXPECT_THAT(FieldViolationsOf(got), ElementsAre(kNip, kUnit));
  // The details arrive in the standard trailer, where other clients look.
  const auto& trailers = ctx.GetServerTrailingMetadata();
  EXPECT_EQ(trailers.count("grpc-status-details-bin"), 1u);
}

// Issue 15 item 6: an error message never repeats more than a bounded prefix of the input.
TEST(Echo, KeepsShortValuesAndCutsLongOnesAtACharacterBoundary) {
  EXPECT_EQ(Echo("73.71"), "73.71");
  EXPECT_EQ(Echo(std::string(64, 'x')), std::string(64, 'x'));
  EXPECT_EQ(Echo(std::string(65, 'x')), std::string(64, 'x') + "\xE2\x80\xA6");
  // "é" is two bytes; a cut after 64 bytes would split the one at bytes 63-64.
  const std::string accents = std::string(63, 'a') + "\xC3\xA9" + "zz";
  EXPECT_EQ(Echo(accents), std::string(63, 'a') + "\xE2\x80\xA6");
  EXPECT_EQ(Echo("abcdef", 3), "abc\xE2\x80\xA6");
  EXPECT_EQ(Echo(std::string(8 << 20, '9')).size(), 64u + 3u);
}

// Issue 15 item 6: a status built from huge or many violations stays small.
TEST(InvalidArgument, BoundsDescriptionsViolationCountAndMessage) {
  std::vector<FieldViolation> many;
  for (int i = 0; i < 1000; ++i) {
    many.push_back({absl::StrCat("rows[", i, "].nip"), std::string(1 << 20, '1')});
  }
  absl::Status s = InvalidArgument(many);
  EXPECT_LE(s.message().size(), kMaxMessageBytes + 3);
  const std::vector<FieldViolation> got = FieldViolationsOf(s);
  ASSERT_EQ(got.size(), kMaxViolations + 1);
  EXPECT_EQ(got[0].field, "rows[0].nip");
  EXPECT_LE(got[0].description.size(), kMaxDescriptionBytes + 3);
  EXPECT_EQ(got.back().description, "900 more violations left out");
  const grpc::Status g = ToGrpcStatus(s);
  EXPECT_LE(g.error_message().size(), kMaxMessageBytes + 3);
  EXPECT_LT(g.error_details().size(), 64u * 1024);
}

// Issue 15 item 6: whatever a handler wrote, the wire message is bounded.
TEST(ToGrpcStatus, CutsAHugeMessage) {
  const grpc::Status g = ToGrpcStatus(absl::NotFoundError("employee " + std::string(8 << 20, '*')));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(g.error_message().size(), kMaxMessageBytes + 3);
}

}  // namespace
}  // namespace seimbang::errors
