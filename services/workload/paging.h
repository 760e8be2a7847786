// Page sizes and opaque keyset page tokens of the List RPCs.
#ifndef SEIMBANG_SERVICES_WORKLOAD_PAGING_H_
#define SEIMBANG_SERVICES_WORKLOAD_PAGING_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "seimbang/common/v1/common.pb.h"

namespace seimbang::workload {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

// 0 -> 100; 1..1000 as given; else INVALID_ARGUMENT on "page.page_size".
[[nodiscard]] absl::StatusOr<int> PageSize(const seimbang::common::v1::PageRequest& page);

// A token carrying the last key of a page, bound to the query (`query` names the RPC
// and its filters) so a token of another query is refused.
[[nodiscard]] std::string EncodePageToken(std::string_view query,
                                          const std::vector<std::string>& key);
// The key parts (exactly `parts` of them), or INVALID_ARGUMENT on "page.page_token"
// "page_token is not valid for this query". An empty token gives an empty vector.
[[nodiscard]] absl::StatusOr<std::vector<std::string>> DecodePageToken(std::string_view token,
                                                                       std::string_view query,
                                                                       size_t parts);

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_PAGING_H_
