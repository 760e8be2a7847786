#ifndef SEIMBANG_COMMON_DOMAIN_RANK_H_
#define SEIMBANG_COMMON_DOMAIN_RANK_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace seimbang::domain {

// PNS hold a golongan/ruang (I/a .. IV/e); PPPK hold a grade (I .. XVII).
// The two scales are distinct: a PPPK grade IX is not "equal" to any PNS rank.
enum class RankKind { kPns, kPppk };

inline constexpr int kMaxRankOrdinal = 17;

struct Rank {
  RankKind kind = RankKind::kPns;
  // 1..17 on the kind's own scale: I/a = 1 .. IV/e = 17; PPPK grade I = 1 .. XVII = 17.
  int ordinal = 1;
};

inline bool operator==(const Rank& a, const Rank& b) {
  return a.kind == b.kind && a.ordinal == b.ordinal;
}
inline bool operator!=(const Rank& a, const Rank& b) { return !(a == b); }
// No operator<: ordering across kinds is meaningless. Use CompareRanks.

// Parses "III/a" or "III/A" (PNS golongan/ruang) or "IX" (PPPK grade, upper
// case roman numeral). Anything else is INVALID_ARGUMENT.
[[nodiscard]] absl::StatusOr<Rank> ParseRank(std::string_view text);
// "III/a" or "IX"; "?" for an ordinal out of range.
[[nodiscard]] std::string FormatRank(const Rank& rank);
// PNS rank title (pangkat), e.g. "Penata Muda" for III/a; empty for PPPK
// grades, which have none, and for an ordinal out of range.
[[nodiscard]] std::string_view RankTitle(const Rank& rank);

// <0, 0, >0 like strcmp; INVALID_ARGUMENT when the kinds differ.
[[nodiscard]] absl::StatusOr<int> CompareRanks(const Rank& a, const Rank& b);
// min <= rank <= max; false whenever any two of them are of different kinds.
[[nodiscard]] bool InBand(const Rank& rank, const Rank& min, const Rank& max);

}  // namespace seimbang::domain

#endif  // SEIMBANG_COMMON_DOMAIN_RANK_H_
