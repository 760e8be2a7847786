// Paging of every List RPC of the three services (issue 15 item 7, issue 16):
// page sizes as common.proto promises, and opaque page tokens that are bound
// to their query and encrypted, so a token of another query, a tampered or a
// forged one is INVALID_ARGUMENT and no token shows a NIP or any other field.
// No gRPC service types, no SQL; see README.md for the format and the key.
#ifndef SEIMBANG_COMMON_PAGING_PAGE_TOKEN_H_
#define SEIMBANG_COMMON_PAGING_PAGE_TOKEN_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace seimbang::paging {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;
// Longer tokens are refused before any decoding (a v1 token is < 200 characters).
inline constexpr size_t kMaxTokenChars = 1024;
// The format version written into every token (README.md).
inline constexpr uint8_t kTokenVersion = 1;

// Field paths of the violations, as common.proto's PageRequest is named in every request.
inline constexpr char kPageSizeField[] = "page.page_size";
inline constexpr char kPageTokenField[] = "page.page_token";

// 0 -> 100; 1..1000 as given; anything else INVALID_ARGUMENT on "page.page_size"
// "must be between 0 and 1000 (0 means 100), got 1001".
[[nodiscard]] absl::StatusOr<int> EffectivePageSize(int requested);

// What a page token is bound to: the RPC, every filter field that shapes the
// result, and the caller's scope. page_size is deliberately NOT part of it: a
// client may change the size between pages (keyset paging stays exact).
// Field order matters; add fields in the same order on every page.
class PageQuery {
 public:
  explicit PageQuery(std::string_view method);
  PageQuery& Add(std::string_view field, std::string_view value);
  PageQuery& Add(std::string_view field, int64_t value);
  // The caller's scope: role name, agency, NIP (employee role) and token subject.
  PageQuery& Scope(std::string_view role, std::string_view agency, std::string_view nip,
                   std::string_view subject);

  // Unambiguous (length-prefixed) text of method and fields; hashed, never sent.
  [[nodiscard]] const std::string& canonical() const { return canonical_; }

 private:
  std::string canonical_;
};

// Encrypts and authenticates tokens with one AES-256-GCM key.
class PageTokens {
 public:
  using Key = std::array<unsigned char, 32>;

  // A random key: tokens die with the process and do not work on other replicas.
  [[nodiscard]] static PageTokens WithRandomKey();
  // HKDF-SHA256 of `secret` with the purpose label "seimbang page token v1" and
  // `context` (the service name), so every replica sharing the secret shares
  // the key, and the key reveals nothing about the secret it came from.
  // INVALID_ARGUMENT when the secret is shorter than 16 bytes.
  [[nodiscard]] static absl::StatusOr<PageTokens> FromSecret(std::string_view secret,
                                                             std::string_view context);

  // The token of the page after the one ending at `cursor` (its last key, one
  // string per key column). Empty cursor parts are allowed.
  [[nodiscard]] std::string Encode(const PageQuery& query,
                                   const std::vector<std::string>& cursor) const;

  // Empty token: the first page, an empty cursor. Otherwise the cursor, with
  // exactly `cursor_parts` parts, or INVALID_ARGUMENT on "page.page_token":
  //   "is not a valid page token" (malformed, truncated, tampered, forged,
  //   another key, another format version) or
  //   "belongs to another query; keep the method, filters and caller of the first page".
  [[nodiscard]] absl::StatusOr<std::vector<std::string>> Decode(const PageQuery& query,
                                                                std::string_view token,
                                                                size_t cursor_parts) const;

 private:
  explicit PageTokens(const Key& key) : key_(key) {}
  Key key_;
};

// The process-wide codec the services use. Set once at start-up, before
// serving (server::ServiceMain does, from --page-token-secret-file or the
// HS256 auth secret); until then a random per-process key.
void SetProcessPageTokens(const PageTokens& tokens);
[[nodiscard]] PageTokens ProcessPageTokens();

// The start of a List RPC's page: its effective size and the cursor to
// continue after (empty on the first page).
struct PageStart {
  int size = kDefaultPageSize;
  std::vector<std::string> after;
};

// EffectivePageSize + ProcessPageTokens().Decode, page_size checked first.
[[nodiscard]] absl::StatusOr<PageStart> StartPage(const PageQuery& query, int page_size,
                                                  std::string_view page_token, size_t cursor_parts);
// The integer key (a row id, a unit id, a time) in one part of a decoded cursor. A part that is
// not one is INVALID_ARGUMENT on page.page_token, the same answer as any bad token.
[[nodiscard]] absl::StatusOr<int64_t> CursorInt(std::string_view part);

// ProcessPageTokens().Encode.
[[nodiscard]] std::string NextPageToken(const PageQuery& query,
                                        const std::vector<std::string>& cursor);

// The one page loop of every List RPC: the repository fetched `size + 1` rows; this drops the
// row past the page and returns the next page's token, made from the cursor of the last row
// kept (`cursor_of(row)` -> std::vector<std::string>), or "" when this is the last page.
template <typename Row, typename CursorOf>
[[nodiscard]] std::string TrimToPage(std::vector<Row>& rows, int size, const PageQuery& query,
                                     CursorOf&& cursor_of) {
  if (size <= 0 || rows.size() <= static_cast<size_t>(size)) return "";
  rows.resize(static_cast<size_t>(size));
  return NextPageToken(query, cursor_of(rows.back()));
}

}  // namespace seimbang::paging

#endif  // SEIMBANG_COMMON_PAGING_PAGE_TOKEN_H_
