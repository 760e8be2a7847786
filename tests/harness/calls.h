// What every test that calls the services over gRPC needs: tokens signed with
// the test's HS256 secret, client contexts with a deadline and the bearer
// token, and proto dates.
#ifndef SEIMBANG_TESTS_HARNESS_CALLS_H_
#define SEIMBANG_TESTS_HARNESS_CALLS_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/sync_stream.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "common/auth/claims.h"
#include "seimbang/common/v1/common.pb.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"

namespace seimbang::testing {

// An HS256 token for `role` (scoped to `agency`, or to `nip` for an employee),
// valid for an hour. The subject is `subject`, else the NIP, else the role name.
// Empty (and a test failure) if minting fails.
[[nodiscard]] std::string MintTestToken(std::string_view secret, auth::Role role,
                                        const std::string& agency = "", const std::string& nip = "",
                                        const std::string& subject = "");

// A context that sends `token` as a bearer token (none when empty) and, when
// given, `request_id` as x-request-id.
[[nodiscard]] std::unique_ptr<grpc::ClientContext> CallContext(
    const std::string& token, absl::Duration deadline = absl::Seconds(60),
    const std::string& request_id = "");

[[nodiscard]] common::v1::Date ProtoDate(int year, int month, int day);

// Polls `pred` every 100 ms until it holds or `timeout_ms` passes; returns whether it held.
bool WaitFor(const std::function<bool()>& pred, int timeout_ms);

// Writes `messages` to a client stream (up to the first write the server refuses), half-closes
// it and returns the call's status.
template <typename Req>
[[nodiscard]] grpc::Status WriteAll(grpc::ClientWriterInterface<Req>& writer,
                                    const std::vector<Req>& messages) {
  for (const Req& m : messages) {
    if (!writer.Write(m)) break;
  }
  writer.WritesDone();
  return writer.Finish();
}

// Streams `records` to personnel's ImportRecords, the call sent with `token` (and `request_id`
// as x-request-id when given): the call's status, and its response in *resp. A stream the
// server ends early stops writing; the status says why.
[[nodiscard]] grpc::Status ImportRecords(
    personnel::v1::PersonnelService::StubInterface& stub,
    const std::vector<personnel::v1::ImportRecordsRequest>& records, const std::string& token,
    personnel::v1::ImportRecordsResponse* resp, const std::string& request_id = "");

}  // namespace seimbang::testing

#endif  // SEIMBANG_TESTS_HARNESS_CALLS_H_
