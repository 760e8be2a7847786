// Decree drafts (SK mutasi): the data each template receives, a strict check of
// the template before it is used, and rendering with mstch.
#include "tools/seimbangctl/decree.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mstch/mstch.hpp>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace seimbang::ctl::decree {

// Generated from tools/seimbangctl/templates by cmake/SeimbangEmbed.cmake.
std::vector<std::pair<std::string, std::string>> EmbeddedTemplates();

namespace {

const char* const kMonths[] = {"Januari",   "Februari", "Maret",    "April",
                               "Mei",       "Juni",     "Juli",     "Agustus",
                               "September", "Oktober",  "November", "Desember"};

// Golongan/ruang of PNS and the pangkat each carries.
const std::map<std::string, std::string>& Pangkat() {
  static const auto* m = new std::map<std::string, std::string>{
      {"I/a", "Juru Muda"},
      {"I/b", "Juru Muda Tingkat I"},
      {"I/c", "Juru"},
      {"I/d", "Juru Tingkat I"},
      {"II/a", "Pengatur Muda"},
      {"II/b", "Pengatur Muda Tingkat I"},
      {"II/c", "Pengatur"},
      {"II/d", "Pengatur Tingkat I"},
      {"III/a", "Penata Muda"},
      {"III/b", "Penata Muda Tingkat I"},
      {"III/c", "Penata"},
      {"III/d", "Penata Tingkat I"},
      {"IV/a", "Pembina"},
      {"IV/b", "Pembina Tingkat I"},
      {"IV/c", "Pembina Utama Muda"},
      {"IV/d", "Pembina Utama Madya"},
      {"IV/e", "Pembina Utama"},
  };
  return *m;
}

bool IsPppkGrade(const std::string& g) {
  static const std::set<std::string> grades = {"I",    "II",   "III", "IV",  "V",   "VI",
                                               "VII",  "VIII", "IX",  "X",   "XI",  "XII",
                                               "XIII", "XIV",  "XV",  "XVI", "XVII"};
  return grades.count(g) > 0;
}

// "Kota Makassar" for "Pemerintah Kota Makassar".
std::string DaerahOf(const std::string& agency_name) {
  absl::string_view s = absl::StripAsciiWhitespace(agency_name);
  if (!absl::ConsumePrefix(&s, "Pemerintah ")) absl::ConsumePrefix(&s, "PEMERINTAH ");
  return std::string(s);
}

std::string Upper(const std::string& s) { return absl::AsciiStrToUpper(s); }

}  // namespace

std::string LongDate(const Date& d) {
  if (d.year <= 0 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return "";
  return absl::StrCat(d.day, " ", kMonths[d.month - 1], " ", d.year);
}

std::string RankWords(const std::string& rank, bool pppk) {
  const std::string r(absl::StripAsciiWhitespace(rank));
  if (r.empty()) return "-";
  if (pppk && IsPppkGrade(r)) return absl::StrCat("golongan ", r, " (PPPK)");
  auto it = Pangkat().find(r);
  if (it != Pangkat().end()) return absl::StrCat(it->second, ", ", r);
  return r;
}

std::string RegionOf(const std::string& agency_name) {
  const std::string daerah = DaerahOf(agency_name);
  absl::string_view s = daerah;
  for (const char* p : {"Kota ", "Kabupaten ", "Provinsi ", "KOTA ", "KABUPATEN ", "PROVINSI "}) {
    if (absl::ConsumePrefix(&s, p)) break;
  }
  return std::string(s);
}

std::string SignerTitle(AgencyKind kind, const std::string& agency_name) {
  const std::string region = Upper(RegionOf(agency_name));
  switch (kind) {
    case AgencyKind::kCity:
      return "WALI KOTA " + region;
    case AgencyKind::kRegency:
      return "BUPATI " + region;
    case AgencyKind::kProvince:
      return "GUBERNUR " + region;
    case AgencyKind::kOther:
      break;
  }
  return "PEJABAT PEMBINA KEPEGAWAIAN " + Upper(agency_name);
}

Settings DefaultSettings(const Plan& plan) {
  Settings s;
  const int year = plan.effective.year > 0 ? plan.effective.year : plan.created.year;
  s.number = absl::StrCat("800.3/____/BKPSDM/", year);
  s.place = RegionOf(plan.agency_name);
  s.signing_date = absl::StrCat("____________ ", year);
  s.authority = SignerTitle(plan.agency_kind, plan.agency_name);
  s.signer_title = s.authority;
  s.signer_name = "____________________";
  // The legal basis of a transfer as shared/design/DOMAIN.md names it.
  s.legal_basis = {
      "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
      "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil "
      "sebagaimana telah diubah dengan Peraturan Pemerintah Nomor 17 Tahun 2020",
      "Peraturan Badan Kepegawaian Negara Nomor 5 Tahun 2019 tentang Tata Cara Pelaksanaan "
      "Mutasi",
      "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 1 Tahun "
      "2020 tentang Pedoman Analisis Jabatan dan Analisis Beban Kerja"};
  s.copies = {"Kepala Badan Kepegawaian Negara di Jakarta",
              "Kepala Kantor Regional Badan Kepegawaian Negara",
              absl::StrCat("Inspektur ", DaerahOf(plan.agency_name)),
              "Kepala Perangkat Daerah asal dan tujuan", "Pegawai yang bersangkutan"};
  return s;
}

Settings Merge(Settings base, const Settings& over) {
  auto take = [](std::string& to, const std::string& from) {
    if (!from.empty()) to = from;
  };
  take(base.number, over.number);
  take(base.place, over.place);
  take(base.signing_date, over.signing_date);
  take(base.authority, over.authority);
  take(base.signer_title, over.signer_title);
  take(base.signer_name, over.signer_name);
  take(base.signer_nip, over.signer_nip);
  take(base.signer_rank, over.signer_rank);
  if (!over.legal_basis.empty()) base.legal_basis = over.legal_basis;
  if (!over.copies.empty()) base.copies = over.copies;
  return base;
}

Settings Resolve(const Plan& plan, const Settings& policy, const Settings& file,
                 const Settings& flags) {
  return Merge(Merge(Merge(DefaultSettings(plan), policy), file), flags);
}

namespace {

using google::protobuf::Value;

absl::Status SettingsError(Lang lang, const char* key, const std::string& a,
                           const std::string& b = "") {
  return absl::InvalidArgumentError(Text(lang, key, kSettingsFile, a, b));
}

absl::Status TakeString(const std::string& key, const Value& v, std::string& out, Lang lang) {
  if (v.kind_case() != Value::kStringValue) {
    return SettingsError(lang, "decree.err.settings_type", key, Text(lang, "decree.type_text"));
  }
  out = v.string_value();
  return absl::OkStatus();
}

absl::Status TakeList(const std::string& key, const Value& v, std::vector<std::string>& out,
                      Lang lang) {
  bool ok = v.kind_case() == Value::kListValue;
  if (ok) {
    for (const auto& item : v.list_value().values()) {
      ok = ok && item.kind_case() == Value::kStringValue;
      if (ok) out.push_back(item.string_value());
    }
  }
  if (!ok) {
    return SettingsError(lang, "decree.err.settings_type", key, Text(lang, "decree.type_list"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Settings> ParseSettings(const std::string& json, Lang lang) {
  google::protobuf::Struct root;
  auto parsed = google::protobuf::util::JsonStringToMessage(json, &root);
  if (!parsed.ok()) {
    return SettingsError(lang, "decree.err.settings_json", std::string(parsed.message()));
  }
  Settings s;
  const std::map<std::string, std::string*> strings = {{"nomor", &s.number},
                                                       {"tempat", &s.place},
                                                       {"tanggal_penetapan", &s.signing_date},
                                                       {"pejabat_penetap", &s.authority},
                                                       {"penandatangan_jabatan", &s.signer_title},
                                                       {"penandatangan_nama", &s.signer_name},
                                                       {"penandatangan_nip", &s.signer_nip},
                                                       {"penandatangan_pangkat", &s.signer_rank}};
  const std::map<std::string, std::vector<std::string>*> lists = {{"mengingat", &s.legal_basis},
                                                                  {"tembusan", &s.copies}};
  for (const auto& [key, value] : root.fields()) {
    if (auto it = strings.find(key); it != strings.end()) {
      if (auto st = TakeString(key, value, *it->second, lang); !st.ok()) return st;
    } else if (auto l = lists.find(key); l != lists.end()) {
      if (auto st = TakeList(key, value, *l->second, lang); !st.ok()) return st;
    } else {
      std::vector<std::string> known;
      for (const auto& [k, p] : strings) known.push_back(k);
      for (const auto& [k, p] : lists) known.push_back(k);
      return SettingsError(lang, "decree.err.settings_key", key, absl::StrJoin(known, ", "));
    }
  }
  return s;
}

std::string DefaultTemplate(const std::string& name) {
  for (const auto& [file, text] : EmbeddedTemplates()) {
    if (file == name) return text;
  }
  return "";
}

absl::StatusOr<std::string> LoadTemplate(const std::string& dir, const std::string& name,
                                         Lang lang) {
  if (dir.empty()) return DefaultTemplate(name);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return absl::InvalidArgumentError(Text(lang, "decree.err.dir", dir));
  }
  const std::string path = absl::StrCat(dir, "/", name);
  if (!std::filesystem::exists(path, ec)) return DefaultTemplate(name);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in.is_open() && !std::filesystem::is_directory(path, ec)) text << in.rdbuf();
  if (!in.is_open() || in.bad() || std::filesystem::is_directory(path, ec)) {
    return absl::InvalidArgumentError(Text(lang, "decree.err.read", path));
  }
  return text.str();
}

std::string FileStem(const std::string& move_id) {
  std::string out;
  for (char c : move_id) {
    out += absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  }
  if (out.empty()) out = "_";
  return out.substr(0, 100);
}

}  // namespace seimbang::ctl::decree
