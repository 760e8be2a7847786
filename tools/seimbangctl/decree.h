#ifndef SEIMBANG_TOOLS_SEIMBANGCTL_DECREE_H_
#define SEIMBANG_TOOLS_SEIMBANGCTL_DECREE_H_

// Decree drafts (SK mutasi) of a plan, rendered from mustache templates (mstch):
// one per move and one collective SK with its attachment (lampiran). Pure: the
// plan, its moves and the settings come in as values (cmd_decrees.cc fetches
// them), the texts come out. The templates' variables are documented in
// tools/seimbangctl/README.md ("Decree drafts"); the defaults are
// tools/seimbangctl/templates/*.mustache, compiled in (DefaultTemplate).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/seimbangctl/messages.h"

namespace seimbang::ctl::decree {

enum class Format { kHtml, kText };

// The four templates, by file name.
inline constexpr char kMoveHtml[] = "sk_move.html.mustache";
inline constexpr char kMoveText[] = "sk_move.txt.mustache";
inline constexpr char kCollectiveHtml[] = "sk_collective.html.mustache";
inline constexpr char kCollectiveText[] = "sk_collective.txt.mustache";
// The settings file read from the template directory when present.
inline constexpr char kSettingsFile[] = "decree.json";

// The agency kinds of personnel.v1.AgencyKind that change the decree's heading.
enum class AgencyKind { kOther, kProvince, kRegency, kCity };

struct Date {
  int year = 0, month = 0, day = 0;  // 0 = unknown
};

// One move in words (names, not codes).
struct Move {
  std::string id, nip, name;
  bool pppk = false;
  std::string rank;  // "III/b" (PNS golongan) or "IX" (PPPK grade); may be empty
  std::string from_position, from_position_code, from_unit, from_unit_path;
  std::string to_position, to_position_code, to_unit, to_unit_path;
  std::string summary;  // the planner's one-line reason
};

// The signing official, place, number and copies. Empty fields take the
// defaults of DefaultSettings; decree.json and flags override them.
struct Settings {
  std::string number;        // Nomor, e.g. "800.3/____/BKPSDM/2026"
  std::string place;         // tempat penetapan, e.g. "Makassar"
  std::string signing_date;  // tanggal penetapan: a blank to fill in
  std::string authority;     // who decides, in the heading: "WALI KOTA MAKASSAR"
  std::string signer_title;  // who signs: the same, or "SEKRETARIS DAERAH" signing for them
  std::string signer_name, signer_nip, signer_rank;
  std::vector<std::string> legal_basis;  // MENGINGAT, in order
  std::vector<std::string> copies;       // TEMBUSAN, in order
};

struct Plan {
  std::string id, analysis_run_id, state_word;
  int revision = 0;
  Date created, effective;
  std::string agency_code, agency_name;
  AgencyKind agency_kind = AgencyKind::kOther;
  Date approved;  // From PlanSummary.approve_time_ms (WITA); unknown (0) until approved.
  std::string policy_id;
  int64_t policy_version = 0;
};

// "1 Juli 2026"; "" when the date is unset or invalid.
std::string LongDate(const Date& d);
// "Penata Muda Tingkat I, III/b" for a PNS golongan, "golongan IX (PPPK)" for a
// PPPK grade, the text itself when it is neither, "-" when empty.
std::string RankWords(const std::string& rank, bool pppk);
// The region of an agency name: "Makassar" for "Pemerintah Kota Makassar".
std::string RegionOf(const std::string& agency_name);
// Who signs by agency kind: "WALI KOTA MAKASSAR", "BUPATI GOWA", "GUBERNUR
// SULAWESI SELATAN", else "PEJABAT PEMBINA KEPEGAWAIAN <NAME>".
std::string SignerTitle(AgencyKind kind, const std::string& agency_name);
// The settings used when neither decree.json nor a flag gives one.
Settings DefaultSettings(const Plan& plan);
// `over`'s non-empty fields replace `base`'s.
Settings Merge(Settings base, const Settings& over);
// The settings a decree uses, field by field: flags over decree.json over the policy's signing
// official (`policy`: its signer fields) over DefaultSettings(plan).
Settings Resolve(const Plan& plan, const Settings& policy, const Settings& file,
                 const Settings& flags);
// decree.json's text as settings; an unknown key or a wrong type is an error
// (Indonesian or English by `lang`) naming it.
absl::StatusOr<Settings> ParseSettings(const std::string& json, Lang lang);

// The default template of that name (compiled in); "" for an unknown name.
std::string DefaultTemplate(const std::string& name);
// The template `name`: `dir`/`name` when `dir` is set and holds it, else the
// default. A file that cannot be read is an error.
absl::StatusOr<std::string> LoadTemplate(const std::string& dir, const std::string& name,
                                         Lang lang);

// Checks `text` (template `name`) before any data is fetched: balanced
// sections, closed tags, no partials or delimiter changes, no unescaped
// {{{x}}}/{{&x}} in HTML, and every variable one the template receives.
absl::Status CheckTemplate(const std::string& name, const std::string& text, Lang lang);

// The decree of one move (template kMoveHtml/kMoveText) and the collective one.
absl::StatusOr<std::string> RenderMove(const std::string& tmpl, Format f, const Plan& plan,
                                       const Settings& s, const Move& m, Lang lang);
absl::StatusOr<std::string> RenderCollective(const std::string& tmpl, Format f, const Plan& plan,
                                             const Settings& s, const std::vector<Move>& moves,
                                             Lang lang);

// A move id made safe as a file name: [A-Za-z0-9_-] kept, others '_', at most 100.
std::string FileStem(const std::string& move_id);

}  // namespace seimbang::ctl::decree

#endif  // SEIMBANG_TOOLS_SEIMBANGCTL_DECREE_H_
