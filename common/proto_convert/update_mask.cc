#include "common/proto_convert/update_mask.h"

#include <google/protobuf/util/field_mask_util.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"

namespace seimbang::proto_convert {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;

// Whether `path` is `fixed`, lies under it ("create_time.seconds") or contains it.
bool Touches(std::string_view path, std::string_view fixed) {
  if (path == fixed) return true;
  auto under = [](std::string_view inner, std::string_view outer) {
    return inner.size() > outer.size() && inner.substr(0, outer.size()) == outer &&
           inner[outer.size()] == '.';
  };
  return under(path, fixed) || under(fixed, path);
}

// `path` quoted for a message: printable ASCII only (field names are), cut by errors::Echo.
std::string Quoted(std::string_view path) {
  for (char c : path) {
    if (c < 0x20 || c > 0x7e) return "a path with characters no field name has";
  }
  return absl::StrCat("\"", errors::Echo(path), "\"");
}

// Why `path` may not be in an update mask of `resource`; empty when it may.
std::string ProblemOf(std::string_view path, const Descriptor& resource,
                      const std::vector<std::string_view>& fixed) {
  if (path.empty()) return "an empty path names no field";
  if (path == "*") return "\"*\" must be the only path";
  if (!FieldMaskUtil::GetFieldDescriptors(&resource, std::string(path), nullptr)) {
    return absl::StrCat(Quoted(path), " is not a field of ", resource.name(),
                        " (paths are proto field names, \"a.b\" inside a message field)");
  }
  for (std::string_view f : fixed) {
    if (Touches(path, f)) {
      return absl::StrCat(Quoted(path), " touches ", std::string(f),
                          ", which is output only or cannot change");
    }
  }
  return "";
}

}  // namespace

absl::Status CheckUpdateMask(const FieldMask& mask, const Descriptor& resource,
                             const std::vector<std::string_view>& fixed, std::string_view field) {
  if (static_cast<size_t>(mask.paths_size()) > kMaxUpdateMaskPaths) {
    return errors::InvalidArgument(
        {{std::string(field),
          absl::StrCat("at most ", kMaxUpdateMaskPaths, " paths, got ", mask.paths_size())}});
  }
  if (mask.paths_size() == 1 && mask.paths(0) == "*") return absl::OkStatus();
  errors::ValidationErrors errs;
  for (const std::string& path : mask.paths()) {
    if (std::string problem = ProblemOf(path, resource, fixed); !problem.empty()) {
      errs.Add(std::string(field), std::move(problem));
    }
  }
  return errs.ToStatus();
}

bool IsPartialUpdate(const FieldMask& mask) {
  return mask.paths_size() > 0 && !(mask.paths_size() == 1 && mask.paths(0) == "*");
}

void MergeMasked(const google::protobuf::Message& request, const FieldMask& mask,
                 google::protobuf::Message& stored) {
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(request, mask, options, &stored);
  const FieldDescriptor* etag = stored.GetDescriptor()->FindFieldByName("etag");
  if (etag != nullptr && etag->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
      !etag->is_repeated()) {
    stored.GetReflection()->SetString(&stored, etag,
                                      request.GetReflection()->GetString(request, etag));
  }
}

}  // namespace seimbang::proto_convert
