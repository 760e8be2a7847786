#include "common/domain/geo.h"

#include <algorithm>
#include <cmath>

namespace seimbang::domain {

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRadPerDeg = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * kRadPerDeg;
  const double dlon = (lon2 - lon1) * kRadPerDeg;
  const double s = std::sin(dlat / 2);
  const double t = std::sin(dlon / 2);
  double h = s * s + std::cos(lat1 * kRadPerDeg) * std::cos(lat2 * kRadPerDeg) * t * t;
  h = std::min(1.0, h);  // rounding can push antipodal points just above 1
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(h));
}

}  // namespace seimbang::domain
