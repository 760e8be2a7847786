// Protobuf bodies stored as base64 text (both engines store text reliably;
// binary bytes in a utf8mb4 column would not survive).
#ifndef SEIMBANG_SERVICES_TRANSFER_CODEC_H_
#define SEIMBANG_SERVICES_TRANSFER_CODEC_H_

#include <google/protobuf/message_lite.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace seimbang::transfer {

inline std::string EncodeBody(const google::protobuf::MessageLite& message) {
  return absl::Base64Escape(message.SerializeAsString());
}

template <typename T>
[[nodiscard]] absl::StatusOr<T> DecodeBody(std::string_view text) {
  std::string bytes;
  T message;
  if (!absl::Base64Unescape(std::string(text), &bytes) || !message.ParseFromString(bytes)) {
    return absl::InternalError(absl::StrCat("corrupt stored ", T().GetTypeName(), " body"));
  }
  return message;
}

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_CODEC_H_
