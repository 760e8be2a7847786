// A contract message stored in a text column as base64 of its serialized bytes: how transfer
// keeps plans, policies, preferences and explanations, and workload its run summaries and
// projections. Text, because both engines store it reliably, where binary bytes in a utf8mb4
// column would not survive. A body that does not decode is the database's fault, not the
// caller's: INTERNAL, naming the message type.
#ifndef SEIMBANG_COMMON_PROTO_CONVERT_STORED_BODY_H_
#define SEIMBANG_COMMON_PROTO_CONVERT_STORED_BODY_H_

#include <google/protobuf/message_lite.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace seimbang::proto_convert {

inline std::string EncodeBody(const google::protobuf::MessageLite& message) {
  return absl::Base64Escape(message.SerializeAsString());
}

// Replaces `message` with the stored body `text`.
[[nodiscard]] inline absl::Status DecodeBodyInto(std::string_view text,
                                                 google::protobuf::MessageLite& message) {
  std::string bytes;
  if (!absl::Base64Unescape(absl::string_view(text.data(), text.size()), &bytes) ||
      !message.ParseFromString(bytes)) {
    return absl::InternalError(absl::StrCat("corrupt stored ", message.GetTypeName(), " body"));
  }
  return absl::OkStatus();
}

template <typename T>
[[nodiscard]] absl::StatusOr<T> DecodeBody(std::string_view text) {
  T message;
  if (absl::Status s = DecodeBodyInto(text, message); !s.ok()) return s;
  return message;
}

}  // namespace seimbang::proto_convert

#endif  // SEIMBANG_COMMON_PROTO_CONVERT_STORED_BODY_H_
