// Row and page helpers shared by repository.cc and repository_moves.cc; nothing else includes it.
#ifndef SEIMBANG_SERVICES_TRANSFER_REPOSITORY_INTERNAL_H_
#define SEIMBANG_SERVICES_TRANSFER_REPOSITORY_INTERNAL_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/connection.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/paging/page_token.h"
#include "common/proto_convert/stored_body.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer::repository_internal {

// Applies the one-extra-row convention: fetched limit+1 rows; the last is cut
// and its predecessor's key becomes the next token.
template <typename T, typename KeyFn>
Page<T> MakePage(std::vector<T> items, int page_size, const paging::PageQuery& query, KeyFn key) {
  Page<T> page;
  if (static_cast<int>(items.size()) > page_size) {
    items.resize(page_size);
    page.next_page_token = paging::NextPageToken(query, key(items.back()));
  }
  page.items = std::move(items);
  return page;
}

// The protobuf body in the first column of every row.
template <typename T>
absl::StatusOr<std::vector<T>> DecodeBodies(const db::ResultSet& rs) {
  std::vector<T> out;
  out.reserve(rs.rows.size());
  for (const auto& r : rs.rows) {
    SEIMBANG_ASSIGN_OR_RETURN(T body, proto_convert::DecodeBody<T>(r.GetString(0)));
    out.push_back(std::move(body));
  }
  return out;
}

// A cursor that decrypted but does not parse: the same answer as any bad token.
inline absl::Status BadCursor() {
  return errors::InvalidArgument({{paging::kPageTokenField, "is not a valid page token"}});
}

}  // namespace seimbang::transfer::repository_internal

#endif  // SEIMBANG_SERVICES_TRANSFER_REPOSITORY_INTERNAL_H_
