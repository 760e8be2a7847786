#include "tools/seimbangctl/report.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace seimbang::ctl {
namespace tv1 = seimbang::transfer::v1;
namespace wv1 = seimbang::workload::v1;

namespace {

std::string Pct(double share) { return absl::StrFormat("%.1f%%", share * 100); }
std::string F3(double v) { return absl::StrFormat("%.3f", v); }

std::string UnfilledReasonText(tv1::UnfilledReason r) {
  switch (r) {
    case tv1::UNFILLED_REASON_NO_ELIGIBLE_CANDIDATE:
      return "tidak ada kandidat yang memenuhi syarat";
    case tv1::UNFILLED_REASON_BLOCKED_BY_RULE:
      return "kandidat terhalang aturan";
    case tv1::UNFILLED_REASON_BUDGET_EXHAUSTED:
      return "anggaran mutasi habis";
    case tv1::UNFILLED_REASON_NOT_WORTH_MOVING:
      return "biaya mutasi melebihi manfaatnya";
    default:
      return "tidak diketahui";
  }
}

// Grouped bars: per unit, need (outline) against staff before and after.
std::string StaffChart(const std::vector<ReportSlot>& slots) {
  struct UnitAgg {
    std::string name;
    int need = 0, before = 0, after = 0;
  };
  std::map<int64_t, UnitAgg> units;
  for (const auto& s : slots) {
    auto& u = units[s.unit_id];
    u.name = s.unit_name.empty() ? absl::StrCat("Unit ", s.unit_id) : s.unit_name;
    u.need += s.need;
    u.before += s.staff_before;
    u.after += s.staff_after;
  }
  std::vector<UnitAgg> shown;
  for (auto& [id, u] : units) {
    if (u.before != u.after) shown.push_back(u);
  }
  // The units the plan touches, largest gap first; the page stays readable.
  std::sort(shown.begin(), shown.end(), [](const UnitAgg& a, const UnitAgg& b) {
    return std::make_tuple(-std::abs(a.before - a.need), a.name) <
           std::make_tuple(-std::abs(b.before - b.need), b.name);
  });
  if (shown.size() > 30) shown.resize(30);
  if (shown.empty()) return "<p>Rencana ini tidak mengubah jumlah pegawai unit mana pun.</p>";
  int max_v = 1;
  for (const auto& u : shown) max_v = std::max({max_v, u.need, u.before, u.after});
  const int label_w = 260, bar_w = 420, row_h = 34;
  const int height = static_cast<int>(shown.size()) * row_h + 30;
  std::string svg = absl::StrFormat(
      "<svg class=\"chart\" role=\"img\" aria-label=\"Pegawai dibanding kebutuhan per unit\" "
      "viewBox=\"0 0 %d %d\" width=\"100%%\">",
      label_w + bar_w + 80, height);
  auto w = [&](int v) { return static_cast<double>(v) * bar_w / max_v; };
  int y = 10;
  for (const auto& u : shown) {
    absl::StrAppend(
        &svg,
        absl::StrFormat("<text x=\"%d\" y=\"%d\" class=\"lbl\">%s</text>", label_w - 6, y + 14,
                        HtmlEscape(u.name.substr(0, 40))),
        absl::StrFormat("<rect class=\"before\" x=\"%d\" y=\"%d\" width=\"%.1f\" "
                        "height=\"11\"><title>sebelum: %d</title></rect>",
                        label_w, y, w(u.before), u.before),
        absl::StrFormat("<rect class=\"after\" x=\"%d\" y=\"%d\" width=\"%.1f\" "
                        "height=\"11\"><title>sesudah: %d</title></rect>",
                        label_w, y + 13, w(u.after), u.after),
        absl::StrFormat("<line class=\"need\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" "
                        "y2=\"%d\"><title>kebutuhan: %d</title></line>",
                        label_w + w(u.need), label_w + w(u.need), y - 2, y + 26, u.need),
        absl::StrFormat("<text x=\"%d\" y=\"%d\" class=\"val\">%d &#8594; %d / %d</text>",
                        label_w + bar_w + 6, y + 16, u.before, u.after, u.need));
    y += row_h;
  }
  absl::StrAppend(&svg, "</svg>");
  return svg;
}

// Histogram of EJ (staff-weighted counts of unit x positions) before and after.
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
  const int col_w = 90, h = 200;
  std::string svg = absl::StrFormat(
      "<svg class=\"chart\" role=\"img\" aria-label=\"Sebaran EJ sebelum dan sesudah\" "
      "viewBox=\"0 0 %d %d\" width=\"100%%\">",
      static_cast<int>(bins.size()) * col_w + 20, h + 50);
  for (size_t i = 0; i < bins.size(); ++i) {
    int x = 10 + static_cast<int>(i) * col_w;
    double hb = static_cast<double>(before[i]) * h / max_v;
    double ha = static_cast<double>(after[i]) * h / max_v;
    absl::StrAppend(
        &svg,
        absl::StrFormat("<rect class=\"before\" x=\"%d\" y=\"%.1f\" width=\"34\" height=\"%.1f\">"
                        "<title>sebelum: %d</title></rect>",
                        x + 8, 10 + h - hb, hb, before[i]),
        absl::StrFormat("<rect class=\"after\" x=\"%d\" y=\"%.1f\" width=\"34\" height=\"%.1f\">"
                        "<title>sesudah: %d</title></rect>",
                        x + 44, 10 + h - ha, ha, after[i]),
        absl::StrFormat("<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", x + 44, h + 28,
                        bins[i].second),
        absl::StrFormat("<text x=\"%d\" y=\"%d\" class=\"tick\">%d / %d</text>", x + 44, h + 44,
                        before[i], after[i]));
  }
  absl::StrAppend(&svg, "</svg>");
  return svg;
}

std::string MetricsRow(const std::string& name, const std::string& before,
                       const std::string& after) {
  return absl::StrCat("<tr><th>", name, "</th><td>", before, "</td><td>", after, "</td></tr>");
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

double SlotEj(double workload_minutes, int staff, double wke) {
  if (staff <= 0 || wke <= 0) return 0;
  return workload_minutes / (staff * wke);
}

std::vector<ReportSlot> BuildSlots(const std::vector<wv1::PositionRow>& rows,
                                   const std::vector<tv1::Move>& moves,
                                   const std::map<int64_t, std::string>& unit_names) {
  std::map<std::pair<int64_t, std::string>, ReportSlot> by_key;
  for (const auto& r : rows) {
    ReportSlot& s = by_key[{r.unit_id(), r.position_code()}];
    s.unit_id = r.unit_id();
    s.position_code = r.position_code();
    s.job_family = r.job_family();
    s.workload_minutes = r.workload_minutes();
    s.need = r.required_headcount();
    s.staff_before = r.staff();
    s.staff_after = r.staff();
  }
  for (const auto& m : moves) {
    ReportSlot& from = by_key[{m.from_unit_id(), m.from_position_code()}];
    from.unit_id = m.from_unit_id();
    from.position_code = m.from_position_code();
    from.staff_after -= 1;
    ReportSlot& to = by_key[{m.to_unit_id(), m.to_position_code()}];
    to.unit_id = m.to_unit_id();
    to.position_code = m.to_position_code();
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

namespace {

// The page head (title, inline CSS) and the plan's heading line.
std::string ReportHead(const ReportInput& in) {
  const auto& p = in.plan;
  std::string h;
  absl::StrAppend(
      &h, "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n",
      "<title>Rencana mutasi ", HtmlEscape(p.id()), "</title>\n<style>\n",
      R"css(body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:2px solid #2b6cb0;padding-bottom:.2em;margin-top:2em}
.figures{display:flex;flex-wrap:wrap;gap:1em}.fig{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;min-width:9em}
.fig b{display:block;font-size:1.5em}table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#f2f5f9}
.chart .before{fill:#a0aec0}.chart .after{fill:#2b6cb0}.chart .need{stroke:#c53030;stroke-width:2}
.chart text{font-size:11px;fill:#222}.chart .lbl{text-anchor:end}.chart .tick{text-anchor:middle}
.legend span{display:inline-block;margin-right:1.5em}.sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
footer{margin-top:3em;font-size:.8em;color:#666}
@media print{body{margin:0;max-width:none;font-size:10pt}h2{page-break-after:avoid}table,svg{page-break-inside:avoid}tr{page-break-inside:avoid}.noprint{display:none}}
)css",
      "</style>\n</head>\n<body>\n");
  absl::StrAppend(&h, "<h1>Rencana mutasi ", HtmlEscape(p.label().empty() ? p.id() : p.label()),
                  "</h1>\n<p>",
                  HtmlEscape(in.agency_name.empty() ? p.agency_code() : in.agency_name), " (",
                  HtmlEscape(p.agency_code()), ") &middot; rencana <code>", HtmlEscape(p.id()),
                  "</code> revisi ", p.revision(), " &middot; TMT ",
                  absl::StrFormat("%04d-%02d-%02d", p.effective_date().year(),
                                  p.effective_date().month(), p.effective_date().day()),
                  " &middot; analisis <code>", HtmlEscape(p.analysis_run_id()),
                  "</code> &middot; status ", HtmlEscape(tv1::PlanState_Name(p.state())), "</p>\n");

  return h;
}

// The summary figures, the before/after metrics and the moves per family.
std::string ReportSummary(const ReportInput& in) {
  const auto& p = in.plan;
  std::string h;
  // Summary figures.
  absl::StrAppend(&h, "<h2>Ringkasan</h2>\n<div class=\"figures\">", "<div class=\"fig\"><b>",
                  p.moves(), "</b>mutasi</div>", "<div class=\"fig\"><b>", p.moves_lower_bound(),
                  "</b>batas bawah mutasi</div>", "<div class=\"fig\"><b>",
                  Pct(p.before().balanced_share()), " &#8594; ", Pct(p.after().balanced_share()),
                  "</b>jabatan seimbang</div>", "<div class=\"fig\"><b>", p.unfilled(),
                  "</b>kebutuhan belum terisi</div>", "<div class=\"fig\"><b>", p.eligible(), " / ",
                  p.candidates(), "</b>pegawai memenuhi syarat / dipertimbangkan</div></div>\n");
  absl::StrAppend(
      &h, "<table class=\"metrics\"><tr><th>Ukuran</th><th>Sebelum</th><th>Sesudah</th></tr>",
      MetricsRow("Unit &times; jabatan kelebihan pegawai", absl::StrCat(p.before().units_over()),
                 absl::StrCat(p.after().units_over())),
      MetricsRow("Unit &times; jabatan kekurangan pegawai", absl::StrCat(p.before().units_under()),
                 absl::StrCat(p.after().units_under())),
      MetricsRow("Total kelebihan", absl::StrCat(p.before().total_surplus()),
                 absl::StrCat(p.after().total_surplus())),
      MetricsRow("Total kekurangan", absl::StrCat(p.before().total_deficit()),
                 absl::StrCat(p.after().total_deficit())),
      MetricsRow("Porsi seimbang", Pct(p.before().balanced_share()),
                 Pct(p.after().balanced_share())),
      MetricsRow("Koefisien variasi EJ", F3(p.before().ej_cv()), F3(p.after().ej_cv())),
      MetricsRow("Indeks Robin Hood", F3(p.before().robin_hood_index()),
                 F3(p.after().robin_hood_index())),
      "</table>\n");
  if (p.by_family_size() > 0) {
    absl::StrAppend(&h,
                    "<h3>Mutasi per rumpun jabatan</h3><table><tr><th>Rumpun</th><th>Mutasi</th>"
                    "<th>Batas bawah</th></tr>");
    for (const auto& f : p.by_family()) {
      absl::StrAppend(&h, "<tr><td>", HtmlEscape(f.job_family()), "</td><td>", f.moves(),
                      "</td><td>", f.lower_bound(), "</td></tr>");
    }
    absl::StrAppend(&h, "</table>\n");
  }

  return h;
}

// Staff against need per unit, and the EJ distribution.
std::string ReportCharts(const ReportInput& in) {
  std::string h;
  const std::string legend =
      "<p class=\"legend\"><span><i class=\"sw\" style=\"background:#a0aec0\"></i>sebelum</span>"
      "<span><i class=\"sw\" style=\"background:#2b6cb0\"></i>sesudah</span>";
  absl::StrAppend(&h, "<h2>Pegawai dibanding kebutuhan per unit</h2>\n", legend,
                  "<span><i class=\"sw\" style=\"background:#c53030\"></i>kebutuhan</span></p>\n",
                  StaffChart(in.slots), "\n");
  absl::StrAppend(
      &h, "<h2>Sebaran efisiensi jabatan (EJ)</h2>\n", legend,
      "</p>\n<p>Jumlah unit &times; jabatan per kelas EJ; EJ di atas 1 berarti beban melebihi "
      "waktu kerja efektif pegawai yang ada.</p>\n",
      EjHistogram(in.slots, in.effective_minutes_per_year), "\n");

  return h;
}

// Every move with its explanation.
std::string ReportMoves(const ReportInput& in) {
  std::string h;
  absl::StrAppend(
      &h, "<h2>Daftar mutasi (", in.moves.size(),
      ")</h2>\n<table><tr><th>No.</th><th>NIP</th>"
      "<th>Nama</th><th>Rumpun</th><th>Dari</th><th>Ke</th><th>Biaya</th><th>Alasan</th></tr>\n");
  for (const auto& m : in.moves) {
    absl::StrAppend(&h, "<tr><td>", HtmlEscape(m.id()), "</td><td>", HtmlEscape(m.nip()),
                    "</td><td>", HtmlEscape(m.employee_name()), "</td><td>",
                    HtmlEscape(m.job_family()), "</td><td>", HtmlEscape(m.from_unit_name()),
                    "<br><small>", HtmlEscape(m.from_position_code()), "</small></td><td>",
                    HtmlEscape(m.to_unit_name()), "<br><small>", HtmlEscape(m.to_position_code()),
                    "</small></td><td>", absl::StrFormat("%.1f", m.cost().total()), "</td><td>",
                    HtmlEscape(m.summary()), "</td></tr>\n");
  }
  absl::StrAppend(&h, "</table>\n");

  return h;
}

// The needs the plan leaves unfilled, with their reason.
std::string ReportUnfilled(const ReportInput& in) {
  const auto& p = in.plan;
  std::string h;
  absl::StrAppend(&h, "<h2>Kebutuhan yang belum terisi (", p.unfilled(), " orang)</h2>\n");
  if (in.unfilled.empty()) {
    absl::StrAppend(&h, "<p>Semua kebutuhan terpenuhi.</p>\n");
  } else {
    absl::StrAppend(&h,
                    "<table><tr><th>Unit</th><th>Jabatan</th><th>Rumpun</th><th>Kurang</th>"
                    "<th>Alasan</th></tr>\n");
    for (const auto& u : in.unfilled) {
      std::string reason = UnfilledReasonText(u.reason());
      if (!u.rule().empty()) absl::StrAppend(&reason, " (", u.rule(), ")");
      if (!u.detail().empty()) absl::StrAppend(&reason, ": ", u.detail());
      absl::StrAppend(&h, "<tr><td>", HtmlEscape(u.unit_name()), "</td><td>",
                      HtmlEscape(u.position_code()), "</td><td>", HtmlEscape(u.job_family()),
                      "</td><td>", u.missing(), "</td><td>", HtmlEscape(reason), "</td></tr>\n");
    }
    absl::StrAppend(&h, "</table>\n");
  }

  return h;
}

// The policy values the plan was computed with.
std::string ReportPolicy(const ReportInput& in) {
  std::string h;
  const auto& r = in.policy.rules();
  const auto& w = in.policy.weights();
  absl::StrAppend(
      &h, "<h2>Kebijakan yang dipakai</h2>\n<p>", HtmlEscape(in.policy.name()), " (<code>",
      HtmlEscape(in.policy.id()), "</code>, versi ", in.policy.version(), ")",
      in.policy.use_zero_values() ? "" : "; nilai nol berarti nilai bawaan", "</p>\n<table>",
      MetricsRow("Masa jabatan minimum (bulan) / batas menjelang pensiun (bulan)",
                 absl::StrCat(r.min_months_in_post()),
                 absl::StrCat(r.exclude_within_months_of_retirement())),
      MetricsRow("Porsi maksimum yang boleh keluar / anggaran mutasi",
                 absl::StrCat(r.max_leave_fraction()), absl::StrCat(r.move_budget())),
      // A plan covers one agency (transfer.proto HardRules): nothing to show beyond its code.
      MetricsRow("Lintas rumpun / instansi", r.allow_any_family() ? "ya" : "tidak",
                 HtmlEscape(in.policy.agency_code()) + " saja"),
      MetricsRow("Biaya dasar per mutasi / per km", absl::StrCat(w.base_per_move()),
                 absl::StrCat(w.per_km())),
      MetricsRow("Penalti kekurangan / kelebihan", absl::StrCat(w.under_need_penalty()),
                 absl::StrCat(w.over_need_penalty())),
      "</table>\n");
  return h;
}

// Who made the page and when, the objective and solve time.
std::string ReportFooter(const ReportInput& in) {
  const auto& p = in.plan;
  std::string h;
  absl::StrAppend(&h, "<footer>Dibuat oleh seimbangctl", in.generated_at.empty() ? "" : " pada ",
                  HtmlEscape(in.generated_at), ". Objective ",
                  absl::StrFormat("%.1f", p.objective()), ", waktu solver ", p.solve_ms(),
                  " ms, digest staffing <code>", HtmlEscape(p.staffing_digest().substr(0, 16)),
                  "</code>.</footer>\n</body>\n</html>\n");
  return h;
}

}  // namespace

std::string RenderPlanReport(const ReportInput& in) {
  return absl::StrCat(ReportHead(in), ReportSummary(in), ReportCharts(in), ReportMoves(in),
                      ReportUnfilled(in), RenderProjectionSection(in), ReportPolicy(in),
                      ReportFooter(in));
}

}  // namespace seimbang::ctl
