// Issue 15 item 7: page tokens are bound to their query, authenticated and
// confidential, in one versioned format for the three services.
#include "common/paging/page_token.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "common/errors/errors.h"

namespace seimbang::paging {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kSecret[] = "page-token-unit-test-secret-0123456789";
constexpr char kNip[] = "198503122010011002";

PageQuery Employees(const std::string& agency) {
  PageQuery q("/seimbang.personnel.v1.PersonnelService/ListEmployees");
  q.Add("filter.agency_code", agency).Add("filter.unit_id", int64_t{12});
  q.Scope("operator", "73.71", "", "op-1");
  return q;
}

PageTokens Codec() { return *PageTokens::FromSecret(kSecret, "personnel"); }

// The one violation of an INVALID_ARGUMENT on page.page_token.
void ExpectBadToken(const absl::StatusOr<std::vector<std::string>>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  std::vector<errors::FieldViolation> v = errors::FieldViolationsOf(r.status());
  ASSERT_EQ(v.size(), 1u) << r.status();
  EXPECT_EQ(v[0].field, "page.page_token");
  EXPECT_LE(r.status().message().size(), 200u) << "bounded message";
}

std::string Raw(const std::string& token) {
  std::string raw;
  EXPECT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  return raw;
}

// Issue 15 item 7: the cursor comes back exactly, through a token of its own query.
TEST(PageToken, RoundTripsTheCursor) {
  const PageTokens c = Codec();
  const std::string token = c.Encode(Employees("73.71"), {kNip, "", "x|y\x1fz"});
  EXPECT_THAT(*c.Decode(Employees("73.71"), token, 3), ElementsAre(kNip, "", "x|y\x1fz"));
}

TEST(PageToken, EmptyTokenIsTheFirstPage) {
  EXPECT_THAT(*Codec().Decode(Employees("73.71"), "", 1), IsEmpty());
}

// Issue 15 item 7: replicas sharing the secret read each other's tokens (round robin).
TEST(PageToken, ReplicasWithTheSameSecretShareTokens) {
  const std::string token = Codec().Encode(Employees("73.71"), {kNip});
  EXPECT_THAT(*Codec().Decode(Employees("73.71"), token, 1), ElementsAre(kNip));
}

// Issue 15 item 7: no personal data in clear — the NIP is neither in the token nor its bytes.
TEST(PageToken, CarriesNoCursorInClear) {
  const std::string token = Codec().Encode(Employees("73.71"), {kNip});
  EXPECT_FALSE(absl::StrContains(token, kNip));
  const std::string raw = Raw(token);
  EXPECT_FALSE(absl::StrContains(raw, kNip));
  EXPECT_FALSE(absl::StrContains(raw, "73.71"));
  EXPECT_FALSE(absl::StrContains(raw, "ListEmployees"));
  // Two tokens of the same page differ (random nonce): nothing links them.
  EXPECT_NE(token, Codec().Encode(Employees("73.71"), {kNip}));
}

// Issue 15 item 7: a token of another filter set is INVALID_ARGUMENT.
TEST(PageToken, AnotherFilterIsInvalid) {
  const PageTokens c = Codec();
  const std::string token = c.Encode(Employees("73.71"), {kNip});
  auto r = c.Decode(Employees("73.72"), token, 1);
  ExpectBadToken(r);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "another query")) << r.status();
}

// Issue 15 item 7: a token of another caller scope or another method is INVALID_ARGUMENT.
TEST(PageToken, AnotherCallerOrMethodIsInvalid) {
  const PageTokens c = Codec();
  const std::string token = c.Encode(Employees("73.71"), {kNip});
  PageQuery other_caller("/seimbang.personnel.v1.PersonnelService/ListEmployees");
  other_caller.Add("filter.agency_code", "73.71").Add("filter.unit_id", int64_t{12});
  other_caller.Scope("operator", "73.71", "", "op-2");
  ExpectBadToken(c.Decode(other_caller, token, 1));
  PageQuery other_method("/seimbang.personnel.v1.PersonnelService/ListUnits");
  other_method.Add("filter.agency_code", "73.71").Add("filter.unit_id", int64_t{12});
  other_method.Scope("operator", "73.71", "", "op-1");
  ExpectBadToken(c.Decode(other_method, token, 1));
}

// Field boundaries are part of the fingerprint: ("ab","c") is not ("a","bc").
TEST(PageToken, FieldBoundariesAreUnambiguous) {
  const PageTokens c = Codec();
  PageQuery a("m");
  a.Add("x", "ab").Add("y", "c");
  PageQuery b("m");
  b.Add("x", "a").Add("y", "bc");
  ExpectBadToken(c.Decode(b, c.Encode(a, {"1"}), 1));
  PageQuery s("m"), i("m");
  s.Add("x", "7");
  i.Add("x", int64_t{7});
  ExpectBadToken(c.Decode(i, c.Encode(s, {"1"}), 1));
}

// Issue 15 item 7: a tampered token (any one bit flipped) fails authentication.
TEST(PageToken, TamperedTokenIsInvalid) {
  const PageTokens c = Codec();
  const std::string raw = Raw(c.Encode(Employees("73.71"), {kNip}));
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string bad = raw;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    ExpectBadToken(c.Decode(Employees("73.71"), absl::WebSafeBase64Escape(bad), 1));
  }
}

// Issue 15 item 7: a token made with another key (a forger's) is INVALID_ARGUMENT.
TEST(PageToken, TokenOfAnotherKeyIsInvalid) {
  const std::string forged = PageTokens::WithRandomKey().Encode(Employees("73.71"), {kNip});
  ExpectBadToken(Codec().Decode(Employees("73.71"), forged, 1));
  const std::string other_secret =
      PageTokens::FromSecret("another-secret-of-enough-length", "personnel")
          ->Encode(Employees("73.71"), {kNip});
  ExpectBadToken(Codec().Decode(Employees("73.71"), other_secret, 1));
  const std::string other_service =
      PageTokens::FromSecret(kSecret, "workload")->Encode(Employees("73.71"), {kNip});
  ExpectBadToken(Codec().Decode(Employees("73.71"), other_service, 1));
}

// Issue 15 item 7: forged tokens — the old clear formats of the three services and garbage.
TEST(PageToken, ForgedAndOldFormatsAreInvalid) {
  const PageTokens c = Codec();
  for (const std::string& forged :
       {absl::WebSafeBase64Escape(std::string("employees|") + kNip),  // personnel's old format
        absl::WebSafeBase64Escape("0123456789abcdef\x1f"
                                  "12\x1fJF"),  // workload's
        absl::WebSafeBase64Escape("abc|MTIz"),  // transfer's
        std::string("%%%"), std::string("AAAA"), std::string(2000, 'A'),
        absl::WebSafeBase64Escape(std::string(200, '\x01'))}) {
    ExpectBadToken(c.Decode(Employees("73.71"), forged, 1));
  }
}

// Issue 15 item 7: a token cut short at any length is INVALID_ARGUMENT, never a crash.
TEST(PageToken, TruncatedTokenIsInvalid) {
  const PageTokens c = Codec();
  const std::string token = c.Encode(Employees("73.71"), {kNip});
  for (size_t n = 1; n < token.size(); ++n) {
    ExpectBadToken(c.Decode(Employees("73.71"), token.substr(0, n), 1));
  }
  const std::string raw = Raw(token);
  for (size_t n = 1; n < raw.size(); ++n) {  // n = 0 is the empty token: the first page
    ExpectBadToken(c.Decode(Employees("73.71"), absl::WebSafeBase64Escape(raw.substr(0, n)), 1));
  }
}

// Issue 15 item 7: another format version (past or future) is INVALID_ARGUMENT.
TEST(PageToken, OtherVersionIsInvalid) {
  const PageTokens c = Codec();
  std::string raw = Raw(c.Encode(Employees("73.71"), {kNip}));
  ASSERT_EQ(static_cast<unsigned char>(raw[0]), kTokenVersion);
  for (int v : {0, 2, 255}) {
    raw[0] = static_cast<char>(v);
    ExpectBadToken(c.Decode(Employees("73.71"), absl::WebSafeBase64Escape(raw), 1));
  }
}

TEST(PageToken, WrongNumberOfCursorPartsIsInvalid) {
  const PageTokens c = Codec();
  ExpectBadToken(c.Decode(Employees("73.71"), c.Encode(Employees("73.71"), {"12", "X"}), 1));
}

TEST(PageToken, ShortSecretIsRefused) {
  EXPECT_TRUE(absl::IsInvalidArgument(PageTokens::FromSecret("short", "personnel").status()));
}

// The length of a token does not tell a 2-digit id from an 18-digit NIP.
TEST(PageToken, LengthHidesTheCursorLength) {
  const PageTokens c = Codec();
  EXPECT_EQ(c.Encode(Employees("73.71"), {"12"}).size(),
            c.Encode(Employees("73.71"), {kNip}).size());
}

TEST(PageSize, ZeroIsTheDefaultAndAbove1000IsInvalid) {
  EXPECT_EQ(*EffectivePageSize(0), 100);
  EXPECT_EQ(*EffectivePageSize(1), 1);
  EXPECT_EQ(*EffectivePageSize(1000), 1000);
  for (int bad : {-1, 1001, 1 << 30}) {
    absl::StatusOr<int> r = EffectivePageSize(bad);
    ASSERT_TRUE(absl::IsInvalidArgument(r.status()));
    std::vector<errors::FieldViolation> v = errors::FieldViolationsOf(r.status());
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].field, "page.page_size");
  }
}

// The process codec: StartPage checks the size first, then the token.
TEST(StartPage, SizeThenToken) {
  SetProcessPageTokens(Codec());
  const std::string token = NextPageToken(Employees("73.71"), {kNip});
  absl::StatusOr<PageStart> start = StartPage(Employees("73.71"), 0, token, 1);
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(start->size, 100);
  EXPECT_THAT(start->after, ElementsAre(kNip));
  EXPECT_EQ(
      errors::FieldViolationsOf(StartPage(Employees("73.71"), 1001, token, 1).status())[0].field,
      "page.page_size");
  EXPECT_EQ(
      errors::FieldViolationsOf(StartPage(Employees("73.72"), 10, token, 1).status())[0].field,
      "page.page_token");
}

// A cursor part that decrypted but is no integer key is the same answer as any bad token.
TEST(CursorInt, AnIntegerKeyOrABadToken) {
  EXPECT_EQ(*CursorInt("42"), 42);
  EXPECT_EQ(*CursorInt("-7"), -7);
  EXPECT_EQ(*CursorInt("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "x", "4 2", "1.5", "9223372036854775808", "12abc"}) {
    SCOPED_TRACE(bad);
    ExpectBadToken(CursorInt(bad).status());
  }
}

// The one page loop: a fetch of size + 1 rows keeps `size` and continues after the last kept;
// a fetch of at most `size` rows is the last page.
TEST(TrimToPage, KeepsThePageAndContinuesAfterItsLastRow) {
  SetProcessPageTokens(Codec());
  auto cursor = [](const std::string& row) { return std::vector<std::string>{row}; };
  std::vector<std::string> rows = {"a", "b", "c", "d"};
  const std::string token = TrimToPage(rows, 3, Employees("73.71"), cursor);
  EXPECT_THAT(rows, ElementsAre("a", "b", "c"));
  EXPECT_THAT(*Codec().Decode(Employees("73.71"), token, 1), ElementsAre("c"));

  for (size_t n : {0, 2, 3}) {
    std::vector<std::string> last(rows.begin(), rows.begin() + static_cast<long>(n));
    EXPECT_EQ(TrimToPage(last, 3, Employees("73.71"), cursor), "") << n << " rows";
    EXPECT_EQ(last.size(), n) << "the last page keeps every row";
  }
  std::vector<std::string> none = {"a"};
  EXPECT_EQ(TrimToPage(none, 0, Employees("73.71"), cursor), "") << "no page of size 0";
}

}  // namespace
}  // namespace seimbang::paging
