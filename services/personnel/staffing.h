#ifndef SEIMBANG_SERVICES_PERSONNEL_STAFFING_H_
#define SEIMBANG_SERVICES_PERSONNEL_STAFFING_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
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

struct StaffingSnapshot {
  // Ordered by (unit_id, position_code).
  std::map<std::pair<int64_t, std::string>, StaffingCount> rows;
  std::string digest;  // hex SHA-256 over the sorted "nip|unit|position\n" lines counted
  int64_t counted = 0;
  int64_t retired_excluded = 0;
  int64_t inactive_excluded = 0;  // employment status other than ACTIVE as of as_of
};

// Builds GetStaffing's snapshot one employee at a time (the caller pages through the database).
// Someone whose TMT pensiun is on or before as_of has retired and is left out; so is someone
// whose employment status (retired, stopped, deceased, seconded) took effect by as_of.
class StaffingBuilder {
 public:
  explicit StaffingBuilder(domain::Date as_of) : as_of_(as_of) {}

  void Add(const std::string& nip, int64_t unit_id, const std::string& position_code,
           const std::string& job_family, bool pppk, const domain::Date& retirement_date,
           const std::optional<domain::Date>& inactive_since = std::nullopt);
  [[nodiscard]] StaffingSnapshot Finish();

 private:
  domain::Date as_of_;
  StaffingSnapshot snapshot_;
  std::vector<std::tuple<std::string, int64_t, std::string>> counted_;
};

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(const std::string& data);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_STAFFING_H_
