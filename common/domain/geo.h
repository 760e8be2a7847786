#ifndef SEIMBANG_COMMON_DOMAIN_GEO_H_
#define SEIMBANG_COMMON_DOMAIN_GEO_H_

namespace seimbang::domain {

// Mean Earth radius (IUGG), the usual choice for haversine distances.
inline constexpr double kEarthRadiusKm = 6371.0088;

// Great-circle distance in kilometres between two points given in decimal
// degrees. A sphere is accurate to about 0.5%, plenty for travel-cost terms.
[[nodiscard]] double HaversineKm(double lat1, double lon1, double lat2, double lon2);

}  // namespace seimbang::domain

#endif  // SEIMBANG_COMMON_DOMAIN_GEO_H_
