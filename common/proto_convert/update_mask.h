// Partial updates (AIP-134), written once for every Update RPC of the three services.
//
// An Update request carries the resource and a google.protobuf.FieldMask `update_mask` whose
// paths name fields of the resource ("name", "flags.leave_until", "weights.per_km"):
//   - no path, or the one path "*": full replacement of the mutable fields (the request's
//     resource as sent, as before update masks existed);
//   - otherwise: the stored resource with the named fields taken from the request (a named
//     field the request leaves unset is cleared; a message or repeated field is replaced, not
//     merged) and every other field as stored. The request's etag replaces the stored one, so
//     the write checks the version the caller saw, exactly as a full replacement does.
// A path the resource does not have, or one naming (or lying under, or containing) an
// output-only or immutable field, is INVALID_ARGUMENT with a field violation on `update_mask`.
// The merged resource then goes through the handler's own validation and write, unchanged:
//
//   SEIMBANG_ASSIGN_OR_RETURN(
//       pv1::Unit unit,
//       proto_convert::ApplyUpdateMask(req.update_mask(), req.unit(), {"id", "etag"},
//                                      [&]() -> absl::StatusOr<pv1::Unit> { return Stored(); }));
#ifndef SEIMBANG_COMMON_PROTO_CONVERT_UPDATE_MASK_H_
#define SEIMBANG_COMMON_PROTO_CONVERT_UPDATE_MASK_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace seimbang::proto_convert {

// Most paths one mask may list (a resource has a few dozen fields).
inline constexpr size_t kMaxUpdateMaskPaths = 100;

// OK when every path of `mask` is "*" alone or a field path of `resource` that is not under,
// equal to or above one of `fixed` (the resource's output-only and immutable fields);
// INVALID_ARGUMENT with one violation on `field` per bad path otherwise.
[[nodiscard]] absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask,
                                           const google::protobuf::Descriptor& resource,
                                           const std::vector<std::string_view>& fixed,
                                           std::string_view field = "update_mask");

// True when `mask` names fields: neither empty nor "*". Call after CheckUpdateMask.
[[nodiscard]] bool IsPartialUpdate(const google::protobuf::FieldMask& mask);

// Copies the fields `mask` names from `request` onto `stored` (message and repeated fields
// replaced), then the request's `etag` field, if the resource has one. `mask` must have passed
// CheckUpdateMask for this message type.
void MergeMasked(const google::protobuf::Message& request, const google::protobuf::FieldMask& mask,
                 google::protobuf::Message& stored);

// The resource an Update request asks to store: CheckUpdateMask, then `request` itself for a
// full replacement, else `load_stored()` (its error as is, e.g. NOT_FOUND) with the masked
// fields of `request` merged in.
template <typename Resource, typename Load>
[[nodiscard]] absl::StatusOr<Resource> ApplyUpdateMask(const google::protobuf::FieldMask& mask,
                                                       const Resource& request,
                                                       const std::vector<std::string_view>& fixed,
                                                       Load&& load_stored) {
  if (absl::Status s = CheckUpdateMask(mask, *Resource::descriptor(), fixed); !s.ok()) return s;
  if (!IsPartialUpdate(mask)) return request;
  absl::StatusOr<Resource> stored = std::forward<Load>(load_stored)();
  if (!stored.ok()) return stored.status();
  MergeMasked(request, mask, *stored);
  return *std::move(stored);
}

}  // namespace seimbang::proto_convert

#endif  // SEIMBANG_COMMON_PROTO_CONVERT_UPDATE_MASK_H_
