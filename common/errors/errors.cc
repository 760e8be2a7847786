#include "common/errors/errors.h"

#include <algorithm>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace seimbang::errors {
namespace {

// absl and gRPC share the canonical code numbers 0-16 (google.rpc.Code).
constexpr int kMaxCanonicalCode = 16;

int CanonicalOrUnknown(int code) {
  return code >= 0 && code <= kMaxCanonicalCode ? code
                                                : static_cast<int>(absl::StatusCode::kUnknown);
}

}  // namespace

std::string Echo(std::string_view value, size_t max_bytes) {
  if (value.size() <= max_bytes) return std::string(value);
  size_t cut = max_bytes;
  // Back up over continuation bytes (10xxxxxx) to the start of a character.
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  std::string out(value.substr(0, cut));
  out += "\xE2\x80\xA6";  // U+2026 HORIZONTAL ELLIPSIS
  return out;
}

absl::Status InvalidArgument(const std::vector<FieldViolation>& violations) {
  std::string message = "invalid argument";
  google::rpc::BadRequest bad_request;
  auto add = [&](size_t i, const std::string& field, const std::string& description) {
    const std::string f = Echo(field, kMaxDescriptionBytes);
    const std::string d = Echo(description, kMaxDescriptionBytes);
    if (message.size() < kMaxMessageBytes) {
      absl::StrAppend(&message, i == 0 ? ": " : "; ", f, ": ", d);
    }
    google::rpc::BadRequest::FieldViolation* fv = bad_request.add_field_violations();
    fv->set_field(f);
    fv->set_description(d);
  };
  const size_t kept = std::min(violations.size(), kMaxViolations);
  for (size_t i = 0; i < kept; ++i) add(i, violations[i].field, violations[i].description);
  if (kept < violations.size()) {
    add(kept, "", absl::StrCat(violations.size() - kept, " more violations left out"));
  }
  message = Echo(message, kMaxMessageBytes);
  absl::Status status = absl::InvalidArgumentError(message);
  if (!violations.empty()) {
    status.SetPayload(kBadRequestTypeUrl, absl::Cord(bad_request.SerializeAsString()));
  }
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kBadRequestTypeUrl);
  if (!payload.has_value()) return out;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return out;
  for (const auto& fv : bad_request.field_violations()) {
    out.push_back(FieldViolation{fv.field(), fv.description()});
  }
  return out;
}

std::vector<FieldViolation> FieldViolationsOf(const grpc::Status& status) {
  return FieldViolationsOf(FromGrpcStatus(status));
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const int code = CanonicalOrUnknown(status.raw_code());
  std::string message =
      Echo(std::string_view(status.message().data(), status.message().size()), kMaxMessageBytes);

  google::rpc::Status rpc_status;
  status.ForEachPayload([&rpc_status](absl::string_view type_url, const absl::Cord& payload) {
    google::protobuf::Any* any = rpc_status.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  if (rpc_status.details().empty()) {
    return grpc::Status(static_cast<grpc::StatusCode>(code), message);
  }
  rpc_status.set_code(code);
  rpc_status.set_message(message);
  return grpc::Status(static_cast<grpc::StatusCode>(code), message, rpc_status.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(CanonicalOrUnknown(status.error_code())),
                   status.error_message());
  if (status.error_details().empty()) return out;
  google::rpc::Status rpc_status;
  if (!rpc_status.ParseFromString(status.error_details())) return out;
  for (const google::protobuf::Any& any : rpc_status.details()) {
    out.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
  return out;
}

ValidationErrors& ValidationErrors::Add(std::string field, std::string description) {
  violations_.push_back(FieldViolation{std::move(field), std::move(description)});
  return *this;
}

ValidationErrors& ValidationErrors::AddIfError(std::string field, const absl::Status& status) {
  if (!status.ok()) Add(std::move(field), std::string(status.message()));
  return *this;
}

absl::Status ValidationErrors::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  return InvalidArgument(violations_);
}

}  // namespace seimbang::errors
