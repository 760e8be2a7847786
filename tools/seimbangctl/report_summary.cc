// The report's first page, "Ringkasan untuk pimpinan": what the plan does and for whom, the
// balance before and after, the units most helped, the moves against their lower bound and why
// not more, open objections, the policy values used, and the approval block. Every word comes
// from the catalogue (messages.cc, "report.*"), every number in Indonesian notation.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/domain/nip.h"
#include "tools/seimbangctl/decree.h"
#include "tools/seimbangctl/messages.h"
#include "tools/seimbangctl/report.h"

namespace seimbang::ctl {
namespace tv1 = seimbang::transfer::v1;

namespace {

template <typename... A>
std::string R(absl::string_view key, const A&... args) {
  return Text(Lang::kId, key, args...);
}

// Units whose distance to need shrinks most, at most `n`.
std::vector<ReportUnit> MostHelped(const std::vector<ReportSlot>& slots, size_t n) {
  std::vector<ReportUnit> units = UnitsOf(slots);
  units.erase(
      std::remove_if(units.begin(), units.end(), [](const ReportUnit& u) { return u.helped <= 0; }),
      units.end());
  std::sort(units.begin(), units.end(), [](const ReportUnit& a, const ReportUnit& b) {
    return std::make_tuple(-a.helped, a.name, a.id) < std::make_tuple(-b.helped, b.name, b.id);
  });
  if (units.size() > n) units.resize(n);
  return units;
}

// What the plan does, for whom, and the balance before and after.
std::string WhatItDoes(const ReportInput& in) {
  const auto& p = in.plan;
  std::set<std::string> people;
  std::set<int64_t> units;
  for (const auto& m : in.moves) {
    people.insert(m.nip());
    units.insert(m.from_unit_id());
    units.insert(m.to_unit_id());
  }
  std::string h = absl::StrCat("<h2>", R("report.h.what"), "</h2>\n<p>");
  if (in.moves.empty()) {
    absl::StrAppend(&h, R("report.no_moves"));
  } else {
    absl::StrAppend(&h, R("report.what", FormatCount(p.moves()), FormatCount(people.size()),
                          FormatCount(units.size())));
  }
  absl::StrAppend(&h, " ",
                  R("report.balance", FormatPercent(p.before().balanced_share()),
                    FormatPercent(p.after().balanced_share())),
                  " ",
                  R("report.surplus_deficit", FormatCount(p.before().total_surplus()),
                    FormatCount(p.after().total_surplus()), FormatCount(p.before().total_deficit()),
                    FormatCount(p.after().total_deficit())),
                  "</p>\n");
  const std::vector<ReportUnit> helped = MostHelped(in.slots, 8);
  if (!helped.empty()) {
    absl::StrAppend(&h, "<h2>", R("report.h.helped"), "</h2>\n<ol class=\"helped\">");
    for (const auto& u : helped) {
      absl::StrAppend(
          &h, "<li><b>", HtmlEscape(u.name), "</b> ",
          R("report.helped_row", FormatCount(u.before), FormatCount(u.after), FormatCount(u.need)),
          "</li>");
    }
    absl::StrAppend(&h, "</ol>\n");
  }
  return h;
}

// The moves against their lower bound, and what held the rest back (unfilled needs by reason).
std::string WhyNotMore(const ReportInput& in) {
  const auto& p = in.plan;
  std::string h = absl::StrCat("<h2>", R("report.h.why"), "</h2>\n<p>",
                               R("report.lower_bound", FormatCount(p.moves_lower_bound())), " ");
  if (p.moves() >= p.moves_lower_bound()) {
    absl::StrAppend(&h, R("report.at_bound", FormatCount(p.moves())), "</p>\n");
    return h;
  }
  absl::StrAppend(&h,
                  R("report.below_bound", FormatCount(p.moves()),
                    FormatCount(p.moves_lower_bound() - p.moves()), FormatCount(p.unfilled())),
                  "</p>\n");
  std::map<std::string, int> missing;
  for (const auto& u : in.unfilled) missing[UnfilledWords(u)] += u.missing();
  std::vector<std::pair<int, std::string>> reasons;
  for (const auto& [words, n] : missing) reasons.emplace_back(-n, words);
  std::sort(reasons.begin(), reasons.end());
  if (reasons.size() > 5) reasons.resize(5);
  if (!reasons.empty()) {
    absl::StrAppend(&h, "<ul class=\"reasons\">");
    for (const auto& [n, words] : reasons) {
      absl::StrAppend(&h, "<li>", HtmlEscape(words), ": ", R("report.people", FormatCount(-n)),
                      "</li>");
    }
    absl::StrAppend(&h, "</ul>\n");
  }
  if (p.eligible() < p.candidates()) {
    absl::StrAppend(&h, "<p>",
                    R("report.eligible", FormatCount(p.eligible()), FormatCount(p.candidates())),
                    "</p>\n");
  }
  return h;
}

std::string Objections(const ReportInput& in) {
  std::string h = absl::StrCat("<h2>", R("report.h.objections"), "</h2>\n<p>");
  if (in.objection_window_close_ms == 0) {
    absl::StrAppend(&h, R("report.objections_not_submitted"));
  } else {
    absl::StrAppend(&h, R("report.objections", FormatCount(in.open_objections),
                          DayInWords(in.objection_window_close_ms - 1)));
  }
  absl::StrAppend(&h, "</p>\n");
  return h;
}

// The policy values the plan used (defaults filled in), compactly.
std::string PolicyValues(const ReportInput& in) {
  const auto& r = in.policy.rules();
  const auto& w = in.policy.weights();
  auto row = [](const std::string& a, const std::string& av, const std::string& b,
                const std::string& bv) {
    return absl::StrCat("<tr><th>", a, "</th><td>", av, "</td><th>", b, "</th><td>", bv,
                        "</td></tr>");
  };
  return absl::StrCat(
      "<h2>", R("report.h.policy"), "</h2>\n<p class=\"small\">",
      R("report.policy_name", HtmlEscape(in.policy.name()), FormatCount(in.policy.version())),
      "</p>\n<table class=\"policy\">",
      row(R("report.p.tenure"), R("report.months", FormatCount(r.min_months_in_post())),
          R("report.p.retirement"),
          R("report.months", FormatCount(r.exclude_within_months_of_retirement()))),
      row(R("report.p.leave"), FormatPercent(r.max_leave_fraction()), R("report.p.budget"),
          r.move_budget() > 0 ? FormatCount(r.move_budget()) : R("report.p.no_budget")),
      row(R("report.p.below_need"), R(r.allow_below_need() ? "report.yes" : "report.no"),
          R("report.p.window"), R("report.working_days", FormatCount(r.objection_window_days()))),
      row(R("report.p.cost"), FormatDecimal(w.base_per_move(), 0), R("report.p.per_km"),
          FormatDecimal(w.per_km(), 1)),
      row(R("report.p.under"), FormatDecimal(w.under_need_penalty(), 0), R("report.p.over"),
          FormatDecimal(w.over_need_penalty(), 0)),
      "</table>\n");
}

// One column of the approval block: role, date, signature space, name and NIP.
std::string Signatory(const ReportInput& in, const std::string& role, const std::string& subject,
                      int64_t when_ms) {
  std::string name = "..............................";
  std::string nip = "..............................";
  if (!subject.empty()) {
    auto it = in.people.find(subject);
    name = HtmlEscape(it != in.people.end() ? it->second : subject);
    if (domain::IsEmployeeNumberShape(subject)) nip = subject;
  }
  const std::string date = when_ms > 0 ? DayInWords(when_ms) : "....................";
  return absl::StrCat("<td><div class=\"role\">", role, "</div><div class=\"date\">",
                      R("report.sign_date", date),
                      "</div><div class=\"sign\"></div><div class=\"name\">", name,
                      "</div><div class=\"nip\">NIP ", nip, "</div></td>");
}

std::string ApprovalBlock(const ReportInput& in) {
  const auto& p = in.plan;
  return absl::StrCat("<h2>", R("report.h.approval"), "</h2>\n<table class=\"approval\"><tr>",
                      Signatory(in, R("report.prepared"), p.created_by(), p.create_time_ms()),
                      Signatory(in, R("report.checked"), p.submitted_by(), p.submit_time_ms()),
                      Signatory(in, R("report.approved"), p.approved_by(), p.approve_time_ms()),
                      "</tr></table>\n",
                      p.decision_note().empty()
                          ? ""
                          : absl::StrCat("<p class=\"decision\"><b>", R("report.decision_note"),
                                         "</b> ", HtmlEscape(p.decision_note()), "</p>\n"));
}

}  // namespace

std::string DayInWords(int64_t unix_ms) {
  if (unix_ms <= 0) return "";
  const absl::CivilDay day =
      absl::ToCivilDay(absl::FromUnixMillis(unix_ms), absl::FixedTimeZone(8 * 3600));
  return decree::LongDate({static_cast<int>(day.year()), day.month(), day.day()});
}

std::string RuleWords(const std::string& rule) {
  std::vector<std::string> words;
  for (absl::string_view part : absl::StrSplit(rule, '/', absl::SkipEmpty())) {
    const std::string key = absl::StrCat("rule.", part);
    words.push_back(HasText(key) ? R(key) : std::string(part));
  }
  return absl::StrJoin(words, "; ");
}

std::string UnfilledWords(const tv1::UnfilledNeed& u) {
  std::string words = EnumWord(Lang::kId, tv1::UnfilledReason_Name(u.reason()), "UNFILLED_REASON_");
  if (!u.rule().empty()) absl::StrAppend(&words, " (", RuleWords(u.rule()), ")");
  return words;
}

std::string RenderLeaderSummary(const ReportInput& in) {
  const auto& p = in.plan;
  const std::string agency = in.agency_name.empty() ? p.agency_code() : in.agency_name;
  std::string h =
      absl::StrCat("<section class=\"page1\" id=\"ringkasan\">\n<p class=\"kop\">",
                   HtmlEscape(absl::AsciiStrToUpper(agency)), "</p>\n<h1>", R("report.h.summary"),
                   "</h1>\n", "<p class=\"meta\">",
                   p.label().empty() ? "" : absl::StrCat(HtmlEscape(p.label()), " &middot; "),
                   R("report.meta", HtmlEscape(p.id()), FormatCount(p.revision()),
                     decree::LongDate({p.effective_date().year(), p.effective_date().month(),
                                       p.effective_date().day()}),
                     EnumWord(Lang::kId, tv1::PlanState_Name(p.state()), "PLAN_STATE_")),
                   "</p>\n<div class=\"figures\">");
  auto fig = [&](const std::string& value, const std::string& label) {
    absl::StrAppend(&h, "<div class=\"fig\"><b>", value, "</b><span>", label, "</span></div>");
  };
  fig(FormatCount(p.moves()), R("report.f.moves"));
  fig(absl::StrCat(FormatPercent(p.before().balanced_share()), " &#8594; ",
                   FormatPercent(p.after().balanced_share())),
      R("report.f.balanced"));
  fig(absl::StrCat(FormatCount(p.before().total_deficit()), " &#8594; ",
                   FormatCount(p.after().total_deficit())),
      R("report.f.deficit"));
  fig(FormatCount(in.open_objections), R("report.f.objections"));
  absl::StrAppend(&h, "</div>\n", WhatItDoes(in), WhyNotMore(in), Objections(in), PolicyValues(in),
                  ApprovalBlock(in), "</section>\n");
  return h;
}

}  // namespace seimbang::ctl
