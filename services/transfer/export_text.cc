#include "services/transfer/export_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace seimbang::transfer {

std::string CsvHeader() {
  return "move_id,nip,name,family,from_unit,from_position,to_unit,to_position,cost,summary\n";
}

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(value);
  return absl::StrCat("\"", absl::StrReplaceAll(std::string(value), {{"\"", "\"\""}}), "\"");
}

std::string CsvLine(const v1::Move& m) {
  std::vector<std::string> f = {CsvField(m.id()),
                                CsvField(m.nip()),
                                CsvField(m.employee_name()),
                                CsvField(m.job_family()),
                                CsvField(m.from_unit_name()),
                                CsvField(m.from_position_code()),
                                CsvField(m.to_unit_name()),
                                CsvField(m.to_position_code()),
                                absl::StrFormat("%.2f", m.cost().total()),
                                CsvField(m.summary())};
  return absl::StrCat(absl::StrJoin(f, ","), "\n");
}

std::string DecreeDraft(const v1::Move& m, const v1::PlanSummary& plan) {
  const auto& d = plan.effective_date();
  return absl::StrCat(
      "RANCANGAN KEPUTUSAN TENTANG PEMINDAHAN PEGAWAI NEGERI SIPIL\n",
      "Instansi: ", plan.agency_code(), "\n", "Rencana mutasi: ", plan.id(), " revisi ",
      plan.revision(), ", usulan ", m.id(), "\n\n", "Menimbang: hasil analisis beban kerja (",
      plan.analysis_run_id(), ") dan kebutuhan organisasi;\n",
      "Mengingat: PP 11/2017 jo. PP 17/2020 dan Peraturan BKN 5/2019;\n\n", "MEMUTUSKAN\n",
      "Memindahkan Sdr. ", m.employee_name(), ", NIP ", m.nip(), ",\n", "dari ", m.from_unit_name(),
      " (jabatan ", m.from_position_code(), ")\n", "ke ", m.to_unit_name(), " (jabatan ",
      m.to_position_code(), "),\n",
      absl::StrFormat("terhitung mulai tanggal %02d-%02d-%04d.\n", d.day(), d.month(), d.year()),
      "Alasan: ", m.summary(), "\n");
}

}  // namespace seimbang::transfer
