// seimbangctl plan story ID --unit-name TEXT: one group of units through a plan.
#include <google/protobuf/struct.pb.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/seimbangctl/cli_internal.h"
#include "tools/seimbangctl/report.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;
namespace wv1 = seimbang::workload::v1;
namespace tv1 = seimbang::transfer::v1;

namespace {

// The units whose name, or an ancestor's, contains the text (case-insensitive).
class StoryUnits {
 public:
  StoryUnits(const std::vector<pv1::Unit>& units, const std::string& text)
      : needle_(absl::AsciiStrToLower(text)) {
    for (const auto& u : units) by_id_[u.id()] = &u;
  }

  bool Contains(int64_t id) const {
    for (int depth = 0; depth < 64; ++depth) {
      auto it = by_id_.find(id);
      if (it == by_id_.end()) return false;
      if (absl::StrContains(absl::AsciiStrToLower(it->second->name()), needle_)) return true;
      id = it->second->parent_id();
      if (id == 0) return false;
    }
    return false;
  }

 private:
  std::map<int64_t, const pv1::Unit*> by_id_;
  std::string needle_;
};

// One unit's need and staff, and the moves into and out of the story's units.
struct StoryCounts {
  int need = 0, before = 0, after = 0, in = 0, out = 0;
};

std::vector<std::string> CountsRow(const std::string& unit, const StoryCounts& a) {
  return {unit,
          absl::StrCat(a.need),
          absl::StrCat(a.before),
          absl::StrCat(a.after),
          absl::StrCat(a.in),
          absl::StrCat(a.out)};
}

// A row per unit and a TOTAL row; `total` is that last row's counts.
Table StoryTable(Lang lang, const std::map<int64_t, StoryCounts>& counts,
                 std::map<int64_t, std::string>& names, StoryCounts& total) {
  Table t{{"unit_name", "need", "staff_before", "staff_after", "moves_in", "moves_out"}, {}};
  for (const auto& [id, a] : counts) {
    t.rows.push_back(CountsRow(names[id], a));
    total.need += a.need, total.before += a.before, total.after += a.after, total.in += a.in,
        total.out += a.out;
  }
  t.rows.push_back(CountsRow(Text(lang, "word.total"), total));
  return t;
}

// The story's unfilled needs; `missing` is the number of people they lack.
Table StoryUnfilled(Lang lang, const tv1::GetPlanResponse& plan, const StoryUnits& story,
                    int& missing) {
  Table un{{Text(lang, "col.unit"), Text(lang, "col.position"), Text(lang, "col.missing"),
            Text(lang, "col.reason")},
           {}};
  for (const auto& u : plan.unfilled()) {
    if (!story.Contains(u.unit_id())) continue;
    missing += u.missing();
    un.rows.push_back(
        {u.unit_name(), u.position_code(), absl::StrCat(u.missing()), UnfilledReasonText(lang, u)});
  }
  return un;
}

}  // namespace

// Staff against need for the units whose name contains the text (and their sub-units).
int Cli::PlanStory() {
  const std::string plan_id = Word(2, "ID");
  const std::string text = Required("unit-name");
  tv1::GetPlanResponse plan;
  grpc::Status st;
  if (!GetPlan(plan_id, plan, st)) return RpcError("GetPlan", st);
  std::vector<pv1::Unit> units;
  if (!AllUnits(plan.plan().agency_code(), units, st)) return RpcError("ListUnits", st);
  std::vector<wv1::PositionRow> rows;
  if (!AllAnalysisRows(plan.plan().analysis_run_id(), rows, nullptr, st))
    return RpcError("GetAnalysis", st);
  std::vector<tv1::Move> moves;
  if (!AllMoves(plan_id, true, moves, st)) return RpcError("ListMoves", st);

  const StoryUnits story(units, text);
  std::map<int64_t, std::string> names;
  for (const auto& u : units) names[u.id()] = u.name();
  std::map<int64_t, StoryCounts> counts;
  for (const auto& s : BuildSlots(rows, moves, names)) {
    if (!story.Contains(s.unit_id)) continue;
    StoryCounts& a = counts[s.unit_id];
    a.need += s.need;
    a.before += s.staff_before;
    a.after += s.staff_after;
  }
  std::vector<const tv1::Move*> in_moves, out_moves;
  for (const auto& m : moves) {
    bool to = story.Contains(m.to_unit_id()), from = story.Contains(m.from_unit_id());
    if (to && from) continue;  // inside the story's units: no change to their total
    if (to) ++counts[m.to_unit_id()].in, in_moves.push_back(&m);
    if (from) ++counts[m.from_unit_id()].out, out_moves.push_back(&m);
  }
  if (counts.empty()) {
    err_ << "seimbangctl: " << T("err.unit_none", plan.plan().agency_code(), text) << "\n";
    return kExitNotFound;
  }
  StoryCounts total;
  Table t = StoryTable(lang_, counts, names, total);
  if (output_ == "table") {
    out_ << T("story.heading", text, plan_id, total.before, total.after, total.need) << "\n\n";
  }
  if (output_ == "json" || output_ == "yaml") {
    // The figures as one message: a Struct of the table's rows.
    google::protobuf::Struct doc;
    auto* list = (*doc.mutable_fields())["units"].mutable_list_value();
    for (const auto& r : t.rows) {
      auto* row = list->add_values()->mutable_struct_value()->mutable_fields();
      for (size_t i = 0; i < r.size() && i < t.header.size(); ++i)
        (*row)[t.header[i]].set_string_value(r[i]);
    }
    Emit(doc, {});
    return kExitOk;
  }
  PrintTable(t);
  if (output_ != "table") return kExitOk;
  PrintStoryMoves(T("story.moves_in", in_moves.size()), in_moves);
  PrintStoryMoves(T("story.moves_out", out_moves.size()), out_moves);
  int missing = 0;
  Table un = StoryUnfilled(lang_, plan, story, missing);
  out_ << "\n" << T("story.unfilled", missing) << "\n";
  if (!un.rows.empty()) PrintTable(un);
  return kExitOk;
}

// The first ten moves, most important first.
void Cli::PrintStoryMoves(const std::string& title, const std::vector<const tv1::Move*>& moves) {
  if (moves.empty()) return;
  out_ << "\n" << title << "\n";
  for (size_t i = 0; i < moves.size() && i < 10; ++i) {
    const auto& m = *moves[i];
    out_ << "  " << m.id() << "  " << m.employee_name() << ": " << m.from_unit_name() << " -> "
         << m.to_unit_name() << " (" << m.to_position_code() << ")\n      " << m.summary() << "\n";
  }
  if (moves.size() > 10) out_ << "  " << T("word.and_more", moves.size() - 10) << "\n";
}

}  // namespace seimbang::ctl
