#include "services/transfer/planner/explain.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace seimbang::planner {

std::string FormatIndonesian(double value) {
  std::string s = absl::StrFormat("%.2f", value);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return absl::StrReplaceAll(s, {{".", ","}});
}

MoveExplanation ExplainMove(const PlanInput& input, const PlanResult& /*result*/,
                            const Move& move) {
  const Candidate& c = input.candidates[move.candidate];
  const Destination& from = input.destinations[move.from];
  const Destination& to = input.destinations[move.to];
  MoveExplanation e;
  e.nip = move.nip;
  e.employee_name = c.display_name.empty() ? c.nip : c.display_name;
  e.from_name = from.display_name;
  e.to_name = to.display_name;
  e.target_shortage = to.need - to.staff_before;
  e.target_ej = to.ej_before;
  e.source_surplus = from.staff_before - from.need;
  e.best_alternative = move.best_alternative;
  if (move.best_alternative >= 0) {
    e.alternative_name = input.destinations[move.best_alternative].display_name;
    e.alternative_extra_cost = move.best_alternative_extra_cost;
  }
  e.cost = move.cost;
  e.rules_satisfied = move.rules_satisfied;
  e.position_change = from.position_code != to.position_code;

  std::string why = e.target_shortage > 0
                        ? absl::StrCat("untuk mengisi kekurangan ", e.target_shortage, " orang")
                        : std::string("untuk menyeimbangkan beban kerja");
  absl::StrAppend(&why, " (EJ ", FormatIndonesian(e.target_ej), ")");
  const std::string source = e.source_surplus > 0
                                 ? absl::StrCat("unit asal kelebihan ", e.source_surplus, " orang")
                                 : std::string("unit asal tidak kelebihan pegawai");
  const std::string alternative =
      e.best_alternative >= 0
          ? absl::StrCat("Alternatif terbaik: ", e.alternative_name, " dengan biaya ",
                         FormatIndonesian(e.alternative_extra_cost), " lebih tinggi.")
          : std::string("Tidak ada alternatif lain yang memenuhi syarat.");
  const std::string kind =
      e.position_change ? " sebagai perpindahan jabatan pada jenjang yang sama" : "";
  e.sentence = absl::StrCat("Sdr. ", e.employee_name, " dipindahkan dari ", e.from_name, " ke ",
                            e.to_name, kind, " ", why, "; ", source, ". ", alternative);
  return e;
}

}  // namespace seimbang::planner
