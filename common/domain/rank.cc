#include "common/domain/rank.h"

#include <array>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace seimbang::domain {
namespace {

// Debian's Abseil is built with its own absl::string_view (not an alias of
// std::string_view), so std::string_view arguments are converted explicitly.
absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

constexpr std::array<std::string_view, 17> kRoman = {"I",    "II",   "III", "IV",  "V",   "VI",
                                                     "VII",  "VIII", "IX",  "X",   "XI",  "XII",
                                                     "XIII", "XIV",  "XV",  "XVI", "XVII"};

// Pangkat per golongan/ruang, in ordinal order.
constexpr std::array<std::string_view, 17> kPnsTitles = {"Juru Muda",
                                                         "Juru Muda Tingkat I",
                                                         "Juru",
                                                         "Juru Tingkat I",
                                                         "Pengatur Muda",
                                                         "Pengatur Muda Tingkat I",
                                                         "Pengatur",
                                                         "Pengatur Tingkat I",
                                                         "Penata Muda",
                                                         "Penata Muda Tingkat I",
                                                         "Penata",
                                                         "Penata Tingkat I",
                                                         "Pembina",
                                                         "Pembina Tingkat I",
                                                         "Pembina Utama Muda",
                                                         "Pembina Utama Madya",
                                                         "Pembina Utama"};

// First ordinal of golongan I..IV; IV has five ruang (a-e), the others four.
constexpr std::array<int, 4> kGolonganStart = {1, 5, 9, 13};

int RomanValue(std::string_view s) {
  for (size_t i = 0; i < kRoman.size(); ++i) {
    if (kRoman[i] == s) return static_cast<int>(i) + 1;
  }
  return 0;
}

absl::Status BadRank(std::string_view text) {
  return absl::InvalidArgumentError(
      absl::StrCat("rank must be a PNS golongan/ruang like III/a or a PPPK grade I-XVII, got \"",
                   Sv(text), "\""));
}

}  // namespace

absl::StatusOr<Rank> ParseRank(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    const int grade = RomanValue(text);
    if (grade == 0) return BadRank(text);
    return Rank{RankKind::kPppk, grade};
  }
  const std::string_view golongan = text.substr(0, slash);
  const std::string_view ruang = text.substr(slash + 1);
  const int g = RomanValue(golongan);
  if (g < 1 || g > 4 || ruang.size() != 1) return BadRank(text);
  char r = ruang[0];
  if (r >= 'A' && r <= 'Z') r = static_cast<char>(r - 'A' + 'a');
  const int last_ruang = g == 4 ? 'e' : 'd';
  if (r < 'a' || r > last_ruang) {
    return absl::InvalidArgumentError(absl::StrCat("golongan ", Sv(golongan), " has ruang a-",
                                                   std::string(1, static_cast<char>(last_ruang)),
                                                   ", got \"", Sv(text), "\""));
  }
  return Rank{RankKind::kPns, kGolonganStart[g - 1] + (r - 'a')};
}

std::string FormatRank(const Rank& rank) {
  if (rank.ordinal < 1 || rank.ordinal > kMaxRankOrdinal) return "?";
  if (rank.kind == RankKind::kPppk) return std::string(kRoman[rank.ordinal - 1]);
  int g = 3;
  while (rank.ordinal < kGolonganStart[g]) --g;
  return absl::StrCat(Sv(kRoman[g]), "/",
                      std::string(1, static_cast<char>('a' + rank.ordinal - kGolonganStart[g])));
}

std::string_view RankTitle(const Rank& rank) {
  if (rank.kind != RankKind::kPns || rank.ordinal < 1 || rank.ordinal > kMaxRankOrdinal) {
    return {};
  }
  return kPnsTitles[rank.ordinal - 1];
}

absl::StatusOr<int> CompareRanks(const Rank& a, const Rank& b) {
  if (a.kind != b.kind) {
    return absl::InvalidArgumentError(absl::StrCat("cannot compare a PNS rank with a PPPK grade (",
                                                   FormatRank(a), ", ", FormatRank(b), ")"));
  }
  return a.ordinal - b.ordinal;
}

bool InBand(const Rank& rank, const Rank& min, const Rank& max) {
  if (rank.kind != min.kind || rank.kind != max.kind) return false;
  return min.ordinal <= rank.ordinal && rank.ordinal <= max.ordinal;
}

}  // namespace seimbang::domain
