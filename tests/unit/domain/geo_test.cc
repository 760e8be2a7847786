#include "common/domain/geo.h"

#include "gtest/gtest.h"

namespace seimbang::domain {
namespace {

TEST(HaversineKm, IsZeroForTheSamePoint) {
  EXPECT_DOUBLE_EQ(HaversineKm(-5.1477, 119.4327, -5.1477, 119.4327), 0.0);
}

TEST(HaversineKm, OneDegreeOfLongitudeAtTheEquatorIsAbout111Km) {
  EXPECT_NEAR(HaversineKm(0, 0, 0, 1), 111.195, 0.01);
}

TEST(HaversineKm, IsSymmetric) {
  EXPECT_DOUBLE_EQ(HaversineKm(-5.14, 119.41, -6.2, 106.82),
                   HaversineKm(-6.2, 106.82, -5.14, 119.41));
}

TEST(HaversineKm, MakassarToJakartaIsAbout1400Km) {
  EXPECT_NEAR(HaversineKm(-5.1477, 119.4327, -6.2088, 106.8456), 1400, 20);
}

TEST(HaversineKm, AntipodesAreHalfTheCircumference) {
  EXPECT_NEAR(HaversineKm(0, 0, 0, 180), 3.14159265358979 * kEarthRadiusKm, 1e-6);
}

}  // namespace
}  // namespace seimbang::domain
