#include "services/transfer/paging.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace seimbang::transfer {
namespace {

// FNV-1a: a cheap fingerprint; tokens are not a security boundary.
std::string Fingerprint(std::string_view query) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : query) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return absl::StrCat(absl::Hex(h));
}

}  // namespace

absl::StatusOr<int> EffectivePageSize(int requested) {
  if (requested < 0 || requested > kMaxPageSize) {
    return absl::InvalidArgumentError("page.page_size: must be between 0 and 1000");
  }
  return requested == 0 ? kDefaultPageSize : requested;
}

std::string MakePageToken(std::string_view query, const std::vector<std::string>& key) {
  std::vector<std::string> parts;
  parts.push_back(Fingerprint(query));
  for (const auto& k : key) parts.push_back(absl::Base64Escape(k));
  return absl::WebSafeBase64Escape(absl::StrJoin(parts, "|"));
}

absl::StatusOr<std::vector<std::string>> ParsePageToken(std::string_view query,
                                                        std::string_view token, size_t key_parts) {
  if (token.empty()) return std::vector<std::string>{};
  const auto bad = absl::InvalidArgumentError("page.page_token: not a token of this query");
  std::string raw;
  if (!absl::WebSafeBase64Unescape(std::string(token), &raw)) return bad;
  std::vector<std::string> parts = absl::StrSplit(raw, '|');
  if (parts.size() != key_parts + 1 || parts[0] != Fingerprint(query)) return bad;
  std::vector<std::string> key;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string k;
    if (!absl::Base64Unescape(parts[i], &k)) return bad;
    key.push_back(std::move(k));
  }
  return key;
}

}  // namespace seimbang::transfer
