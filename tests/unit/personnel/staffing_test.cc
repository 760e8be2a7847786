#include "services/personnel/staffing.h"

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace seimbang::personnel {
namespace {

TEST(Staffing, RetireeWhosePensionStartsOnAsOfIsLeftOut) {
  StaffingBuilder b(domain::Date{2026, 6, 1});
  b.Add("196805012000011001", 5, "P1", "general", false, domain::Date{2026, 6, 1});
  b.Add("198503122010011002", 5, "P1", "general", false, domain::Date{2043, 4, 1});
  b.Add("999999999999999999", 5, "P1", "general", true, domain::Date{2050, 1, 1});
  StaffingSnapshot s = b.Finish();
  EXPECT_EQ(s.counted, 2);
  EXPECT_EQ(s.retired_excluded, 1);
  ASSERT_EQ(s.rows.size(), 1u);
  EXPECT_EQ((s.rows.at({5, "P1"}).pns), 1);
  EXPECT_EQ((s.rows.at({5, "P1"}).pppk), 1);
}

TEST(Staffing, DigestIsSha256OfTheSortedRowsWhateverTheInputOrder) {
  StaffingBuilder a(domain::Date{2026, 1, 1});
  a.Add("2", 7, "Q", "f", false, domain::Date{2040, 1, 1});
  a.Add("1", 5, "P", "f", false, domain::Date{2040, 1, 1});
  StaffingBuilder b(domain::Date{2026, 1, 1});
  b.Add("1", 5, "P", "f", false, domain::Date{2040, 1, 1});
  b.Add("2", 7, "Q", "f", false, domain::Date{2040, 1, 1});
  std::string da = a.Finish().digest;
  EXPECT_EQ(da, b.Finish().digest);
  EXPECT_EQ(da, Sha256Hex("1|5|P\n2|7|Q\n"));
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// GetStaffing gives the rows in NIP order and they are hashed as given; any other order is
// sorted by (nip, unit, position) first, so the digest depends only on who is counted where.
TEST(Staffing, DigestOfManyRowsIsTheSameInOrderReversedOrShuffled) {
  std::vector<std::tuple<std::string, int64_t, std::string>> rows;
  std::string expected;
  for (int i = 0; i < 500; ++i) {
    rows.emplace_back(absl::StrCat("1980", 10000000000000 + i * 7), 100 + i % 9,
                      absl::StrCat("P", i % 13));
    absl::StrAppend(&expected, std::get<0>(rows.back()), "|", std::get<1>(rows.back()), "|",
                    std::get<2>(rows.back()), "\n");
  }
  auto digest = [](const auto& ordered) {
    StaffingBuilder b(domain::Date{2026, 1, 1});
    for (const auto& [nip, unit, position] : ordered) {
      b.Add(nip, unit, position, "f", false, domain::Date{2040, 1, 1});
    }
    StaffingSnapshot s = b.Finish();
    EXPECT_EQ(s.counted, 500);
    return s.digest;
  };
  const std::string in_order = digest(rows);
  EXPECT_EQ(in_order, Sha256Hex(expected));
  std::vector<std::tuple<std::string, int64_t, std::string>> reversed(rows.rbegin(), rows.rend());
  EXPECT_EQ(digest(reversed), in_order);
  std::mt19937 gen(7);
  std::shuffle(rows.begin(), rows.end(), gen);
  EXPECT_EQ(digest(rows), in_order);
}

}  // namespace
}  // namespace seimbang::personnel
