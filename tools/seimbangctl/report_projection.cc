// The plan report's projection section (issue 21): the method with its sources, a small
// multiple per job family (staff against need over the years), the retirement wave and the
// formasi per year. Pure functions of the stored projection (workload.proto Projection).
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/seimbangctl/messages.h"
#include "tools/seimbangctl/report.h"

namespace seimbang::ctl {
namespace wv1 = seimbang::workload::v1;

namespace {

// At most this many formasi lines in the page; the CSV (projection formasi) has them all.
constexpr int kMaxFormasiLines = 150;

std::string DateText(const seimbang::common::v1::Date& d) {
  return absl::StrFormat("%02d-%02d-%04d", d.day(), d.month(), d.year());
}

// A ceiling for a chart's axis: 1, 2 or 5 times a power of ten, at least `v` (and 1).
int64_t NiceCeiling(int64_t v) {
  int64_t step = 1;
  while (true) {
    for (int64_t m : {1, 2, 5}) {
      if (m * step >= v) return m * step;
    }
    step *= 10;
  }
}

std::string MethodParagraph(const wv1::ProjectionSummary& s) {
  std::vector<std::string> growth;
  for (const auto& g : s.growth()) {
    std::string rate = absl::StrFormat("%.1f%%", g.yearly_growth() * 100);
    std::replace(rate.begin(), rate.end(), '.', ',');  // Indonesian decimal comma: 10,0%
    growth.push_back(absl::StrCat(HtmlEscape(FamilyWord(Lang::kId, g.job_family())), " ", rate));
  }
  return absl::StrCat(
      "<p><b>Metode.</b> Setiap instansi wajib menyusun kebutuhan jumlah dan jenis jabatan PNS "
      "untuk lima tahun yang diperinci per tahun berdasarkan analisis jabatan dan analisis beban "
      "kerja (PP 11/2017 sebagaimana diubah dengan PP 17/2020, pasal 5). Tahun 0 adalah ",
      DateText(s.as_of()), ": kebutuhan per unit &times; jabatan dari analisis beban kerja <code>",
      HtmlEscape(s.run_id()),
      "</code> (metode ABK menurut PermenPANRB 1/2020), pegawai aktif yang menjabat pada tanggal "
      "itu",
      s.plan_id().empty()
          ? ""
          : absl::StrCat(", dan mutasi rencana <code>", HtmlEscape(s.plan_id()),
                         "</code> yang diterapkan di tahun 0 (", FormatCount(s.moves_applied()),
                         " dari ", FormatCount(s.moves_given()), ")"),
      ". Pegawai berhenti pada TMT pensiun, yaitu tanggal 1 bulan berikutnya setelah mencapai "
      "batas usia pensiun (BUP 58, 60 atau 65 tahun menurut jabatan, PP 11/2017 pasal 239), dan "
      "tidak diganti dengan sendirinya. Kebutuhan tahun k adalah kebutuhan ABK &times; (1 + g)"
      "<sup>k</sup> dibulatkan ke atas, dengan g pertumbuhan tahunan rumpun jabatannya (",
      growth.empty() ? "tidak ada, semua 0" : absl::StrJoin(growth, ", "),
      "). Formasi tahun k adalah jumlah yang harus direkrut tahun itu agar tidak ada kekurangan, "
      "dengan rekrutan tahun-tahun sebelumnya dihitung tetap menjabat; alasannya dibagi menjadi "
      "kekurangan saat ini yang tidak dapat diisi mutasi, pensiun, dan pertumbuhan kebutuhan, "
      "dalam urutan itu. Kekurangan dijumlahkan tanpa diimbangi kelebihan di unit lain, karena "
      "kelebihan hanya mengisi unit lain melalui mutasi. Proyeksi <code>",
      HtmlEscape(s.projection_id()), "</code>.</p>\n");
}

// One family's chart: staff at the end of each year without recruits (staff at start minus
// retirements) against the need; the y axis runs from 0 to the family's own largest value.
std::string FamilyChart(const wv1::ProjectionTotals& f) {
  // Margins leave room for the axis labels (up to "100.000") and the first and last years.
  const int w = 250, h = 150, left = 50, right = 20, top = 22, bottom = 24;
  int64_t max_v = 1;
  for (const auto& y : f.years()) {
    max_v = std::max({max_v, y.need(), y.staff_start() - y.retirements()});
  }
  max_v = NiceCeiling(max_v);
  const int n = f.years_size();
  const std::string family = FamilyWord(Lang::kId, f.job_family());
  auto x = [&](int i) {
    return left + (n <= 1 ? 0.0 : static_cast<double>(i) * (w - left - right) / (n - 1));
  };
  auto y = [&](int64_t v) {
    return top + (h - top - bottom) * (1.0 - static_cast<double>(v) / max_v);
  };
  std::string staff, need, marks;
  for (int i = 0; i < n; ++i) {
    const auto& yr = f.years(i);
    const int64_t end = yr.staff_start() - yr.retirements();
    absl::StrAppend(&staff, absl::StrFormat("%.1f,%.1f ", x(i), y(end)));
    absl::StrAppend(&need, absl::StrFormat("%.1f,%.1f ", x(i), y(yr.need())));
    absl::StrAppend(
        &marks,
        absl::StrFormat("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#2b6cb0\"><title>%d: "
                        "pegawai %s, kebutuhan %s</title></circle>",
                        x(i), y(end), yr.year(), FormatCount(end), FormatCount(yr.need())),
        absl::StrFormat("<text x=\"%.1f\" y=\"%d\" class=\"tick\">%d</text>", x(i), h - 8,
                        yr.year()));
  }
  return absl::StrCat(
      absl::StrFormat("<svg class=\"chart family\" role=\"img\" aria-label=\"Pegawai dibanding "
                      "kebutuhan: %s\" viewBox=\"0 0 %d %d\" width=\"%d\">",
                      HtmlEscape(family), w, h, w),
      absl::StrFormat("<text x=\"%d\" y=\"14\" font-weight=\"bold\">%s</text>", left,
                      HtmlEscape(family)),
      absl::StrFormat("<text x=\"%d\" y=\"%.1f\" class=\"lbl\">%s</text>"
                      "<text x=\"%d\" y=\"%.1f\" class=\"lbl\">0</text>",
                      left - 4, y(max_v) + 4, FormatCount(max_v), left - 4, y(0) + 4),
      absl::StrFormat("<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>", left,
                      w - right, y(0), y(0)),
      "<polyline fill=\"none\" stroke=\"#c53030\" stroke-width=\"2\" stroke-dasharray=\"4 3\" "
      "points=\"",
      need, "\"/><polyline fill=\"none\" stroke=\"#2b6cb0\" stroke-width=\"2\" points=\"", staff,
      "\"/>", marks, "</svg>");
}

// The retirement wave: the agency's retirements per year, as bars scaled to the largest year.
std::string RetirementChart(const wv1::ProjectionSummary& s) {
  const int bar = 60, gap = 20, h = 170, top = 20, bottom = 40;
  int64_t max_v = 1;
  for (const auto& y : s.agency()) max_v = std::max(max_v, y.retirements());
  const int width = s.agency_size() * (bar + gap) + gap;
  std::string svg = absl::StrFormat(
      "<svg class=\"chart\" role=\"img\" aria-label=\"Pensiun per tahun\" viewBox=\"0 0 %d %d\" "
      "width=\"%d\">",
      width, h, width);
  for (int i = 0; i < s.agency_size(); ++i) {
    const auto& y = s.agency(i);
    const double bh = static_cast<double>(y.retirements()) * (h - top - bottom) / max_v;
    const int x = gap + i * (bar + gap);
    absl::StrAppend(
        &svg,
        absl::StrFormat("<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#a0aec0\">"
                        "<title>%d: %s pensiun</title></rect>",
                        x, h - bottom - bh, bar, bh, y.year(), FormatCount(y.retirements())),
        absl::StrFormat("<text x=\"%d\" y=\"%.1f\" class=\"tick\">%s</text>", x + bar / 2,
                        h - bottom - bh - 4, FormatCount(y.retirements())),
        absl::StrFormat("<text x=\"%d\" y=\"%d\" class=\"tick\">%d</text>", x + bar / 2,
                        h - bottom + 16, y.year()));
  }
  absl::StrAppend(&svg, "</svg>");
  return svg;
}

std::string YearTable(const wv1::ProjectionSummary& s) {
  std::string h =
      "<table class=\"years\"><thead><tr><th>Tahun</th><th>Pegawai awal tahun</th><th>Pensiun"
      "</th><th>Kebutuhan</th><th>Kekurangan</th><th>Formasi</th><th>karena kekurangan saat "
      "ini</th><th>karena pensiun</th><th>karena pertumbuhan</th></tr></thead>\n";
  for (const auto& y : s.agency()) {
    const auto& f = y.formasi();
    absl::StrAppend(&h, "<tr><td>", y.year(), "</td><td>", FormatCount(y.staff_start()),
                    "</td><td>", FormatCount(y.retirements()), "</td><td>", FormatCount(y.need()),
                    "</td><td>", FormatCount(y.shortage()), "</td><td><b>", FormatCount(f.total()),
                    "</b></td><td>", FormatCount(f.existing_shortage()), "</td><td>",
                    FormatCount(f.retirements()), "</td><td>", FormatCount(f.growth()),
                    "</td></tr>\n");
  }
  return h + "</table>\n";
}

// The plan's diagnosis of a need it left unfilled ("NO_ELIGIBLE_CANDIDATE") in words.
std::string DiagnosisWords(const std::string& diagnosis) {
  if (diagnosis.empty()) return "";
  const std::string name = absl::StartsWith(diagnosis, "UNFILLED_REASON_")
                               ? diagnosis
                               : absl::StrCat("UNFILLED_REASON_", diagnosis);
  return HasText("enum." + name) ? EnumWord(Lang::kId, name, "UNFILLED_REASON_") : diagnosis;
}

std::string FormasiLines(const wv1::Projection& p, const std::map<int64_t, std::string>& units) {
  if (p.formasi_size() == 0) return "<p>Tidak ada formasi yang perlu diusulkan.</p>\n";
  std::string h =
      "<table class=\"formasi\"><thead><tr><th>Tahun</th><th>Unit kerja</th><th>Jabatan</th>"
      "<th>Rumpun</th><th>Jumlah</th><th>Pensiun</th><th>Pertumbuhan</th><th>Kekurangan saat "
      "ini</th><th>Diagnosis rencana</th></tr></thead>\n";
  const int shown = std::min(p.formasi_size(), kMaxFormasiLines);
  for (int i = 0; i < shown; ++i) {
    const wv1::FormasiRow& r = p.formasi(i);
    auto unit = units.find(r.unit_id());
    const std::string name =
        unit == units.end() ? absl::StrCat("Unit ", r.unit_id()) : unit->second;
    absl::StrAppend(&h, "<tr><td>", r.year(), "</td><td>", HtmlEscape(name), "</td><td>",
                    HtmlEscape(r.position_code()), "</td><td>",
                    HtmlEscape(FamilyWord(Lang::kId, r.job_family())), "</td><td>",
                    FormatCount(r.formasi().total()), "</td><td>",
                    FormatCount(r.formasi().retirements()), "</td><td>",
                    FormatCount(r.formasi().growth()), "</td><td>",
                    FormatCount(r.formasi().existing_shortage()), "</td><td>",
                    HtmlEscape(DiagnosisWords(r.unfilled_diagnosis())), "</td></tr>\n");
  }
  absl::StrAppend(&h, "</table>\n");
  if (p.formasi_size() > shown) {
    absl::StrAppend(&h, "<p>&hellip; dan ", FormatCount(p.formasi_size() - shown),
                    " baris lagi; semuanya: <code>seimbangctl projection formasi ",
                    HtmlEscape(p.summary().projection_id()), " --output csv</code>.</p>\n");
  }
  return h;
}

}  // namespace

std::string FormatCount(int64_t v) {
  const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  const std::string digits = absl::StrCat(magnitude);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string RenderProjectionSection(const ReportInput& in) {
  std::string h = "<h2>Proyeksi kebutuhan pegawai dan usulan formasi</h2>\n";
  if (!in.projection.has_value()) {
    if (!in.projection_wanted) return "";
    return absl::StrCat(h,
                        "<p>Belum ada proyeksi untuk instansi ini. Buat dengan <code>"
                        "seimbangctl projection run --agency ",
                        HtmlEscape(in.plan.agency_code()), " --plan ", HtmlEscape(in.plan.id()),
                        "</code> atau <code>seimbangctl report ", HtmlEscape(in.plan.id()),
                        " --projection plan</code>.</p>\n");
  }
  const wv1::Projection& p = *in.projection;
  absl::StrAppend(&h, MethodParagraph(p.summary()));
  absl::StrAppend(
      &h, "<h3>Pegawai dibanding kebutuhan per rumpun jabatan</h3>\n<p class=\"legend\">",
      "<span><i class=\"sw\" style=\"background:#2b6cb0\"></i>pegawai akhir tahun tanpa "
      "rekrutmen</span><span><i class=\"sw\" style=\"background:#c53030\"></i>kebutuhan</span>"
      "</p>\n<div class=\"figures\">");
  for (const auto& f : p.families()) absl::StrAppend(&h, FamilyChart(f));
  absl::StrAppend(&h, "</div>\n<h3>Gelombang pensiun</h3>\n", RetirementChart(p.summary()),
                  "\n<h3>Formasi per tahun</h3>\n", YearTable(p.summary()),
                  "<h3>Usulan formasi per jabatan</h3>\n", FormasiLines(p, in.unit_names));
  return h;
}

}  // namespace seimbang::ctl
