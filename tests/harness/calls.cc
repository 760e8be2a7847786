#include "tests/harness/calls.h"

#include <chrono>
#include <thread>

#include "common/auth/verifier.h"
#include "common/proto_convert/date.h"
#include "gtest/gtest.h"

namespace seimbang::testing {

std::string MintTestToken(std::string_view secret, auth::Role role, const std::string& agency,
                          const std::string& nip, const std::string& subject) {
  auth::MintOptions o;
  o.key = std::string(secret);
  o.claims.subject = !subject.empty() ? subject
                     : !nip.empty()   ? nip
                                      : std::string(auth::RoleName(role));
  o.claims.role = role;
  o.claims.agency = agency;
  o.claims.nip = nip;
  absl::StatusOr<std::string> t = auth::Mint(o);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : "";
}

std::unique_ptr<grpc::ClientContext> CallContext(const std::string& token, absl::Duration deadline,
                                                 const std::string& request_id) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(deadline));
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  if (!request_id.empty()) ctx->AddMetadata("x-request-id", request_id);
  return ctx;
}

common::v1::Date ProtoDate(int year, int month, int day) {
  return proto_convert::ToProto(domain::Date{year, month, day});
}

grpc::Status ImportRecords(personnel::v1::PersonnelService::StubInterface& stub,
                           const std::vector<personnel::v1::ImportRecordsRequest>& records,
                           const std::string& token, personnel::v1::ImportRecordsResponse* resp,
                           const std::string& request_id) {
  auto ctx = CallContext(token, absl::Seconds(60), request_id);
  return WriteAll(*stub.ImportRecords(ctx.get(), resp), records);
}

bool WaitFor(const std::function<bool()>& pred, int timeout_ms) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace seimbang::testing
