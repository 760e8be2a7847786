#ifndef SEIMBANG_SERVICES_PERSONNEL_STAFFING_H_
#define SEIMBANG_SERVICES_PERSONNEL_STAFFING_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/domain/date.h"

namespace seimbang::personnel {

// Headcount of one unit x position.
struct StaffingCount {
  std::string job_family;
  int pns = 0;
  int pppk = 0;
};

// Orders (unit_id, position_code) keys, and finds one by a string_view code without a copy.
struct StaffingKeyLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    if (a.first != b.first) return a.first < b.first;
    return std::string_view(a.second) < std::string_view(b.second);
  }
};

struct StaffingSnapshot {
  // Ordered by (unit_id, position_code).
  std::map<std::pair<int64_t, std::string>, StaffingCount, StaffingKeyLess> rows;
  std::string digest;  // hex SHA-256 over the sorted "nip|unit|position\n" lines counted
  int64_t counted = 0;
  int64_t retired_excluded = 0;
  int64_t inactive_excluded = 0;  // employment status other than ACTIVE as of as_of
};

// Builds GetStaffing's snapshot one employee at a time (the caller pages through the database).
// Someone whose TMT pensiun is on or before as_of has retired and is left out; so is someone
// whose employment status (retired, stopped, deceased, seconded) took effect by as_of.
// The digest's lines are kept in one buffer, not a string per employee (a national analysis
// digests 6 M lines); rows given in (nip, unit, position) order, as GetStaffing reads them, are
// hashed as they are, any other order is sorted first.
class StaffingBuilder {
 public:
  explicit StaffingBuilder(domain::Date as_of) : as_of_(as_of) {}

  void Add(const std::string& nip, int64_t unit_id, const std::string& position_code,
           const std::string& job_family, bool pppk, const domain::Date& retirement_date,
           const std::optional<domain::Date>& inactive_since = std::nullopt);
  [[nodiscard]] StaffingSnapshot Finish();

 private:
  // Where one counted line sits in lines_: "nip|unit|position\n".
  struct Line {
    size_t offset;
    uint32_t nip_size;
    uint32_t size;
    int64_t unit_id;
  };
  bool Before(const Line& a, const Line& b) const;

  domain::Date as_of_;
  StaffingSnapshot snapshot_;
  std::string lines_;
  std::vector<Line> counted_;
  bool in_order_ = true;  // every line so far came after the one before
};

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(const std::string& data);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_STAFFING_H_
