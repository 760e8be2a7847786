// The plan report: the leader's summary page (report_summary.cc), then the detail: the balance
// by measure and job family, the units' chart and the sortable table of every unit, the EJ
// distribution, the moves, the unfilled needs, the projection (report_projection.cc), the whole
// policy and the technical figures. Indonesian words from the catalogue, Indonesian numbers,
// A4 print stylesheet.
#include "tools/seimbangctl/report.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "tools/seimbangctl/messages.h"

namespace seimbang::ctl {
namespace tv1 = seimbang::transfer::v1;
namespace wv1 = seimbang::workload::v1;

namespace {

template <typename... A>
std::string R(absl::string_view key, const A&... args) {
  return Text(Lang::kId, key, args...);
}

std::string Family(const std::string& family) { return HtmlEscape(FamilyWord(Lang::kId, family)); }

// The longest label of a chart row that fits its column: 11 px DejaVu Sans averages under
// 7 px a character, so `max_chars` characters stay inside the column; longer names end in "…"
// and keep their whole text in the row's <title>.
std::string FitLabel(const std::string& name, size_t max_chars) {
  size_t chars = 0, cut = name.size();
  for (size_t i = 0; i < name.size(); ++i) {
    if ((static_cast<unsigned char>(name[i]) & 0xC0) == 0x80) continue;
    if (++chars > max_chars - 1) {
      cut = i;
      break;
    }
  }
  if (cut == name.size()) return name;
  return name.substr(0, cut) + "\xE2\x80\xA6";
}

constexpr size_t kChartUnits = 20;

// Per unit, need against staff before and after, on a logarithmic scale so that one unit of
// several hundred people leaves the others readable; the units the plan helps most.
std::string StaffChart(const std::vector<ReportUnit>& all) {
  std::vector<ReportUnit> shown;
  for (const auto& u : all) {
    if (u.before != u.after) shown.push_back(u);
  }
  const size_t changed = shown.size();
  std::sort(shown.begin(), shown.end(), [](const ReportUnit& a, const ReportUnit& b) {
    return std::make_tuple(-a.helped, -std::abs(a.after - a.before), a.name) <
           std::make_tuple(-b.helped, -std::abs(b.after - b.before), b.name);
  });
  if (shown.size() > kChartUnits) shown.resize(kChartUnits);
  if (shown.empty()) return absl::StrCat("<p>", R("report.chart_none"), "</p>");
  int max_v = 1;
  for (const auto& u : shown) max_v = std::max({max_v, u.need, u.before, u.after});
  const double top = std::log10(1.0 + max_v);
  const int label_w = 300, bar_w = 360, value_w = 190, row_h = 34, axis_h = 34;
  const int height = static_cast<int>(shown.size()) * row_h + 10 + axis_h;
  auto w = [&](int v) { return bar_w * std::log10(1.0 + std::max(0, v)) / top; };
  std::string svg = absl::StrFormat(
      "<p class=\"caption\">%s</p>\n<svg class=\"chart units\" role=\"img\" aria-label=\"%s\" "
      "viewBox=\"0 0 %d %d\" width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\">",
      R("report.chart_caption", FormatCount(shown.size()), FormatCount(changed),
        FormatCount(all.size())),
      R("report.chart_label"), label_w + bar_w + value_w, height);
  // Grid lines at 1, 10, 100, ... on the log axis.
  for (int tick = 1; tick <= max_v; tick *= 10) {
    const double x = label_w + w(tick);
    absl::StrAppend(
        &svg, absl::StrFormat("<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"4\" "
                              "y2=\"%d\"/><text x=\"%.1f\" y=\"%d\" class=\"tick\">%s</text>",
                              x, height - axis_h + 4, x, height - axis_h + 18, FormatCount(tick)));
  }
  int y = 10;
  for (const auto& u : shown) {
    absl::StrAppend(
        &svg,
        absl::StrFormat("<text x=\"%d\" y=\"%d\" class=\"lbl\"><title>%s</title>%s</text>",
                        label_w - 8, y + 16, HtmlEscape(u.name), HtmlEscape(FitLabel(u.name, 42))),
        absl::StrFormat("<rect class=\"before\" x=\"%d\" y=\"%d\" width=\"%.1f\" "
                        "height=\"11\"><title>sebelum: %s</title></rect>",
                        label_w, y, w(u.before), FormatCount(u.before)),
        absl::StrFormat("<rect class=\"after\" x=\"%d\" y=\"%d\" width=\"%.1f\" "
                        "height=\"11\"><title>sesudah: %s</title></rect>",
                        label_w, y + 13, w(u.after), FormatCount(u.after)),
        absl::StrFormat("<line class=\"need\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" "
                        "y2=\"%d\"><title>kebutuhan: %s</title></line>",
                        label_w + w(u.need), label_w + w(u.need), y - 2, y + 26,
                        FormatCount(u.need)),
        absl::StrFormat("<text x=\"%d\" y=\"%d\" class=\"val\">%s &#8594; %s / %s</text>",
                        label_w + bar_w + 10, y + 16, FormatCount(u.before), FormatCount(u.after),
                        FormatCount(u.need)));
    y += row_h;
  }
  absl::StrAppend(&svg, "</svg>");
  return svg;
}

// Histogram of EJ (counts of unit x positions) before and after.
std::string EjHistogram(const std::vector<ReportSlot>& slots, double wke) {
  const std::vector<std::pair<double, std::string>> bins = {
      {0.5, "&lt;0,50"},  {0.7, "0,50-0,69"}, {0.9, "0,70-0,89"}, {1.0001, "0,90-1,00"},
      {1.1, "1,00-1,10"}, {1.3, "1,10-1,30"}, {1e18, "&gt;1,30"}};
  std::vector<int> before(bins.size(), 0), after(bins.size(), 0);
  auto bin_of = [&](double ej) {
    for (size_t i = 0; i < bins.size(); ++i) {
      if (ej < bins[i].first) return i;
    }
    return bins.size() - 1;
  };
  for (const auto& s : slots) {
    if (s.workload_minutes <= 0) continue;
    if (s.staff_before > 0) ++before[bin_of(SlotEj(s.workload_minutes, s.staff_before, wke))];
    if (s.staff_after > 0) ++after[bin_of(SlotEj(s.workload_minutes, s.staff_after, wke))];
  }
  int max_v = 1;
  for (size_t i = 0; i < bins.size(); ++i) max_v = std::max({max_v, before[i], after[i]});
  const int col_w = 100, h = 180;
  std::string svg = absl::StrFormat(
      "<svg class=\"chart ej\" role=\"img\" aria-label=\"Sebaran EJ sebelum dan sesudah\" "
      "viewBox=\"0 0 %d %d\" width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\">",
      static_cast<int>(bins.size()) * col_w + 20, h + 50);
  for (size_t i = 0; i < bins.size(); ++i) {
    int x = 10 + static_cast<int>(i) * col_w;
    double hb = static_cast<double>(before[i]) * h / max_v;
    double ha = static_cast<double>(after[i]) * h / max_v;
    absl::StrAppend(
        &svg,
        absl::StrFormat("<rect class=\"before\" x=\"%d\" y=\"%.1f\" width=\"38\" height=\"%.1f\">"
                        "<title>sebelum: %s</title></rect>",
                        x + 10, 10 + h - hb, hb, FormatCount(before[i])),
        absl::StrFormat("<rect class=\"after\" x=\"%d\" y=\"%.1f\" width=\"38\" height=\"%.1f\">"
                        "<title>sesudah: %s</title></rect>",
                        x + 50, 10 + h - ha, ha, FormatCount(after[i])),
        absl::StrFormat("<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", x + 50, h + 28,
                        bins[i].second),
        absl::StrFormat("<text x=\"%d\" y=\"%d\" class=\"tick\">%s / %s</text>", x + 50, h + 44,
                        FormatCount(before[i]), FormatCount(after[i])));
  }
  absl::StrAppend(&svg, "</svg>");
  return svg;
}

std::string MetricsRow(const std::string& name, const std::string& before,
                       const std::string& after) {
  return absl::StrCat("<tr><th>", name, "</th><td class=\"num\">", before,
                      "</td><td class=\"num\">", after, "</td></tr>");
}

// The printout's unit table: the units the plan changes, two to a row, by name; the screen's
// sortable table (hidden in print) holds every unit.
std::string PrintedUnits(const std::vector<ReportUnit>& units) {
  std::vector<const ReportUnit*> changed;
  for (const auto& u : units) {
    if (u.before != u.after) changed.push_back(&u);
  }
  std::sort(changed.begin(), changed.end(), [](const ReportUnit* a, const ReportUnit* b) {
    return std::make_tuple(a->name, a->id) < std::make_tuple(b->name, b->id);
  });
  const std::string cols =
      absl::StrCat("<th>", R("report.col.unit"), "</th><th class=\"num\">", R("report.col.need"),
                   "</th><th class=\"num\">", R("report.col.before_after"), "</th>");
  std::string h = absl::StrCat("<p class=\"small printonly\">",
                               R("report.printed_units", FormatCount(changed.size()),
                                 FormatCount(units.size() - changed.size())),
                               "</p>\n<table class=\"units printonly\"><thead><tr>", cols, cols,
                               "</tr></thead><tbody>\n");
  const size_t half = (changed.size() + 1) / 2;
  auto cells = [](const ReportUnit* u) {
    if (u == nullptr) return std::string("<td></td><td></td><td></td>");
    return absl::StrCat("<td>", HtmlEscape(u->name), "</td><td class=\"num\">",
                        FormatCount(u->need), "</td><td class=\"num\">", FormatCount(u->before),
                        " &#8594; ", FormatCount(u->after), "</td>");
  };
  for (size_t i = 0; i < half; ++i) {
    absl::StrAppend(&h, "<tr>", cells(changed[i]),
                    cells(half + i < changed.size() ? changed[half + i] : nullptr), "</tr>\n");
  }
  absl::StrAppend(&h, "</tbody></table>\n");
  return h;
}

// A sortable column heading: data-type "num" sorts numbers, else text.
std::string Th(const std::string& text, bool numeric) {
  return absl::StrCat("<th data-type=\"", numeric ? "num" : "text", "\" tabindex=\"0\">", text,
                      "</th>");
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FormatDecimal(double v, int decimals) {
  if (!std::isfinite(v)) return "-";
  const std::string fixed = absl::StrFormat("%.*f", decimals, std::fabs(v));
  const size_t point = fixed.find('.');
  const std::string whole = fixed.substr(0, point);
  std::string out = FormatCount(std::stoll(whole));
  if (point != std::string::npos) absl::StrAppend(&out, ",", fixed.substr(point + 1));
  const bool zero = fixed.find_first_not_of("0.") == std::string::npos;
  return v < 0 && !zero ? "-" + out : out;
}

std::string FormatPercent(double share) { return FormatDecimal(share * 100, 1) + "%"; }

double SlotEj(double workload_minutes, int staff, double wke) {
  if (staff <= 0 || wke <= 0) return 0;
  return workload_minutes / (staff * wke);
}

namespace {

using SlotsByKey = std::map<std::pair<int64_t, std::string>, ReportSlot>;

// The slot of (unit, position), its unit and position set.
ReportSlot& SlotOf(SlotsByKey& by_key, int64_t unit_id, const std::string& position_code) {
  ReportSlot& s = by_key[{unit_id, position_code}];
  s.unit_id = unit_id;
  s.position_code = position_code;
  return s;
}

}  // namespace

std::vector<ReportSlot> BuildSlots(const std::vector<wv1::PositionRow>& rows,
                                   const std::vector<tv1::Move>& moves,
                                   const std::map<int64_t, std::string>& unit_names) {
  SlotsByKey by_key;
  for (const auto& r : rows) {
    ReportSlot& s = SlotOf(by_key, r.unit_id(), r.position_code());
    s.job_family = r.job_family();
    s.workload_minutes = r.workload_minutes();
    s.need = r.required_headcount();
    s.staff_before = r.staff();
    s.staff_after = r.staff();
  }
  for (const auto& m : moves) {
    ReportSlot& from = SlotOf(by_key, m.from_unit_id(), m.from_position_code());
    from.staff_after -= 1;
    ReportSlot& to = SlotOf(by_key, m.to_unit_id(), m.to_position_code());
    to.staff_after += 1;
    if (from.unit_name.empty()) from.unit_name = m.from_unit_name();
    if (to.unit_name.empty()) to.unit_name = m.to_unit_name();
  }
  std::vector<ReportSlot> out;
  out.reserve(by_key.size());
  for (auto& [key, s] : by_key) {
    auto it = unit_names.find(s.unit_id);
    if (it != unit_names.end()) s.unit_name = it->second;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<ReportUnit> UnitsOf(const std::vector<ReportSlot>& slots) {
  std::map<int64_t, ReportUnit> units;
  for (const auto& s : slots) {
    ReportUnit& u = units[s.unit_id];
    u.id = s.unit_id;
    if (u.name.empty()) {
      u.name = s.unit_name.empty() ? absl::StrCat("Unit ", s.unit_id) : s.unit_name;
    }
    u.need += s.need;
    u.before += s.staff_before;
    u.after += s.staff_after;
    u.helped += std::abs(s.staff_before - s.need) - std::abs(s.staff_after - s.need);
  }
  std::vector<ReportUnit> out;
  out.reserve(units.size());
  for (auto& [id, u] : units) out.push_back(std::move(u));
  return out;
}

namespace {

// The page head: title, inline CSS (screen and A4 print) and the table-sorting script.
std::string ReportHead(const ReportInput& in) {
  const auto& p = in.plan;
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      R("report.title", HtmlEscape(p.label().empty() ? p.id() : p.label()),
        HtmlEscape(in.agency_name.empty() ? p.agency_code() : in.agency_name)),
      "</title>\n<style>\n",
      R"css(body{font-family:"DejaVu Sans",Arial,sans-serif;margin:1.5em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.4;overflow-wrap:break-word}
h1{font-size:1.5em;margin:.1em 0}h2{font-size:1.15em;border-bottom:2px solid #2b6cb0;padding-bottom:.15em;margin:1.2em 0 .4em}h3{font-size:1em}
.kop{font-weight:bold;letter-spacing:.05em;margin:0;color:#2b6cb0}.meta{margin:.2em 0 .8em;color:#444}
.figures{display:flex;flex-wrap:wrap;gap:.6em}.fig{border:1px solid #ccc;border-radius:6px;padding:.4em .8em;flex:1 1 10em;min-width:0}
.fig b{display:block;font-size:1.35em;white-space:nowrap}.fig span{display:block;font-size:.85em;color:#444}
ol.helped{columns:2;column-gap:2em;margin:.2em 0;padding-left:1.4em}ol.helped li{break-inside:avoid}
table{border-collapse:collapse;width:100%;font-size:.88em}
th,td{border:1px solid #ddd;padding:.25em .45em;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#f2f5f9}
td.num,th.num{text-align:right;white-space:nowrap}td.nw,th.nw{white-space:nowrap;overflow-wrap:normal}.small,small{font-size:.85em;color:#444}
table.policy th{width:32%;font-weight:normal}table.policy td{width:18%}
table.approval td{width:33%;text-align:center;border:none;padding:.3em .6em}.approval .sign{height:4.2em}
.approval .name{font-weight:bold;border-top:1px solid #222;padding-top:.2em}
table.sortable th[data-type]{cursor:pointer}table.sortable th[aria-sort=ascending]::after{content:" \25B2"}table.sortable th[aria-sort=descending]::after{content:" \25BC"}
.chart{max-width:100%;height:auto;display:block}.chart .before{fill:#a0aec0}.chart .after{fill:#2b6cb0}.chart .need{stroke:#c53030;stroke-width:2}
.chart .grid{stroke:#e2e8f0}.chart text{font-size:11px;fill:#222;font-family:"DejaVu Sans",Arial,sans-serif}.chart .lbl{text-anchor:end}.chart .tick{text-anchor:middle}
.caption{font-size:.9em;color:#444}.legend span{display:inline-block;margin-right:1.5em}.sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.printonly{display:none}footer{margin-top:2em;font-size:.8em;color:#666}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none;padding:0;font-size:8.5pt;line-height:1.3}h2{break-after:avoid;margin:.6em 0 .3em;font-size:11pt}h3{break-after:avoid;margin:.5em 0 .2em}
section.detail{break-before:page}section.page1{font-size:8.5pt}section.page1 h1{font-size:14pt}section.page1 h2{margin:.45em 0 .2em;font-size:10pt}
.figures{flex-wrap:nowrap;gap:.4em}.fig{padding:.2em .5em}.fig b{font-size:11pt}.meta{margin:.1em 0 .4em}ol.helped,ul.reasons{margin:.1em 0}section.page1 p{margin:.25em 0}
.approval .sign{height:3.2em}table{font-size:7pt}thead{display:table-header-group}tr,.fig,svg,table.approval{break-inside:avoid}
td,th{padding:.08em .3em;line-height:1.2}table.moves,table.units,table.formasi{font-size:6.5pt}
table.moves .why,table.moves small,.fam,.noprint{display:none}p.printonly{display:block}table.printonly{display:table}
.chart.family{width:170px;height:auto}.chart.units{max-height:235mm;width:auto}}
)css",
      "</style>\n<script>\n",
      // Sorts a table.sortable's body by the clicked column (numbers by data-v), no network.
      R"js(document.addEventListener("DOMContentLoaded",function(){
document.querySelectorAll("table.sortable").forEach(function(t){
t.querySelectorAll("thead th").forEach(function(th,col){
function sort(){var asc=th.getAttribute("aria-sort")!=="ascending";
t.querySelectorAll("thead th").forEach(function(o){o.removeAttribute("aria-sort");});
th.setAttribute("aria-sort",asc?"ascending":"descending");
var num=th.dataset.type==="num",body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=a.cells[col],y=b.cells[col];
var d=num?parseFloat(x.dataset.v)-parseFloat(y.dataset.v):x.textContent.localeCompare(y.textContent,"id");
return asc?d:-d;});rows.forEach(function(r){body.appendChild(r);});}
th.addEventListener("click",sort);th.addEventListener("keydown",function(e){if(e.key==="Enter")sort();});});});});
)js",
      "</script>\n</head>\n<body>\n");
}

// The balance by measure and the moves by job family.
std::string ReportBalance(const ReportInput& in) {
  const auto& p = in.plan;
  std::string h = absl::StrCat(
      "<section class=\"detail\" id=\"keseimbangan\">\n<h2>", R("report.h.balance"), "</h2>\n",
      "<table class=\"metrics\"><thead><tr><th>", R("report.col.measure"),
      "</th><th class=\"num\">", R("report.col.before"), "</th><th class=\"num\">",
      R("report.col.after"), "</th></tr></thead><tbody>",
      MetricsRow(R("report.m.over"), FormatCount(p.before().units_over()),
                 FormatCount(p.after().units_over())),
      MetricsRow(R("report.m.under"), FormatCount(p.before().units_under()),
                 FormatCount(p.after().units_under())),
      MetricsRow(R("report.m.surplus"), FormatCount(p.before().total_surplus()),
                 FormatCount(p.after().total_surplus())),
      MetricsRow(R("report.m.deficit"), FormatCount(p.before().total_deficit()),
                 FormatCount(p.after().total_deficit())),
      MetricsRow(R("report.m.balanced"), FormatPercent(p.before().balanced_share()),
                 FormatPercent(p.after().balanced_share())),
      MetricsRow(R("report.m.ej_cv"), FormatDecimal(p.before().ej_cv(), 3),
                 FormatDecimal(p.after().ej_cv(), 3)),
      MetricsRow(R("report.m.robin_hood"), FormatDecimal(p.before().robin_hood_index(), 3),
                 FormatDecimal(p.after().robin_hood_index(), 3)),
      "</tbody></table>\n");
  if (p.by_family_size() > 0) {
    absl::StrAppend(&h, "<h3>", R("report.h.by_family"), "</h3><p class=\"small\">",
                    R("report.by_family_note"), "</p><table><thead><tr><th>",
                    R("report.col.family"), "</th><th class=\"num\">", R("report.col.moves"),
                    "</th><th class=\"num\">", R("report.col.lower_bound"),
                    "</th></tr></thead><tbody>");
    for (const auto& f : p.by_family()) {
      absl::StrAppend(&h, "<tr><td>", Family(f.job_family()), "</td><td class=\"num\">",
                      FormatCount(f.moves()), "</td><td class=\"num\">",
                      FormatCount(f.lower_bound()), "</td></tr>");
    }
    absl::StrAppend(&h, "</tbody></table>\n");
  }
  absl::StrAppend(&h, "</section>\n");
  return h;
}

// The units' chart, the table of every unit (sortable) and the EJ distribution.
std::string ReportUnits(const ReportInput& in) {
  const std::vector<ReportUnit> units = UnitsOf(in.slots);
  const std::string legend = absl::StrCat(
      "<p class=\"legend\"><span><i class=\"sw\" style=\"background:#a0aec0\"></i>",
      R("report.col.before"), "</span><span><i class=\"sw\" style=\"background:#2b6cb0\"></i>",
      R("report.col.after"), "</span>");
  std::string h = absl::StrCat(
      "<section class=\"detail\" id=\"unit\">\n<h2>", R("report.h.units"), "</h2>\n", legend,
      "<span><i class=\"sw\" style=\"background:#c53030\"></i>", R("report.col.need"),
      "</span></p>\n", StaffChart(units), "\n<h3>",
      R("report.h.all_units", FormatCount(units.size())), "</h3>\n<p class=\"small noprint\">",
      R("report.sort_hint"), "</p>\n<table class=\"sortable units noprint\"><thead><tr>",
      Th(R("report.col.unit"), false), Th(R("report.col.need"), true),
      Th(R("report.col.before"), true), Th(R("report.col.after"), true),
      Th(R("report.col.gap_before"), true), Th(R("report.col.gap_after"), true),
      "</tr></thead><tbody>\n");
  auto num = [](int v) {
    return absl::StrCat("<td class=\"num\" data-v=\"", v, "\">", FormatCount(v), "</td>");
  };
  for (const auto& u : units) {
    absl::StrAppend(&h, "<tr><td>", HtmlEscape(u.name), "</td>", num(u.need), num(u.before),
                    num(u.after), num(u.before - u.need), num(u.after - u.need), "</tr>\n");
  }
  absl::StrAppend(&h, "</tbody></table>\n", PrintedUnits(units), "<h3>", R("report.h.ej"),
                  "</h3>\n", legend, "</p>\n<p>", R("report.ej_note"), "</p>\n",
                  EjHistogram(in.slots, in.effective_minutes_per_year), "\n</section>\n");
  return h;
}

// Every move; the reason and the position codes show on screen, the printout keeps one line.
std::string ReportMoves(const ReportInput& in) {
  std::string h = absl::StrCat(
      "<section class=\"detail\" id=\"mutasi\">\n<h2>",
      R("report.h.moves", FormatCount(in.moves.size())), "</h2>\n<p class=\"small\">",
      R("report.moves_note"), "</p>\n<table class=\"moves\"><thead><tr><th class=\"nw\">",
      R("report.col.no"), "</th><th>", R("report.col.employee"),
      "</th><th class=\"nw\">NIP</th><th class=\"fam\">", R("report.col.family"), "</th><th>",
      R("report.col.from"), "</th><th>", R("report.col.to"), "</th><th class=\"why\">",
      R("report.col.reason"), "</th></tr></thead><tbody>\n");
  for (const auto& m : in.moves) {
    absl::StrAppend(&h, "<tr><td class=\"nw\">", HtmlEscape(m.id()), "</td><td>",
                    HtmlEscape(m.employee_name()), "</td><td class=\"nw\">", HtmlEscape(m.nip()),
                    "</td><td class=\"fam\">", Family(m.job_family()), "</td><td>",
                    HtmlEscape(m.from_unit_name()), "<small><br>",
                    HtmlEscape(m.from_position_code()), "</small></td><td>",
                    HtmlEscape(m.to_unit_name()), "<small><br>", HtmlEscape(m.to_position_code()),
                    "</small></td><td class=\"why\">", HtmlEscape(m.summary()), "</td></tr>\n");
  }
  absl::StrAppend(&h, "</tbody></table>\n</section>\n");
  return h;
}

// The needs the plan leaves unfilled, with their reason in words.
std::string ReportUnfilled(const ReportInput& in) {
  const auto& p = in.plan;
  std::string h = absl::StrCat("<section class=\"detail\" id=\"belum-terisi\">\n<h2>",
                               R("report.h.unfilled", FormatCount(p.unfilled())), "</h2>\n");
  if (in.unfilled.empty()) {
    absl::StrAppend(&h, "<p>", R("report.all_filled"), "</p>\n</section>\n");
    return h;
  }
  // Each reason gets a number, explained once above the table: rows stay one line in print.
  std::map<std::string, int> reasons;
  for (const auto& u : in.unfilled) reasons.emplace(UnfilledWords(u), 0);
  absl::StrAppend(&h, "<ol class=\"reasons\">");
  int n = 0;
  for (auto& [words, number] : reasons) {
    number = ++n;
    absl::StrAppend(&h, "<li>", HtmlEscape(words), "</li>");
  }
  absl::StrAppend(&h, "</ol>\n<table class=\"units\"><thead><tr><th>", R("report.col.unit"),
                  "</th><th>", R("report.col.position"), "</th><th class=\"fam\">",
                  R("report.col.family"), "</th><th class=\"num\">", R("report.col.missing"),
                  "</th><th class=\"nw\">", R("report.col.reason_no"),
                  "</th></tr></thead><tbody>\n");
  for (const auto& u : in.unfilled) {
    absl::StrAppend(&h, "<tr><td>", HtmlEscape(u.unit_name()), "</td><td>",
                    HtmlEscape(u.position_code()), "</td><td class=\"fam\">",
                    Family(u.job_family()), "</td><td class=\"num\">", FormatCount(u.missing()),
                    "</td><td class=\"num\">", reasons[UnfilledWords(u)], "</td></tr>\n");
  }
  absl::StrAppend(&h, "</tbody></table>\n</section>\n");
  return h;
}

// The whole policy as the planner used it, and the technical figures of the solve.
std::string ReportPolicyAndTechnical(const ReportInput& in) {
  const auto& p = in.plan;
  const auto& r = in.policy.rules();
  const auto& w = in.policy.weights();
  auto yes = [](bool b) { return R(b ? "report.yes" : "report.no"); };
  auto row = [](const std::string& name, const std::string& value) {
    return absl::StrCat("<tr><th>", name, "</th><td>", value, "</td></tr>");
  };
  std::string h = absl::StrCat(
      "<section class=\"detail\" id=\"kebijakan\">\n<h2>", R("report.h.policy_full"), "</h2>\n<p>",
      R("report.policy_name", HtmlEscape(in.policy.name()), FormatCount(in.policy.version())),
      "</p>\n<table>",
      row(R("report.p.tenure"), R("report.months", FormatCount(r.min_months_in_post()))),
      row(R("report.p.retirement"),
          R("report.months", FormatCount(r.exclude_within_months_of_retirement()))),
      row(R("report.p.leave"), FormatPercent(r.max_leave_fraction())),
      row(R("report.p.below_need"), yes(r.allow_below_need())),
      row(R("report.p.budget"),
          r.move_budget() > 0 ? FormatCount(r.move_budget()) : R("report.p.no_budget")),
      row(R("report.p.any_family"), yes(r.allow_any_family())),
      row(R("report.p.window"), R("report.working_days", FormatCount(r.objection_window_days()))),
      row(R("report.p.cost"), FormatDecimal(w.base_per_move(), 1)),
      row(R("report.p.per_km"), FormatDecimal(w.per_km(), 1)),
      row(R("report.p.preferred"), FormatDecimal(w.preferred_bonus(), 1)),
      row(R("report.p.avoided"), FormatDecimal(w.avoided_penalty(), 1)),
      row(R("report.p.rotation"), FormatDecimal(w.rotation_bonus(), 1)),
      row(R("report.p.under"), FormatDecimal(w.under_need_penalty(), 1)),
      row(R("report.p.over"), FormatDecimal(w.over_need_penalty(), 1)), "</table>\n");
  absl::StrAppend(
      &h, "<h2>", R("report.h.technical"), "</h2>\n<table>",
      row(R("report.t.analysis"),
          absl::StrCat("<code>", HtmlEscape(p.analysis_run_id()), "</code>")),
      row(R("report.t.cost"),
          absl::StrCat(FormatDecimal(p.objective(), 1), " (",
                       R("report.t.cost_parts", FormatDecimal(p.move_cost(), 1),
                         FormatDecimal(p.under_penalty(), 1), FormatDecimal(p.over_penalty(), 1)),
                       ")")),
      row(R("report.t.optimal"), p.proven_optimal()
                                     ? R("report.t.proven")
                                     : R("report.t.gap", FormatDecimal(p.optimality_gap(), 1))),
      row(R("report.t.solve"), R("report.t.ms", FormatCount(p.solve_ms()))),
      row(R("report.t.staffing"),
          absl::StrCat("<code>", HtmlEscape(p.staffing_digest().substr(0, 16)), "</code>")),
      "</table>\n</section>\n");
  return h;
}

std::string ReportFooter(const ReportInput& in) {
  return absl::StrCat("<footer>",
                      R("report.footer", HtmlEscape(in.plan.id()),
                        in.generated_at.empty() ? "-" : HtmlEscape(in.generated_at)),
                      "</footer>\n</body>\n</html>\n");
}

}  // namespace

std::string RenderPlanReport(const ReportInput& in) {
  std::string projection = RenderProjectionSection(in);
  if (!projection.empty()) {
    projection =
        absl::StrCat("<section class=\"detail\" id=\"proyeksi\">\n", projection, "</section>\n");
  }
  return absl::StrCat(ReportHead(in), RenderLeaderSummary(in), ReportBalance(in), ReportUnits(in),
                      ReportMoves(in), ReportUnfilled(in), projection, ReportPolicyAndTechnical(in),
                      ReportFooter(in));
}

}  // namespace seimbang::ctl
