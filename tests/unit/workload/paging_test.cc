// Page sizes and keyset tokens of the List RPCs.
#include "services/workload/paging.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/errors/errors.h"

namespace seimbang::workload {
namespace {

using ::testing::ElementsAre;

common::v1::PageRequest Page(int size) {
  common::v1::PageRequest p;
  p.set_page_size(size);
  return p;
}

TEST(PageSize, ZeroMeansTheDefaultOf100) { EXPECT_EQ(*PageSize(Page(0)), 100); }

TEST(PageSize, UpTo1000IsAccepted) { EXPECT_EQ(*PageSize(Page(1000)), 1000); }

TEST(PageSize, Above1000IsInvalid) {
  absl::StatusOr<int> size = PageSize(Page(1001));
  ASSERT_TRUE(absl::IsInvalidArgument(size.status()));
  const auto v = errors::FieldViolationsOf(size.status());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "page.page_size");
  EXPECT_EQ(v[0].description, "page_size must be between 1 and 1000, got 1001");
}

TEST(PageToken, RoundTripsTheKey) {
  const std::string token = EncodePageToken("ListWorkloads|73.71|0", {"12", "JF-TS-AP"});
  EXPECT_THAT(*DecodePageToken(token, "ListWorkloads|73.71|0", 2), ElementsAre("12", "JF-TS-AP"));
}

TEST(PageToken, EmptyTokenIsTheFirstPage) { EXPECT_TRUE(DecodePageToken("", "q", 2)->empty()); }

TEST(PageToken, TokenOfAnotherQueryIsInvalid) {
  const std::string token = EncodePageToken("ListWorkloads|73.71|0", {"12", "X"});
  absl::StatusOr<std::vector<std::string>> key = DecodePageToken(token, "ListWorkloads|73.72|0", 2);
  ASSERT_TRUE(absl::IsInvalidArgument(key.status()));
  EXPECT_EQ(errors::FieldViolationsOf(key.status())[0].description,
            "page_token is not valid for this query");
}

TEST(PageToken, GarbageIsInvalid) {
  EXPECT_TRUE(absl::IsInvalidArgument(DecodePageToken("%%%", "q", 1).status()));
}

}  // namespace
}  // namespace seimbang::workload
