#include "bench/compare/instance.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace seimbang::bench {
namespace {

// splitmix64: tiny, fast and identical on every standard library (std::
// distributions are not), so a seed names the same instance everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }         // [0, 1)
  int Int(int lo, int hi) { return lo + static_cast<int>(Next() % (hi - lo + 1)); }  // [lo, hi]
  bool Chance(double p) { return Uniform() < p; }
  // Log-normal with median 1: roughly what agency and office sizes look like.
  double LogNormal(double sigma) {
    const double u1 = std::max(Uniform(), 1e-12);
    const double u2 = Uniform();
    return std::exp(sigma * std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2));
  }

 private:
  uint64_t state_;
};

constexpr int kFamilies = 10;
constexpr int kPositionsPerFamily = 6;
constexpr int kKecamatanPerAgency = 15;
constexpr int kStaffPerUnit = 133;
const char* const kFamilyNames[kFamilies] = {
    "administrasi", "keuangan",    "kesehatan", "pendidikan", "teknik",
    "hukum",        "perencanaan", "pelayanan", "ketertiban", "informatika"};

struct Position {
  std::string code;
  int family = 0;
  int min_rank = 0;
  int min_education = 0;
};

std::vector<Position> Catalogue(Rng& rng) {
  std::vector<Position> out;
  for (int f = 0; f < kFamilies; ++f) {
    for (int k = 0; k < kPositionsPerFamily; ++k) {
      Position p;
      p.code = absl::StrFormat("%s-%02d", std::string(kFamilyNames[f]).substr(0, 3), k + 1);
      p.family = f;
      // Pelaksana posts take anyone; ahli posts want III/a (9) and S1 (5); senior ones IV/a (13).
      const double r = rng.Uniform();
      p.min_rank = r < 0.55 ? 0 : (r < 0.9 ? 9 : 13);
      p.min_education = p.min_rank >= 9 ? 5 : (rng.Chance(0.3) ? 3 : 0);
      out.push_back(p);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<ScaleSpec> ScaleByName(const std::string& name) {
  if (name == "tiny") return ScaleSpec{name, 2000, 2};
  if (name == "makassar") return ScaleSpec{name, 20000, 1};
  if (name == "province") return ScaleSpec{name, 150000, 25};
  if (name == "national") return ScaleSpec{name, 6000000, 1000};
  return absl::InvalidArgumentError(
      absl::StrCat("unknown scale \"", name, "\" (tiny, makassar, province, national)"));
}

planner::PlanInput GenerateInstance(const ScaleSpec& spec, uint64_t seed) {
  Rng rng(seed);
  const std::vector<Position> catalogue = Catalogue(rng);
  planner::PlanInput in;
  in.candidates.reserve(static_cast<size_t>(spec.staff));

  std::vector<double> weight(spec.agencies);
  double total_weight = 0;
  for (double& w : weight) total_weight += (w = spec.agencies == 1 ? 1 : rng.LogNormal(0.6));
  int64_t assigned = 0;
  int64_t serial = 0;
  for (int a = 0; a < spec.agencies; ++a) {
    const int64_t staff =
        a + 1 == spec.agencies
            ? spec.staff - assigned
            : std::max<int64_t>(50, std::llround(spec.staff * weight[a] / total_weight));
    assigned += staff;
    const std::string agency = absl::StrFormat("A%04d", a + 1);
    // Makassar for the first agency; elsewhere somewhere in the archipelago.
    const double lat0 = a == 0 ? -5.135 : -10 + 15 * rng.Uniform();
    const double lon0 = a == 0 ? 119.42 : 95 + 45 * rng.Uniform();
    std::vector<std::pair<double, double>> kecamatan(kKecamatanPerAgency);
    for (auto& [lat, lon] : kecamatan) {
      lat = lat0 + 0.16 * (rng.Uniform() - 0.5);
      lon = lon0 + 0.16 * (rng.Uniform() - 0.5);
    }

    const int units = std::max<int>(3, static_cast<int>(staff / kStaffPerUnit));
    const int first_dest = static_cast<int>(in.destinations.size());
    std::vector<double> attract;  // share of the agency's staff per destination
    for (int u = 0; u < units; ++u) {
      const int64_t unit_id = static_cast<int64_t>(a + 1) * 100000 + u + 1;
      const int kec = rng.Int(0, kKecamatanPerAgency - 1);
      const double lat = kecamatan[kec].first + 0.01 * (rng.Uniform() - 0.5);
      const double lon = kecamatan[kec].second + 0.01 * (rng.Uniform() - 0.5);
      // A unit has a main family (its dinas' business), administration, and one other.
      const int main_family = rng.Int(1, kFamilies - 1);
      const int other_family = rng.Int(1, kFamilies - 1);
      std::vector<int> codes;
      for (int f : {main_family, 0, other_family}) {
        const int take = f == main_family ? rng.Int(3, 5) : (f == 0 ? rng.Int(3, 4) : 2);
        for (int k = 0; k < take; ++k) {
          codes.push_back(f * kPositionsPerFamily + rng.Int(0, kPositionsPerFamily - 1));
        }
      }
      std::sort(codes.begin(), codes.end());
      codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
      const double unit_load = 0.6 + 0.8 * rng.Uniform();  // workload skew of the unit
      for (int p : codes) {
        const Position& pos = catalogue[p];
        planner::Destination d;
        d.unit_id = unit_id;
        d.position_code = pos.code;
        d.agency_code = agency;
        d.job_family = kFamilyNames[pos.family];
        d.min_rank = pos.min_rank;
        d.min_education = pos.min_education;
        d.lat = lat;
        d.lon = lon;
        d.kecamatan = absl::StrCat("KEC", kec + 1);
        // Draws that picked a tag for a bonus the planner no longer has (issue 17): kept so
        // every seed still makes the instance it made before.
        if (rng.Chance(0.3)) rng.Int(0, 4);
        // need is set below from staff; remember the unit load in ej_before for now.
        d.ej_before = unit_load * (0.8 + 0.4 * rng.Uniform());
        in.destinations.push_back(std::move(d));
        attract.push_back(rng.LogNormal(0.7) * (pos.family == main_family ? 2.0 : 1.0));
      }
    }
    const int num_dests = static_cast<int>(in.destinations.size()) - first_dest;
    std::vector<double> cumulative(num_dests);
    double sum = 0;
    for (int k = 0; k < num_dests; ++k) cumulative[k] = (sum += attract[k]);

    for (int64_t i = 0; i < staff; ++i) {
      const double x = rng.Uniform() * sum;
      const int k =
          std::min<int>(num_dests - 1,
                        static_cast<int>(std::upper_bound(cumulative.begin(), cumulative.end(), x) -
                                         cumulative.begin()));
      const int di = first_dest + k;
      planner::Destination& d = in.destinations[di];
      planner::Candidate c;
      // 18-digit NIP shape (birth date, appointment month, sex, serial); the
      // serial keeps it unique.
      ++serial;
      c.nip = absl::StrFormat("19%02d%02d%02d%06d%04d", rng.Int(60, 99), rng.Int(1, 12),
                              rng.Int(1, 28), serial / 10000 % 1000000, serial % 10000);
      c.agency_code = agency;
      c.current = di;
      c.job_family = d.job_family;
      // People in post meet its rank and education floor.
      c.rank = std::max(d.min_rank, rng.Int(5, 15));
      c.education = std::max(d.min_education, c.rank >= 9 ? rng.Int(4, 6) : rng.Int(3, 5));
      c.months_in_post = std::min(rng.Int(0, 200), rng.Int(0, 200));  // skewed to recent
      c.months_to_retirement = rng.Int(1, 420);
      c.flags.disciplinary = rng.Chance(0.005);
      c.flags.study_assignment = rng.Chance(0.01);
      c.flags.service_bond = rng.Chance(0.01);
      c.flags.on_leave = rng.Chance(0.01);
      if (rng.Chance(0.25)) rng.Int(0, 4);  // a former tag draw, kept as above
      const auto& home = kecamatan[rng.Chance(0.6) ? std::stoi(d.kecamatan.substr(3)) - 1
                                                   : rng.Int(0, kKecamatanPerAgency - 1)];
      c.home_lat = home.first;
      c.home_lon = home.second;
      if (rng.Chance(0.05)) {
        for (int r = rng.Int(1, 3); r > 0; --r) {
          c.preferred_units.push_back(static_cast<int64_t>(a + 1) * 100000 + rng.Int(1, units));
        }
      }
      if (rng.Chance(0.02)) {
        c.avoided_units.push_back(static_cast<int64_t>(a + 1) * 100000 + rng.Int(1, units));
      }
      ++d.staff_before;
      in.candidates.push_back(std::move(c));
    }
    for (int k = 0; k < num_dests; ++k) {
      planner::Destination& d = in.destinations[first_dest + k];
      d.need = static_cast<int>(std::lround(d.staff_before * d.ej_before));
      if (d.staff_before == 0) d.need = rng.Int(0, 2);  // vacant posts that want people
      d.ej_before = d.staff_before > 0 ? static_cast<double>(d.need) / d.staff_before : 0;
    }
  }
  return in;
}

}  // namespace seimbang::bench
