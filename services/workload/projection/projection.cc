#include "services/workload/projection/projection.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace seimbang::projection {
namespace {

// Absorbs floating-point noise so that 3 * 1.1^0 never rounds up to 4.
constexpr double kTolerance = 1e-9;

struct Slot {
  std::string job_family;
  int64_t need = 0;
  std::vector<domain::Date> retirements;  // one per person in post
};

absl::Status Validate(const Input& in) {
  if (!domain::IsValidDate(in.as_of)) return absl::InvalidArgumentError("as_of is not a date");
  if (in.years < 1 || in.years > kMaxYears) {
    return absl::InvalidArgumentError(
        absl::StrCat("years must be between 1 and ", kMaxYears, ", got ", in.years));
  }
  if (in.first_year != 0 && (in.first_year < in.as_of.year || in.first_year > 9000)) {
    return absl::InvalidArgumentError(absl::StrCat("first_year must not be before as_of's year ",
                                                   in.as_of.year, ", got ", in.first_year));
  }
  for (const auto& [family, rate] : in.growth) {
    if (!(rate >= kMinGrowth && rate <= kMaxGrowth)) {
      return absl::InvalidArgumentError(
          absl::StrCat("growth of ", family, " must be between ", kMinGrowth, " and ", kMaxGrowth));
    }
  }
  return absl::OkStatus();
}

// The slots (unit x position) of the needs and of the people in post after the plan's moves.
absl::StatusOr<std::map<PositionKey, Slot>> Slots(const Input& in, Projection& out) {
  std::map<PositionKey, Slot> slots;
  for (const Need& n : in.needs) {
    if (n.headcount < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("need of unit ", n.unit_id, " position ", n.position_code, " is negative"));
    }
    auto [it, inserted] = slots.try_emplace(PositionKey{n.unit_id, n.position_code});
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat("two needs for unit ", n.unit_id, " position ", n.position_code));
    }
    it->second.job_family = n.job_family;
    it->second.need = n.headcount;
  }
  absl::flat_hash_map<std::string, const Move*> moves;
  for (const Move& m : in.moves) moves[m.nip] = &m;
  std::set<std::string> seen;
  for (const Person& p : in.people) {
    if (!seen.insert(p.nip).second) {
      return absl::InvalidArgumentError(absl::StrCat("employee ", p.nip, " is listed twice"));
    }
    PositionKey key{p.unit_id, p.position_code};
    if (auto m = moves.find(p.nip); m != moves.end()) {
      key = {m->second->to_unit_id, m->second->to_position_code};
      ++out.moves_applied;
    }
    auto [it, inserted] = slots.try_emplace(key);
    if (inserted) it->second.job_family = p.job_family;
    it->second.retirements.push_back(p.retirement_date);
  }
  for (const Move& m : in.moves) {
    if (seen.count(m.nip) == 0) {
      out.moves_skipped.push_back(absl::StrCat(m.nip, ": not in post today"));
    }
  }
  return slots;
}

// Retirements of each year: index 0 is year 1 (with everything before it), and so on.
std::vector<int64_t> RetirementsPerYear(const std::vector<domain::Date>& dates,
                                        const std::vector<int>& years) {
  std::vector<int64_t> per_year(years.size(), 0);
  for (const domain::Date& d : dates) {
    for (size_t k = 0; k < years.size(); ++k) {
      if (d < domain::Date{years[k] + 1, 1, 1}) {
        ++per_year[k];
        break;
      }
    }
  }
  return per_year;
}

PositionProjection ProjectPosition(const PositionKey& key, const Slot& slot, const Input& in,
                                   const std::vector<int>& years) {
  PositionProjection p;
  p.unit_id = key.first;
  p.position_code = key.second;
  p.job_family = slot.job_family;
  p.staff_now = static_cast<int64_t>(slot.retirements.size());
  p.need_now = slot.need;
  p.vacant_now = p.staff_now == 0 && p.need_now > 0;
  if (auto d = in.unfilled_needs.find(key); d != in.unfilled_needs.end()) {
    p.unfilled_diagnosis = d->second;
  }
  const auto rate_it = in.growth.find(slot.job_family);
  const double rate = rate_it == in.growth.end() ? 0 : rate_it->second;
  const std::vector<int64_t> retirements = RetirementsPerYear(slot.retirements, years);
  int64_t staff = p.staff_now;
  int64_t recruited = 0;  // the largest shortage of earlier years: recruits stay in post
  for (size_t k = 0; k < years.size(); ++k) {
    Year y;
    y.year = years[k];
    y.staff_start = staff;
    y.retirements = retirements[k];
    y.need = GrownNeed(slot.need, rate, static_cast<int>(k) + 1);
    y.gap = y.staff_start - y.retirements - y.need;
    y.shortage = std::max<int64_t>(0, -y.gap);
    Formasi& f = y.formasi;
    f.total = std::max<int64_t>(0, y.shortage - recruited);
    f.existing_shortage = k == 0 ? std::min(f.total, std::max<int64_t>(0, p.need_now - staff)) : 0;
    f.retirements = std::min(f.total - f.existing_shortage, y.retirements);
    f.growth = f.total - f.existing_shortage - f.retirements;
    recruited = std::max(recruited, y.shortage);
    staff -= y.retirements;
    p.years.push_back(y);
  }
  return p;
}

void Add(const std::vector<Year>& from, std::vector<Year>& into) {
  if (into.empty()) into = std::vector<Year>(from.size());
  for (size_t k = 0; k < from.size(); ++k) {
    Year& t = into[k];
    const Year& y = from[k];
    t.year = y.year;
    t.staff_start += y.staff_start;
    t.retirements += y.retirements;
    t.need += y.need;
    t.gap += y.gap;
    t.shortage += y.shortage;
    t.formasi.total += y.formasi.total;
    t.formasi.existing_shortage += y.formasi.existing_shortage;
    t.formasi.retirements += y.formasi.retirements;
    t.formasi.growth += y.formasi.growth;
  }
}

void AddTotals(Projection& out) {
  std::map<int64_t, std::vector<Year>> units;
  std::map<std::string, std::vector<Year>> families;
  for (const PositionProjection& p : out.positions) {
    Add(p.years, units[p.unit_id]);
    Add(p.years, families[p.job_family]);
    Add(p.years, out.agency);
  }
  for (auto& [unit, years] : units) out.units.push_back({unit, "", std::move(years)});
  for (auto& [family, years] : families) out.families.push_back({0, family, std::move(years)});
}

}  // namespace

int64_t GrownNeed(int64_t base, double rate, int k) {
  if (rate == 0 || base == 0) return base;
  const double grown = static_cast<double>(base) * std::pow(1 + rate, k);
  return static_cast<int64_t>(std::ceil(grown - kTolerance));
}

absl::StatusOr<Projection> Project(const Input& in) {
  if (absl::Status s = Validate(in); !s.ok()) return s;
  Projection out;
  const int first = in.first_year != 0 ? in.first_year : in.as_of.year + 1;
  for (int k = 0; k < in.years; ++k) out.years.push_back(first + k);
  absl::StatusOr<std::map<PositionKey, Slot>> slots = Slots(in, out);
  if (!slots.ok()) return slots.status();
  out.positions.reserve(slots->size());
  for (const auto& [key, slot] : *slots) {
    out.positions.push_back(ProjectPosition(key, slot, in, out.years));
  }
  AddTotals(out);
  return out;
}

}  // namespace seimbang::projection
