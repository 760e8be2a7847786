#include "services/workload/paging.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/errors/errors.h"

namespace seimbang::workload {

namespace {

// FNV-1a 64: stable across builds, unlike std::hash.
std::string QueryHash(std::string_view query) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : query) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return absl::StrCat(absl::Hex(h, absl::kZeroPad16));
}

absl::Status BadToken() {
  return errors::InvalidArgument({{"page.page_token", "page_token is not valid for this query"}});
}

}  // namespace

absl::StatusOr<int> PageSize(const seimbang::common::v1::PageRequest& page) {
  if (page.page_size() == 0) return kDefaultPageSize;
  if (page.page_size() < 0 || page.page_size() > kMaxPageSize) {
    return errors::InvalidArgument(
        {{"page.page_size",
          absl::StrCat("page_size must be between 1 and 1000, got ", page.page_size())}});
  }
  return page.page_size();
}

std::string EncodePageToken(std::string_view query, const std::vector<std::string>& key) {
  std::vector<std::string> parts = {QueryHash(query)};
  parts.insert(parts.end(), key.begin(), key.end());
  return absl::WebSafeBase64Escape(absl::StrJoin(parts, "\x1f"));
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(std::string_view token,
                                                         std::string_view query, size_t parts) {
  if (token.empty()) return std::vector<std::string>();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &raw))
    return BadToken();
  std::vector<std::string> fields = absl::StrSplit(raw, '\x1f');
  if (fields.size() != parts + 1 || fields[0] != QueryHash(query)) return BadToken();
  fields.erase(fields.begin());
  return fields;
}

}  // namespace seimbang::workload
