// The soak's memory verdict: the trend of per-round readings, not one reading at each end.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "bench/soak/soak.h"

namespace seimbang::soak {
namespace {

std::vector<int64_t> Mib(const std::vector<int>& mib) {
  std::vector<int64_t> kib;
  for (int m : mib) kib.push_back(int64_t{m} * 1024);
  return kib;
}

TEST(TrendOfRounds, MediansOfTheFirstAndLastRoundsIgnoreOneLowOrHighReading) {
  // A reading taken just after a hand-back (30) or during a big call (50) moves nothing.
  RoundTrend t = TrendOfRounds(Mib({41, 30, 41, 42, 45, 42, 50, 43, 42}));
  EXPECT_DOUBLE_EQ(t.first_mib, 41);
  EXPECT_DOUBLE_EQ(t.last_mib, 43);
  EXPECT_DOUBLE_EQ(t.ratio, 43.0 / 41);
}

TEST(TrendOfRounds, AStraightRiseShowsInTheRatio) {
  RoundTrend t = TrendOfRounds(Mib({20, 21, 22, 23, 24, 25, 26, 27, 28, 29}));
  EXPECT_DOUBLE_EQ(t.first_mib, 21);
  EXPECT_DOUBLE_EQ(t.last_mib, 28);
  EXPECT_GT(t.ratio, 1.3);
}

TEST(TrendOfRounds, EvenWindowsTakeTheMeanOfTheMiddleTwo) {
  RoundTrend t = TrendOfRounds(Mib({10, 12, 30, 34}), 2);
  EXPECT_DOUBLE_EQ(t.first_mib, 11);
  EXPECT_DOUBLE_EQ(t.last_mib, 32);
}

TEST(TrendOfRounds, TooFewRoundsGiveNoVerdict) {
  RoundTrend t = TrendOfRounds(Mib({10, 12, 30, 34, 35}));
  EXPECT_EQ(t.ratio, 0);
  EXPECT_EQ(t.first_mib, 0);
}

}  // namespace
}  // namespace seimbang::soak
