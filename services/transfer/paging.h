// Keyset paging helpers: page size rules and opaque tokens bound to a query.
#ifndef SEIMBANG_SERVICES_TRANSFER_PAGING_H_
#define SEIMBANG_SERVICES_TRANSFER_PAGING_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace seimbang::transfer {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

// 0 -> 100; 1..1000 as is; negative or above 1000 -> INVALID_ARGUMENT
// "page.page_size: must be between 0 and 1000".
[[nodiscard]] absl::StatusOr<int> EffectivePageSize(int requested);

// A token carrying the last key of a page and a fingerprint of the query, so a
// token from another query is refused instead of silently skipping rows.
std::string MakePageToken(std::string_view query, const std::vector<std::string>& key);
// Empty token -> empty key. INVALID_ARGUMENT "page.page_token: not a token of this query".
[[nodiscard]] absl::StatusOr<std::vector<std::string>> ParsePageToken(std::string_view query,
                                                                      std::string_view token,
                                                                      size_t key_parts);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_PAGING_H_
