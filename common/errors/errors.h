#ifndef SEIMBANG_COMMON_ERRORS_ERRORS_H_
#define SEIMBANG_COMMON_ERRORS_ERRORS_H_

// The one mapping between absl::Status (libraries) and grpc::Status (the
// wire), including field violations for INVALID_ARGUMENT, which travel as a
// google.rpc.BadRequest inside google.rpc.Status in `grpc-status-details-bin`.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/domain/field_violation.h"
#include "grpcpp/support/status.h"

namespace seimbang::errors {

// How much of a caller's value an error message may repeat (issue 15 item 6):
// an 8 MiB NIP must not come back as an 8 MiB status.
inline constexpr size_t kMaxEchoBytes = 64;
// Bounds of what one status carries, whatever its handler wrote: a description,
// the number of field violations, and the whole message.
inline constexpr size_t kMaxDescriptionBytes = 512;
inline constexpr size_t kMaxViolations = 100;
inline constexpr size_t kMaxMessageBytes = 4096;

// `value` when it has at most `max_bytes` bytes; otherwise its first bytes, cut
// at a UTF-8 character boundary so the result stays valid UTF-8, followed by
// "…" (U+2026). The one helper for putting caller input into an error message:
//   absl::StrCat("unit ", errors::Echo(code), " not found")
[[nodiscard]] std::string Echo(std::string_view value, size_t max_bytes = kMaxEchoBytes);

// absl::Status payload key (and google.protobuf.Any type URL) of the
// serialized google.rpc.BadRequest.
inline constexpr char kBadRequestTypeUrl[] = "type.googleapis.com/google.rpc.BadRequest";

// One bad field of a request (common/domain/field_violation.h).
using FieldViolation = domain::FieldViolation;

// INVALID_ARGUMENT with message "invalid argument: f1: d1; f2: d2" (so plain
// clients see the reasons) and the violations as a BadRequest payload. At most
// kMaxViolations violations are kept (a last one says how many were left out),
// each field and description cut by Echo to kMaxDescriptionBytes, and the
// message to kMaxMessageBytes.
[[nodiscard]] absl::Status InvalidArgument(const std::vector<FieldViolation>& violations);

// The violations carried by a status; empty if none.
[[nodiscard]] std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);
[[nodiscard]] std::vector<FieldViolation> FieldViolationsOf(const grpc::Status& status);

// Same canonical code and message (cut by Echo to kMaxMessageBytes). Every payload of `status` (the
// BadRequest among them) becomes a google.protobuf.Any in the google.rpc.Status sent as the error
// details. Codes outside the canonical range become UNKNOWN.
[[nodiscard]] grpc::Status ToGrpcStatus(const absl::Status& status);
// The inverse: code, message, and each detail back as a payload keyed by its
// type URL. Undecodable details are dropped; the code and message remain.
[[nodiscard]] absl::Status FromGrpcStatus(const grpc::Status& status);

// Collects violations while validating a request, then reports them at once:
//   ValidationErrors errs;
//   if (nip.empty()) errs.Add("employee.nip", "must not be empty");
//   errs.AddIfError("employee.birth_date", domain::ParseDate(s).status());
//   if (absl::Status s = errs.ToStatus(); !s.ok()) return s;
class ValidationErrors {
 public:
  ValidationErrors& Add(std::string field, std::string description);
  // Adds `status.message()` as the description unless `status` is OK.
  ValidationErrors& AddIfError(std::string field, const absl::Status& status);

  [[nodiscard]] bool empty() const { return violations_.empty(); }
  [[nodiscard]] size_t size() const { return violations_.size(); }
  [[nodiscard]] const std::vector<FieldViolation>& violations() const { return violations_; }

  // OK when nothing was added; otherwise InvalidArgument(violations()).
  [[nodiscard]] absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
};

}  // namespace seimbang::errors

#endif  // SEIMBANG_COMMON_ERRORS_ERRORS_H_
