#include "tools/datagen/generator.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/domain/enum_names.h"
#include "common/domain/rank.h"
#include "tools/csv/columns.h"
#include "tools/csv/csv.h"
#include "tools/datagen/makassar_names.h"

namespace seimbang::datagen {
namespace {

using domain::Date;

// splitmix64: tiny, fast and identical on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  int Int(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }
  double Normal(double mean, double sd) {
    double u1 = std::max(Uniform(), 1e-12), u2 = Uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Next() % v.size()];
  }

 private:
  uint64_t state_;
};

std::string F2(double v) { return absl::StrFormat("%.2f", v); }
std::string F6(double v) { return absl::StrFormat("%.6f", v); }
std::string Rank(int ordinal) { return domain::FormatRank({domain::RankKind::kPns, ordinal}); }

// About one employee in 200 is still waiting for the inspectorate's clearance. Decided by the
// NIP (FNV-1a), not by the generator's random stream, so every other drawn value stays as it
// was before the column existed.
bool InspectoratePending(const std::string& nip) {
  uint32_t h = 2166136261u;
  for (unsigned char c : nip) h = (h ^ c) * 16777619u;
  return h % 200 == 0;
}

// ------------------------------------------------------------------ positions

struct PositionDef {
  std::string code, name, kind, level, family;
  int rank_min = 0, rank_max = 0;  // ordinals; 0 = none
  std::string min_education;
  int retirement_age = 58;  // derived from kind and level, for generating ages only

  // The pelaksana class (PermenPANRB 45/2022) of an executor post, named in its code.
  [[nodiscard]] std::string PelaksanaClass() const {
    if (kind != "pelaksana") return "";
    if (absl::StrContains(code, "KLEREK")) return "klerek";
    if (absl::StrContains(code, "TEKNISI")) return "teknisi";
    return "operator";
  }
};

// A ladder is a family of positions one employee climbs (AP -> AM -> AMD).
struct Ladder {
  std::string key;
  std::vector<int> positions;  // indexes into the catalogue, lowest level first
  std::vector<double> weights;
  std::string education;  // typical education of holders
  bool pppk_ok = false;   // PPPK are hired into it
};

struct FamilyDef {
  std::vector<std::string> fields;  // education_field values
  std::vector<std::string> tags;    // competency tags
  std::string degree;               // suffix for S-1 holders
};

const std::map<std::string, FamilyDef>& Families() {
  static const auto* f = new std::map<std::string, FamilyDef>{
      {"civil_engineering",
       {{"Teknik Sipil", "Teknik Sipil Hidro", "Teknik Konstruksi Gedung"},
        {"jalan", "jembatan", "gedung", "drainase", "pengawasan_konstruksi", "irigasi"},
        "S.T."}},
      {"spatial_planning",
       {{"Perencanaan Wilayah dan Kota", "Arsitektur"},
        {"tata_ruang", "gis", "perizinan_bangunan"},
        "S.T."}},
      {"education",
       {{"Pendidikan Guru Sekolah Dasar", "Pendidikan Matematika", "Pendidikan Bahasa Indonesia",
         "Pendidikan Bahasa Inggris", "Pendidikan IPA", "Pendidikan Agama Islam",
         "Pendidikan Jasmani"},
        {"kurikulum_merdeka", "literasi", "numerasi", "bimbingan_konseling"},
        "S.Pd."}},
      {"health",
       {{"Kedokteran", "Keperawatan", "Kebidanan", "Kesehatan Masyarakat"},
        {"kia", "gizi", "imunisasi", "gawat_darurat", "penyakit_menular"},
        "S.Kep."}},
      {"medicine",
       {{"Kedokteran"}, {"kia", "gawat_darurat", "penyakit_menular", "penyakit_dalam"}, "dr."}},
      {"midwifery", {{"Kebidanan"}, {"kia", "persalinan", "kb"}, "A.Md.Keb."}},
      {"finance",
       {{"Akuntansi", "Manajemen Keuangan", "Ekonomi Pembangunan"},
        {"akuntansi_pemerintah", "pajak_daerah", "aset", "anggaran"},
        "S.E."}},
      {"general_administration",
       {{"Ilmu Administrasi Negara", "Ilmu Pemerintahan", "Ilmu Hukum", "Manajemen"},
        {"kepegawaian", "persuratan", "pelayanan_publik", "hukum", "kearsipan"},
        "S.Sos."}},
      {"planning",
       {{"Ekonomi Pembangunan", "Perencanaan Wilayah dan Kota", "Statistika"},
        {"perencanaan", "monev", "statistik"},
        "S.E."}},
      {"audit", {{"Akuntansi", "Ilmu Hukum"}, {"audit_kinerja", "reviu", "investigasi"}, "S.Ak."}},
      {"ict",
       {{"Teknik Informatika", "Sistem Informasi"},
        {"jaringan", "aplikasi", "data", "keamanan_siber"},
        "S.Kom."}},
      {"environment",
       {{"Teknik Lingkungan", "Biologi", "Kimia"},
        {"amdal", "persampahan", "limbah", "kualitas_air"},
        "S.T."}},
      {"transport",
       {{"Teknik Transportasi", "Teknik Mesin", "Teknik Sipil"},
        {"lalu_lintas", "pengujian_kendaraan", "angkutan_umum"},
        "S.T."}},
      {"fire_rescue", {{"Teknik Keselamatan Kebakaran"}, {"pemadaman", "penyelamatan"}, "S.T."}},
      {"public_order", {{"Ilmu Hukum", "Ilmu Pemerintahan"}, {"ketertiban_umum", "perda"}, "S.H."}},
      {"agriculture",
       {{"Agroteknologi", "Perikanan", "Peternakan"},
        {"penyuluhan", "ketahanan_pangan", "perikanan"},
        "S.P."}},
      {"social",
       {{"Kesejahteraan Sosial", "Psikologi"}, {"rehabilitasi_sosial", "bansos"}, "S.Sos."}},
      {"trade", {{"Ekonomi", "Manajemen"}, {"metrologi", "pasar", "umkm"}, "S.E."}},
  };
  return *f;
}

class Catalogue {
 public:
  Catalogue() {
    Single("JPT-KEPALA", "Kepala Perangkat Daerah", "jpt_pratama", "none", "general_administration",
           15, 17, "s1", 60);
    Single("ADM-KABID", "Kepala Bidang / Sekretaris", "administrator", "none",
           "general_administration", 12, 14, "s1", 58);
    Single("ADM-CAMAT", "Camat", "administrator", "none", "general_administration", 12, 14, "s1",
           58);
    Single("PGW-KASUBAG", "Kepala Subbagian / Kepala Seksi", "pengawas", "none",
           "general_administration", 10, 12, "s1", 58);
    Single("PGW-LURAH", "Lurah", "pengawas", "none", "general_administration", 10, 13, "s1", 58);
    Single("PL-KLEREK", "Pengadministrasi Perkantoran (klerek)", "pelaksana", "none",
           "general_administration", 5, 11, "sma", 58, true);
    Single("PL-OPERATOR", "Operator Layanan Operasional", "pelaksana", "none",
           "general_administration", 5, 11, "sma", 58, true);
    Single("PL-TEKNISI-SIPIL", "Teknisi Sarana dan Prasarana (teknisi)", "pelaksana", "none",
           "civil_engineering", 7, 11, "d3", 58);
    Single("PL-PENGELOLA-KEU", "Pengelola Keuangan (operator)", "pelaksana", "none", "finance", 5,
           11, "sma", 58);
    Expertise("JF-TJJ", "Teknik Jalan dan Jembatan", "civil_engineering");
    Expertise("JF-TBG", "Teknik Bangunan Gedung", "civil_engineering");
    Expertise("JF-TPA", "Teknik Pengairan", "civil_engineering");
    Expertise("JF-PENATA-RUANG", "Penata Ruang", "spatial_planning");
    Expertise("JF-GURU", "Guru", "education", true);
    Expertise("JF-DOKTER", "Dokter", "medicine");
    Skill("JF-PERAWAT", "Perawat", "health", true);
    Skill("JF-BIDAN", "Bidan", "midwifery", true);
    Expertise("JF-ANALIS-KEU", "Analis Keuangan Pusat dan Daerah", "finance");
    Expertise("JF-ANALIS-SDM", "Analis Sumber Daya Manusia Aparatur", "general_administration");
    Expertise("JF-ANALIS-KEBIJAKAN", "Analis Kebijakan", "general_administration");
    Expertise("JF-PERENCANA", "Perencana", "planning");
    Expertise("JF-AUDITOR", "Auditor", "audit");
    Expertise("JF-PRAKOM", "Pranata Komputer", "ict");
    Expertise("JF-PDL", "Pengendali Dampak Lingkungan", "environment");
    Skill("JF-PKB", "Penguji Kendaraan Bermotor", "transport");
    Skill("JF-DAMKAR", "Pemadam Kebakaran", "fire_rescue");
    Skill("JF-POLPP", "Polisi Pamong Praja", "public_order");
    Expertise("JF-PENYULUH", "Penyuluh Pertanian", "agriculture");
    Expertise("JF-PEKSOS", "Pekerja Sosial", "social");
    Expertise("JF-ARSIPARIS", "Arsiparis", "general_administration");
    Expertise("JF-PENGAWAS-DAG", "Pengawas Perdagangan", "trade");
  }

  const std::vector<PositionDef>& positions() const { return positions_; }
  const Ladder& ladder(const std::string& key) const { return ladders_.at(key); }

 private:
  int Add(PositionDef p) {
    positions_.push_back(std::move(p));
    return static_cast<int>(positions_.size()) - 1;
  }
  void Single(std::string code, std::string name, std::string kind, std::string level,
              std::string family, int lo, int hi, std::string edu, int bup, bool pppk = false) {
    Ladder l{code, {}, {1.0}, edu, pppk};
    l.positions.push_back(Add({code, name, kind, level, family, lo, hi, edu, bup}));
    ladders_[code] = l;
  }
  void Expertise(const std::string& prefix, const std::string& name, const std::string& family,
                 bool pppk = false) {
    Ladder l{prefix, {}, {0.45, 0.35, 0.20}, "s1", pppk};
    l.positions.push_back(Add({prefix + "-AP", name + " Ahli Pertama", "functional_expertise",
                               "ahli_pertama", family, 9, 10, "s1", 58}));
    l.positions.push_back(Add({prefix + "-AM", name + " Ahli Muda", "functional_expertise",
                               "ahli_muda", family, 11, 12, "s1", 58}));
    l.positions.push_back(Add({prefix + "-AMD", name + " Ahli Madya", "functional_expertise",
                               "ahli_madya", family, 13, 15, "s1", 60}));
    ladders_[prefix] = l;
  }
  void Skill(const std::string& prefix, const std::string& name, const std::string& family,
             bool pppk = false) {
    Ladder l{prefix, {}, {0.40, 0.40, 0.20}, "d3", pppk};
    l.positions.push_back(Add({prefix + "-T", name + " Terampil", "functional_skill", "terampil",
                               family, 6, 8, "d3", 58}));
    l.positions.push_back(Add(
        {prefix + "-M", name + " Mahir", "functional_skill", "mahir", family, 9, 10, "d3", 58}));
    l.positions.push_back(Add({prefix + "-P", name + " Penyelia", "functional_skill", "penyelia",
                               family, 11, 12, "d3", 58}));
    ladders_[prefix] = l;
  }

  std::vector<PositionDef> positions_;
  std::map<std::string, Ladder> ladders_;
};

// ------------------------------------------------------------------ workload tasks

// Fixed underlying type: any int converts to a SignalKind, so SignalName takes any int.
enum SignalKind : int { kNoSignal = 0, kComplaints = 1, kServiceRequests = 2, kProjects = 3 };
constexpr domain::EnumName<SignalKind> kSignalNames[] = {
    {kComplaints, "public_complaints"},
    {kServiceRequests, "service_requests"},
    {kProjects, "infrastructure_projects"},
};
static_assert(domain::CoversEveryValue(kSignalNames, kComplaints, kProjects));
// Every name is a string literal, so data() is NUL-terminated; "" for kNoSignal.
const char* SignalName(int k) {
  return domain::NameOf(kSignalNames, static_cast<SignalKind>(k), "").data();
}

struct TaskDef {
  std::string name, output_unit, period;  // period: year|month|week|day
  double norm_minutes;
  double weight;  // share of the position's workload
  int driven_by;  // signal kind that scales it, when the unit records that kind
};

double PeriodFactor(const std::string& p) {
  if (p == "month") return 12;
  if (p == "week") return 50;
  if (p == "day") return 250;
  return 1;
}

const std::vector<TaskDef>& TasksFor(const std::string& family, const std::string& kind) {
  static const auto* m = new std::map<std::string, std::vector<TaskDef>>{
      {"civil_engineering",
       {{"Menyusun dokumen perencanaan teknis dan rencana anggaran biaya", "dokumen", "month", 1440,
         0.30, kProjects},
        {"Mengawasi pelaksanaan paket pekerjaan konstruksi di lapangan", "laporan pengawasan",
         "week", 480, 0.40, kProjects},
        {"Memeriksa dan menindaklanjuti pengaduan kerusakan jalan dan drainase", "pengaduan",
         "month", 90, 0.20, kComplaints},
        {"Menyusun laporan kemajuan fisik pekerjaan", "laporan", "month", 240, 0.10, kNoSignal}}},
      {"spatial_planning",
       {{"Memeriksa permohonan persetujuan bangunan gedung", "berkas", "week", 180, 0.5,
         kServiceRequests},
        {"Menyusun kajian pemanfaatan ruang", "kajian", "month", 2400, 0.3, kNoSignal},
        {"Mengawasi pemanfaatan ruang di lapangan", "laporan", "month", 600, 0.2, kComplaints}}},
      {"education",
       {{"Melaksanakan pembelajaran tatap muka", "jam pelajaran", "week", 40, 0.62, kNoSignal},
        {"Menyusun perangkat dan menilai hasil belajar", "paket", "month", 600, 0.28, kNoSignal},
        {"Membimbing dan mengevaluasi peserta didik", "laporan", "month", 300, 0.10, kNoSignal}}},
      {"health",
       {{"Memberikan pelayanan kesehatan kepada pasien", "kunjungan", "day", 20, 0.55,
         kServiceRequests},
        {"Melaksanakan kegiatan kesehatan masyarakat (posyandu, imunisasi)", "kegiatan", "month",
         240, 0.30, kNoSignal},
        {"Mencatat dan melaporkan rekam medis", "laporan", "week", 120, 0.15, kNoSignal}}},
      {"general_administration",
       {{"Melayani permohonan surat keterangan dan administrasi kependudukan", "surat", "day", 25,
         0.40, kServiceRequests},
        {"Mengelola persuratan dan kearsipan", "berkas", "day", 15, 0.30, kNoSignal},
        {"Menyusun laporan kegiatan dan kinerja", "laporan", "month", 480, 0.20, kNoSignal},
        {"Menindaklanjuti pengaduan masyarakat", "pengaduan", "month", 60, 0.10, kComplaints}}},
  };
  static const std::vector<TaskDef> kStructural = {
      {"Memimpin, mengoordinasikan dan mengendalikan pelaksanaan tugas", "kegiatan", "week", 600,
       0.5, kNoSignal},
      {"Menyusun rencana kerja dan anggaran", "dokumen", "year", 4800, 0.2, kNoSignal},
      {"Membina dan menilai kinerja pegawai", "penilaian", "month", 720, 0.3, kNoSignal}};
  static const std::vector<TaskDef> kGeneric = {
      {"Melaksanakan kegiatan teknis sesuai bidang jabatan", "kegiatan", "week", 420, 0.5,
       kNoSignal},
      {"Menyusun kajian dan rekomendasi teknis", "dokumen", "month", 1800, 0.3, kNoSignal},
      {"Menindaklanjuti pengaduan masyarakat", "pengaduan", "month", 60, 0.1, kComplaints},
      {"Menyusun laporan pelaksanaan tugas", "laporan", "month", 300, 0.1, kNoSignal}};
  if (kind == "jpt_pratama" || kind == "administrator" || kind == "pengawas") return kStructural;
  // Doctors, nurses and midwives share the clinical task list.
  auto it = m->find(family == "medicine" || family == "midwifery" ? "health" : family);
  return it == m->end() ? kGeneric : it->second;
}

// ------------------------------------------------------------------ unit templates

struct Slot {
  std::string ladder;
  int count;
  double ratio = 0;  // need / staff; 0 = balanced with noise
};

struct SubUnit {
  std::string name;
  std::vector<Slot> slots;
  std::vector<int> signals;  // signal kinds recorded for it
  double growth = 1.0;       // demand of the last 12 months vs. the 12 before
};

enum class UnitRole { kDinas, kBadan, kSecretariat, kOther };

struct OpdDef {
  std::string name;
  std::string kind;  // unit kind
  std::vector<SubUnit> bidang;
};

// The perangkat daerah of a city with the imbalance story of the makassar profile.
std::vector<OpdDef> CityOpds() {
  auto b = [](std::string name, std::vector<Slot> slots, std::vector<int> signals = {},
              double growth = 1.0) {
    return SubUnit{std::move(name), std::move(slots), std::move(signals), growth};
  };
  auto std_opd = [&](std::string name, std::string kind, std::string ladder, int n, double ratio) {
    return OpdDef{
        name,
        kind,
        {b("Bidang Program dan Pelayanan",
           {{"ADM-KABID", 1}, {ladder, n, ratio}, {"PL-KLEREK", 3, ratio}}),
         b("Bidang Pembinaan dan Pengawasan",
           {{"ADM-KABID", 1}, {ladder, n, ratio}, {"PL-OPERATOR", 3, ratio}}, {kComplaints})}};
  };
  std::vector<OpdDef> o;
  o.push_back(
      {"Sekretariat Daerah",
       "secretariat",
       {b("Bagian Pemerintahan", {{"ADM-KABID", 1}, {"JF-ANALIS-KEBIJAKAN", 8}, {"PL-KLEREK", 6}}),
        b("Bagian Hukum", {{"ADM-KABID", 1}, {"JF-ANALIS-KEBIJAKAN", 6}, {"PL-KLEREK", 4}}),
        b("Bagian Umum", {{"ADM-KABID", 1}, {"PL-KLEREK", 16, 0.8}, {"PL-OPERATOR", 10, 0.8}}),
        // Story: civil engineers left over from a reorganisation.
        b("Bagian Administrasi Pembangunan",
          {{"ADM-KABID", 1}, {"JF-TBG", 13, 0.40}, {"PL-KLEREK", 4}})}});
  o.push_back({"Sekretariat DPRD",
               "secretariat",
               {b("Bagian Persidangan",
                  {{"ADM-KABID", 1}, {"JF-ANALIS-KEBIJAKAN", 6, 0.7}, {"PL-KLEREK", 14, 0.65}}),
                b("Bagian Umum dan Keuangan",
                  {{"ADM-KABID", 1}, {"JF-ANALIS-KEU", 5, 0.7}, {"PL-PENGELOLA-KEU", 8, 0.7}})}});
  o.push_back({"Inspektorat",
               "other",
               {b("Inspektur Pembantu Wilayah I", {{"ADM-KABID", 1}, {"JF-AUDITOR", 12}}),
                b("Inspektur Pembantu Wilayah II", {{"ADM-KABID", 1}, {"JF-AUDITOR", 12}})}});
  o.push_back(std_opd("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia (BKPSDM)", "badan",
                      "JF-ANALIS-SDM", 12, 0));
  o.push_back(std_opd("Badan Pendapatan Daerah (Bapenda)", "badan", "JF-ANALIS-KEU", 16, 0));
  o.push_back(
      std_opd("Badan Pengelolaan Keuangan dan Aset Daerah", "badan", "JF-ANALIS-KEU", 14, 0));
  o.push_back(
      std_opd("Badan Perencanaan Pembangunan Daerah (Bappeda)", "badan", "JF-PERENCANA", 12, 0));
  o.push_back(std_opd("Badan Penelitian dan Pengembangan Daerah (Balitbangda)", "badan",
                      "JF-PERENCANA", 6, 0.8));
  o.push_back(std_opd("Badan Penanggulangan Bencana Daerah", "badan", "JF-ANALIS-KEBIJAKAN", 8, 0));
  o.push_back(std_opd("Badan Kesatuan Bangsa dan Politik", "badan", "JF-ANALIS-KEBIJAKAN", 6, 0));
  // Story: the surge. Stated volumes match last year's demand; signals of the
  // last 12 months are ~1.7x, so the analysis finds far more need than staff.
  o.push_back(
      {"Dinas Pekerjaan Umum",
       "dinas",
       {b("Bidang Bina Marga",
          {{"ADM-KABID", 1}, {"JF-TJJ", 30, 1.0}, {"PL-TEKNISI-SIPIL", 10, 1.0}, {"PL-KLEREK", 3}},
          {kProjects, kComplaints}, 1.75),
        b("Bidang Cipta Karya",
          {{"ADM-KABID", 1}, {"JF-TBG", 26, 1.0}, {"PL-TEKNISI-SIPIL", 8, 1.0}, {"PL-KLEREK", 3}},
          {kProjects, kComplaints}, 1.7),
        b("Bidang Sumber Daya Air",
          {{"ADM-KABID", 1}, {"JF-TPA", 20, 1.0}, {"PL-TEKNISI-SIPIL", 6, 1.0}, {"PL-KLEREK", 3}},
          {kProjects, kComplaints}, 1.65)}});
  o.push_back(
      {"Dinas Penataan Ruang",
       "dinas",
       {b("Bidang Tata Ruang", {{"ADM-KABID", 1}, {"JF-PENATA-RUANG", 14}, {"PL-KLEREK", 3}}),
        b("Bidang Pengawasan Bangunan",
          {{"ADM-KABID", 1}, {"JF-TBG", 22, 0.45}, {"PL-TEKNISI-SIPIL", 6, 0.5}, {"PL-KLEREK", 3}}),
        b("Bidang Pertanahan",
          {{"ADM-KABID", 1}, {"JF-PENATA-RUANG", 8}, {"PL-KLEREK", 4, 0.8}})}});
  o.push_back(
      {"Dinas Perhubungan",
       "dinas",
       {b("Bidang Lalu Lintas", {{"ADM-KABID", 1}, {"JF-PKB", 16}, {"PL-OPERATOR", 20}},
          {kComplaints}),
        b("Bidang Prasarana Transportasi",
          {{"ADM-KABID", 1}, {"JF-TJJ", 18, 0.45}, {"PL-TEKNISI-SIPIL", 5, 0.5}, {"PL-KLEREK", 3}}),
        b("UPT Pengujian Kendaraan Bermotor",
          {{"ADM-KABID", 1}, {"JF-PKB", 14}, {"PL-KLEREK", 4}})}});
  o.push_back(
      {"Dinas Perumahan dan Kawasan Permukiman",
       "dinas",
       {b("Bidang Perumahan", {{"ADM-KABID", 1}, {"JF-TBG", 10, 0.55}, {"PL-KLEREK", 3}}),
        b("Bidang Kawasan Permukiman", {{"ADM-KABID", 1}, {"JF-TPA", 8, 0.6}, {"PL-KLEREK", 3}})}});
  o.push_back(
      {"Dinas Lingkungan Hidup",
       "dinas",
       {b("Bidang Pengendalian Pencemaran", {{"ADM-KABID", 1}, {"JF-PDL", 14}, {"PL-OPERATOR", 8}},
          {kComplaints}),
        b("Bidang Pengelolaan Sampah", {{"ADM-KABID", 1}, {"JF-PDL", 8}, {"PL-OPERATOR", 40}})}});
  o.push_back({"Dinas Pemadam Kebakaran",
               "dinas",
               {b("Bidang Operasi", {{"ADM-KABID", 1}, {"JF-DAMKAR", 120}, {"PL-OPERATOR", 10}}),
                b("Bidang Pencegahan", {{"ADM-KABID", 1}, {"JF-DAMKAR", 40}, {"PL-KLEREK", 6}})}});
  o.push_back(
      {"Satuan Polisi Pamong Praja",
       "other",
       {b("Bidang Ketertiban Umum", {{"ADM-KABID", 1}, {"JF-POLPP", 160}, {"PL-KLEREK", 8}},
          {kComplaints}),
        b("Bidang Penegakan Perda", {{"ADM-KABID", 1}, {"JF-POLPP", 90}, {"PL-KLEREK", 6}})}});
  o.push_back(std_opd("Dinas Perdagangan", "dinas", "JF-PENGAWAS-DAG", 12, 0));
  o.push_back(std_opd("Dinas Pariwisata", "dinas", "JF-ANALIS-KEBIJAKAN", 8, 0.85));
  o.push_back(std_opd("Dinas Tenaga Kerja", "dinas", "JF-ANALIS-KEBIJAKAN", 8, 0));
  o.push_back(std_opd("Dinas Ketahanan Pangan", "dinas", "JF-PENYULUH", 10, 0));
  o.push_back(std_opd("Dinas Perikanan dan Pertanian", "dinas", "JF-PENYULUH", 16, 0));
  // Story: over-staffed offices.
  o.push_back(std_opd("Dinas Perpustakaan dan Kearsipan", "dinas", "JF-ARSIPARIS", 14, 0.6));
  o.push_back(std_opd("Dinas Kebudayaan", "dinas", "JF-ANALIS-KEBIJAKAN", 10, 0.65));
  o.push_back(std_opd("Dinas Sosial", "dinas", "JF-PEKSOS", 16, 0));
  o.push_back(std_opd("Dinas Kependudukan dan Pencatatan Sipil", "dinas", "PL-OPERATOR", 30, 0));
  o.push_back(std_opd("Dinas Komunikasi dan Informatika", "dinas", "JF-PRAKOM", 12, 0));
  o.push_back(
      std_opd("Dinas Koperasi dan Usaha Kecil Menengah", "dinas", "JF-ANALIS-KEBIJAKAN", 8, 0));
  o.push_back(std_opd("Dinas Pemuda dan Olahraga", "dinas", "JF-ANALIS-KEBIJAKAN", 8, 0));
  o.push_back(std_opd("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas",
                      "PL-OPERATOR", 20, 0));
  o.push_back(
      std_opd("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dinas", "JF-PEKSOS", 8, 0));
  o.push_back(std_opd("Dinas Pengendalian Penduduk dan Keluarga Berencana", "dinas",
                      "JF-ANALIS-KEBIJAKAN", 10, 0));
  return o;
}

// ------------------------------------------------------------------ generation state

struct UnitOut {
  int64_t id;
  int64_t parent;
  std::string name, kind, kecamatan;
  double lat = 0, lng = 0;
};

struct KecamatanRef {
  std::string name;
  double lat, lng;
};

struct AgencySpec {
  std::string code, name, kind, province;
  double scale = 1.0;     // staff of a unit slot relative to the Makassar template
  bool makassar = false;  // real names and the story
  bool has_kecamatan = true;
  int schools_sd = 0, schools_smp = 0, schools_sma = 0, puskesmas = 0;
  double lat = -5.14, lng = 119.42;
};

class Generator {
 public:
  Generator(const Options& o, std::ostream& units, std::ostream& employees, std::ostream& workloads,
            std::ostream& signals)
      : opt_(o),
        rng_(o.seed),
        units_(units),
        employees_(employees),
        workloads_(workloads),
        signals_(signals),
        nip_counts_(kBirthDays * kTmtMonths * 2, 0),
        pppk_counts_(kBirthDays * 8 * 2, 0) {
    as_of_days_ = domain::DaysFromCivil(o.as_of);
  }

  const Catalogue& catalogue() const { return cat_; }
  Counts& counts() { return counts_; }

  void GenerateAgency(const AgencySpec& spec, int64_t id_base) {
    spec_ = &spec;
    next_id_ = id_base + 1;
    std::vector<KecamatanRef> kecs = Kecamatans(spec);
    kecamatan_ = &kecs;
    WriteOpds(spec);
    const auto [dinas_pendidikan, dinas_kesehatan] = WriteEducationAndHealthOffices(spec);
    scale_slots_ = false;
    WriteSchoolsAndPuskesmas(spec, kecs, dinas_pendidikan, dinas_kesehatan);
    WriteKecamatanOffices(spec, kecs);
    kecamatan_ = nullptr;
    scale_slots_ = true;
  }

 private:
  // The kecamatan of the agency: Makassar's real ones, or made-up ones around its centre.
  std::vector<KecamatanRef> Kecamatans(const AgencySpec& spec) {
    std::vector<KecamatanRef> kecs;
    if (spec.has_kecamatan) {
      if (spec.makassar) {
        for (const auto& k : MakassarKecamatan()) kecs.push_back({k.name, k.latitude, k.longitude});
      } else {
        int n = std::max(3, static_cast<int>(std::lround(15 * spec.scale)));
        for (int i = 1; i <= n; ++i) {
          kecs.push_back({absl::StrCat("Kecamatan ", spec.code, "-", i, " (nama contoh)"),
                          spec.lat + rng_.Uniform(-0.15, 0.15),
                          spec.lng + rng_.Uniform(-0.15, 0.15)});
        }
      }
    }
    return kecs;
  }

  // The perangkat daerah (CityOpds) with their bidang.
  void WriteOpds(const AgencySpec& spec) {
    for (const auto& opd : CityOpds()) {
      UnitOut root{next_id_++,
                   0,
                   opd.name,
                   opd.kind,
                   "",
                   spec.lat + rng_.Uniform(-0.02, 0.02),
                   spec.lng + rng_.Uniform(-0.02, 0.02)};
      if (!spec.makassar) root.name = absl::StrCat(opd.name, " ", ShortName(spec));
      WriteUnit(root);
      FillUnit(root,
               {{"JPT-KEPALA", 1},
                {"ADM-KABID", 1},
                {"PL-KLEREK", 6},
                {"PL-PENGELOLA-KEU", 3},
                {"JF-ANALIS-KEU", 2}},
               {}, 1.0);
      for (const auto& sub : opd.bidang) {
        UnitOut u{next_id_++,
                  root.id,
                  sub.name,
                  opd.kind == "dinas" ? "dinas" : opd.kind,
                  "",
                  root.lat + rng_.Uniform(-0.005, 0.005),
                  root.lng + rng_.Uniform(-0.005, 0.005)};
        WriteUnit(u);
        FillUnit(u, sub.slots, sub.signals, sub.growth);
      }
    }
  }

  // The education and health offices (with the hospital); their unit ids, in that order.
  std::pair<int64_t, int64_t> WriteEducationAndHealthOffices(const AgencySpec& spec) {
    // A head office at the agency's centre (its region's name added outside Makassar).
    auto office = [&](const char* name, const char* staff, int clerks, int count) {
      UnitOut u{next_id_++, 0, name, "dinas", "", spec.lat, spec.lng};
      if (!spec.makassar) u.name = absl::StrCat(u.name, " ", ShortName(spec));
      WriteUnit(u);
      FillUnit(u,
               {{"JPT-KEPALA", 1},
                {"ADM-KABID", 4},
                {"PGW-KASUBAG", 6},
                {"PL-KLEREK", clerks},
                {staff, count}},
               {}, 1.0);
      return u;
    };
    const UnitOut dp = office("Dinas Pendidikan", "JF-ANALIS-KEBIJAKAN", 20, 6);
    const UnitOut dk = office("Dinas Kesehatan", "JF-DOKTER", 16, 6);
    UnitOut rs{next_id_++,
               dk.id,
               spec.makassar ? "RSUD Daya" : absl::StrCat("RSUD ", ShortName(spec)),
               "upt",
               spec.makassar ? "Biringkanaya" : "",
               spec.makassar ? -5.1000 : spec.lat,
               spec.makassar ? 119.5000 : spec.lng};
    WriteUnit(rs);
    FillUnit(rs,
             {{"JF-DOKTER", 60},
              {"JF-PERAWAT", 420},
              {"JF-BIDAN", 80},
              {"PL-KLEREK", 60},
              {"PL-OPERATOR", 40},
              {"JF-PRAKOM", 6},
              {"JF-ANALIS-KEU", 8}},
             {kServiceRequests}, 1.0);
    return {dp.id, dk.id};
  }

  // Schools under the education office, puskesmas under the health office.
  void WriteSchoolsAndPuskesmas(const AgencySpec& spec, const std::vector<KecamatanRef>& kecs,
                                int64_t dinas_pendidikan, int64_t dinas_kesehatan) {
    auto kec_for = [&](int i) -> const KecamatanRef* {
      return kecs.empty() ? nullptr : &kecs[i % kecs.size()];
    };
    // A unit in kecamatan `k` (or at the agency's centre), placed with a little jitter.
    auto placed = [&](int64_t parent, const std::string& name, const char* kind,
                      const KecamatanRef* k) {
      return UnitOut{next_id_++,
                     parent,
                     name,
                     kind,
                     k ? k->name : "",
                     (k ? k->lat : spec.lat) + rng_.Uniform(-0.01, 0.01),
                     (k ? k->lng : spec.lng) + rng_.Uniform(-0.01, 0.01)};
    };
    auto school = [&](const std::string& name, int i, std::vector<Slot> slots) {
      const UnitOut u = placed(dinas_pendidikan, name, "school", kec_for(i));
      WriteUnit(u);
      FillUnit(u, slots, {}, 1.0);
    };
    for (int i = 1; i <= spec.schools_sd; ++i) {
      school(absl::StrCat("SD Negeri ", i, " ", ShortName(spec), " (nama contoh)"), i,
             {{"JF-GURU", 26}, {"PL-KLEREK", 2}, {"PL-OPERATOR", 1}});
    }
    for (int i = 1; i <= spec.schools_smp; ++i) {
      school(absl::StrCat("SMP Negeri ", i, " ", ShortName(spec), " (nama contoh)"), i * 7,
             {{"JF-GURU", 56}, {"PL-KLEREK", 4}, {"PL-OPERATOR", 2}});
    }
    for (int i = 1; i <= spec.schools_sma; ++i) {
      school(absl::StrCat("SMA Negeri ", i, " ", ShortName(spec), " (nama contoh)"), i * 5,
             {{"JF-GURU", 45}, {"PL-KLEREK", 5}, {"PL-OPERATOR", 2}});
    }
    for (int i = 1; i <= spec.puskesmas; ++i) {
      const KecamatanRef* k = kec_for(i * 3);
      std::string name;
      if (spec.makassar && i <= static_cast<int>(MakassarPuskesmas().size())) {
        name = MakassarPuskesmas()[i - 1];
      } else {
        name = absl::StrCat("Puskesmas ", k ? k->name : ShortName(spec), " ", i, " (nama contoh)");
      }
      const UnitOut u = placed(dinas_kesehatan, name, "health_centre", k);
      WriteUnit(u);
      FillUnit(u, {{"JF-DOKTER", 4}, {"JF-PERAWAT", 16}, {"JF-BIDAN", 10}, {"PL-KLEREK", 4}},
               {kServiceRequests}, 1.0);
    }
  }

  // Kecamatan offices with their kelurahan.
  void WriteKecamatanOffices(const AgencySpec& spec, const std::vector<KecamatanRef>& kecs) {
    for (size_t ki = 0; ki < kecs.size(); ++ki) {
      const auto& k = kecs[ki];
      UnitOut kec{next_id_++, 0,    absl::StrCat("Kecamatan ", k.name), "kecamatan", k.name,
                  k.lat,      k.lng};
      if (!spec.makassar) kec.name = k.name;
      WriteUnit(kec);
      FillUnit(kec,
               {{"ADM-CAMAT", 1},
                {"ADM-KABID", 1},
                {"PGW-KASUBAG", 5},
                {"JF-ANALIS-KEBIJAKAN", 3},
                {"PL-KLEREK", 18},
                {"PL-OPERATOR", 10},
                {"JF-POLPP", 6}},
               {kServiceRequests}, 1.0);
      std::vector<std::string> kel;
      if (spec.makassar) {
        kel = MakassarKecamatan()[ki].kelurahan;
      } else {
        int n = rng_.Int(6, 12);
        for (int j = 1; j <= n; ++j) {
          kel.push_back(
              absl::StrCat(k.name.substr(0, k.name.find(" (")), "-", j, " (nama contoh)"));
        }
      }
      // Story: the growing suburbs are under-staffed, the old centre over-staffed.
      double ratio = 0, growth = 1.0;
      if (spec.makassar) {
        if (k.name == "Biringkanaya" || k.name == "Tamalanrea" || k.name == "Manggala") {
          growth = 1.5;
        } else if (k.name == "Ujung Pandang" || k.name == "Wajo") {
          ratio = 0.6;
        }
      }
      for (const auto& name : kel) {
        UnitOut u{next_id_++,
                  kec.id,
                  absl::StrCat("Kelurahan ", name),
                  "kelurahan",
                  k.name,
                  k.lat + rng_.Uniform(-0.012, 0.012),
                  k.lng + rng_.Uniform(-0.012, 0.012)};
        WriteUnit(u);
        FillUnit(u,
                 {{"PGW-LURAH", 1},
                  {"PGW-KASUBAG", 3},
                  {"PL-KLEREK", 7, ratio},
                  {"PL-OPERATOR", 4, ratio}},
                 {kServiceRequests}, growth);
      }
    }
  }
  static constexpr int kBirthDays = 366 * 70;  // births 1945-2014
  static constexpr int kTmtMonths = 12 * 65;   // appointments 1962-2026
  static constexpr int kFirstBirthYear = 1945;
  static constexpr int kFirstTmtYear = 1962;

  static std::string ShortName(const AgencySpec& s) {
    if (s.makassar) return "Makassar";
    return s.code;
  }

  void WriteUnit(const UnitOut& u) {
    csv::Writer(units_).Write({absl::StrCat(u.id), spec_->code, absl::StrCat(u.parent), u.name,
                               u.kind, u.kecamatan, F6(u.lat), F6(u.lng), "1",
                               absl::StrCat("SIASN:", spec_->code, ":", u.id)});
    ++counts_.units;
  }

  // Generates the unit's staff for each slot, then its workload definitions and signals.
  void FillUnit(const UnitOut& unit, const std::vector<Slot>& slots,
                const std::vector<int>& signals, double growth) {
    // Demand signals first: the drivers' multipliers come from the series.
    std::map<int, double> multiplier;  // signal kind -> recent / baseline
    std::map<int, double> baseline;
    for (int kind : signals) {
      double base = kind == kProjects     ? rng_.Uniform(6, 14)
                    : kind == kComplaints ? rng_.Uniform(20, 60)
                                          : rng_.Uniform(150, 400);
      double first = 0, last = 0;
      for (int m = 0; m < 24; ++m) {
        Date month = domain::AddMonths({opt_.as_of.year, opt_.as_of.month, 1}, m - 23);
        double level = base;
        if (m >= 12) level = base * (1.0 + (2.0 * growth - 2.0) * (m - 11) / 12.0);
        int64_t count = std::max<int64_t>(0, std::llround(level * rng_.Uniform(0.9, 1.1)));
        (m < 12 ? first : last) += static_cast<double>(count);
        csv::Writer(signals_).Write({spec_->code, absl::StrCat(unit.id), absl::StrCat(month.year),
                                     absl::StrCat(month.month), SignalName(kind),
                                     absl::StrCat(count)});
        ++counts_.signal_rows;
      }
      baseline[kind] = std::max(1.0, first / 12.0);
      multiplier[kind] = (last / 12.0) / baseline[kind];
    }
    std::map<int, int> staff;  // catalogue index -> headcount
    std::map<int, double> ratio_of;
    // Offices shrink or grow with the agency; schools, puskesmas and kelurahan
    // keep their size (a smaller region has fewer of them instead).
    const double scale =
        spec_->makassar || !scale_slots_ ? 1.0 : std::clamp(spec_->scale, 0.3, 1.5);
    for (const auto& slot : slots) {
      const Ladder& ladder = cat_.ladder(slot.ladder);
      int n = std::max(1, static_cast<int>(std::lround(slot.count * scale)));
      for (int i = 0; i < n; ++i) {
        int pos = Employee(unit, ladder);
        ++staff[pos];
        ratio_of[pos] = slot.ratio;
      }
    }
    for (const auto& [pos, n] : staff) {
      const PositionDef& p = cat_.positions()[pos];
      double ratio = ratio_of[pos] > 0 ? ratio_of[pos] * rng_.Uniform(0.95, 1.05)
                                       : std::clamp(rng_.Normal(1.0, 0.12), 0.7, 1.35);
      double minutes = ratio * n * 75000.0;
      for (const TaskDef& t : TasksFor(p.family, p.kind)) {
        double share = minutes * t.weight;
        double volume = share / (t.norm_minutes * PeriodFactor(t.period));
        std::string driver_kind, driver_base;
        auto it = multiplier.find(t.driven_by);
        if (t.driven_by != kNoSignal && it != multiplier.end()) {
          // The stated volume matches the baseline demand; the analysis scales it
          // by recent / baseline, so the surge shows up as extra need.
          driver_kind = SignalName(t.driven_by);
          driver_base = F2(baseline[t.driven_by]);
          if (growth <= 1.0) volume /= it->second;  // balanced units stay balanced
        }
        csv::Writer(workloads_)
            .Write({spec_->code, absl::StrCat(unit.id), p.code, t.name, t.output_unit, F2(volume),
                    t.period, F2(t.norm_minutes), driver_kind, driver_base});
        ++counts_.workload_rows;
      }
    }
  }

  // The ladder's level, drawn by its weights.
  size_t DrawLevel(const Ladder& ladder) {
    double r = rng_.Uniform(), acc = 0;
    size_t level = 0;
    for (; level + 1 < ladder.weights.size(); ++level) {
      acc += ladder.weights[level];
      if (r < acc) break;
    }
    return level;
  }

  // The education of a holder of `pos`: its minimum, sometimes more.
  std::string DrawEducation(const PositionDef& pos) {
    std::string edu = pos.min_education;
    if (edu == "s1" &&
        rng_.Chance(pos.kind == "jpt_pratama" || pos.kind == "administrator" ? 0.5 : 0.12))
      edu = "s2";
    if (edu == "sma") {
      double e = rng_.Uniform();
      edu = e < 0.6 ? "sma" : e < 0.85 ? "d3" : "s1";
    }
    return edu;
  }

  // Rank, birth date and appointment (TMT CPNS) of one employee.
  struct Career {
    int rank;
    Date birth, tmt;
  };
  Career DrawCareer(const PositionDef& pos, const Ladder& ladder, size_t level,
                    const std::string& edu, bool pppk) {
    const int start = StartRankOrdinal(edu);
    // Rank within the band (ceilings are real: people stay at the top of their band).
    int lo = std::max(pos.rank_min, start), hi = std::max(pos.rank_max, lo);
    int rank = rng_.Int(lo, hi);
    if (!pppk && rng_.Chance(0.015) && hi < 17) rank = hi + 1;  // messy real data
    double years = (rank - start) * 4.0 + rng_.Uniform(0, 4);
    if (rank >= pos.rank_max && level + 1 == ladder.positions.size()) years += rng_.Uniform(0, 8);
    double a0 = edu == "sma"  ? rng_.Uniform(19, 27)
                : edu == "d3" ? rng_.Uniform(21, 29)
                : edu == "s1" ? rng_.Uniform(23, 32)
                              : rng_.Uniform(25, 34);
    if (pppk) {
      years = rng_.Uniform(0.5, 4.5);
      a0 = rng_.Uniform(24, 45);
    }
    const double bup = pos.retirement_age;
    if (a0 + years > bup - 0.3) {
      a0 = std::max(19.0, bup - 0.3 - years);
      if (a0 + years > bup - 0.3) years = bup - 0.3 - a0;
    }
    if (!pppk && rng_.Chance(0.03)) {  // some are close to their BUP
      double age = bup - rng_.Uniform(0.1, 1.5);
      a0 = std::max(19.0, age - years);
      years = age - a0;
    }
    const int64_t service_days = static_cast<int64_t>(years * 365.25) + 31;
    const int64_t birth_days = as_of_days_ - service_days - static_cast<int64_t>(a0 * 365.25);
    Date birth = domain::CivilFromDays(birth_days);
    Date tmt = domain::CivilFromDays(as_of_days_ - service_days);
    // TMT CPNS: at least 18, at least one month before as_of.
    if (tmt.year * 12 + tmt.month < (birth.year + 18) * 12 + birth.month + 1) {
      tmt = domain::AddMonths({birth.year + 18, birth.month, 1}, 1);
    }
    return {rank, birth, tmt};
  }

  // The name with its title, and the field of education that goes with it.
  void DrawNameAndField(const PositionDef& pos, const FamilyDef& fam, const std::string& edu,
                        int gender, std::string& name, std::string& field) {
    const PersonNames& names = SulawesiNames();
    const std::string& first = rng_.Pick(gender == 1 ? names.male : names.female);
    name = absl::StrCat(first, " ", rng_.Pick(names.family));
    field = edu == "sma" ? "" : rng_.Pick(fam.fields);
    if (pos.code.rfind("JF-DOKTER", 0) == 0) {
      field = "Kedokteran";
      name = "dr. " + name;
    } else if (pos.code.rfind("JF-PERAWAT", 0) == 0) {
      field = "Keperawatan";
      name += ", A.Md.Kep.";
    } else if (pos.code.rfind("JF-BIDAN", 0) == 0) {
      field = "Kebidanan";
      name += ", A.Md.Keb.";
    } else if (edu == "s1" || edu == "s2") {
      name = absl::StrCat(name, ", ", fam.degree, edu == "s2" ? ", M.Si." : "");
    } else if (edu == "d3") {
      name += ", A.Md.";
    }
  }

  // Up to three competency tags of the family, sorted, joined with ';'.
  std::string DrawTags(const FamilyDef& fam) {
    std::vector<std::string> tags;
    int ntags = rng_.Int(0, 3);
    for (int i = 0; i < ntags; ++i) {
      const std::string& t = rng_.Pick(fam.tags);
      if (std::find(tags.begin(), tags.end(), t) == tags.end()) tags.push_back(t);
    }
    std::sort(tags.begin(), tags.end());
    return absl::StrJoin(tags, ";");
  }

  // Two performance ratings joined with ';'.
  std::string DrawRatings() {
    auto rating = [&] {
      double x = rng_.Uniform();
      return std::string(x < 0.25    ? "sangat_baik"
                         : x < 0.93  ? "baik"
                         : x < 0.985 ? "butuh_perbaikan"
                                     : "kurang");
    };
    return absl::StrCat(rating(), ";", rating());
  }

  // Home: mostly in the unit's kecamatan; none where the agency has no kecamatan.
  void DrawHome(const UnitOut& unit, std::string& home_kec, double& hlat, double& hlng) {
    if (kecamatan_ != nullptr && !kecamatan_->empty()) {
      const KecamatanRef* k = &rng_.Pick(*kecamatan_);
      if (!unit.kecamatan.empty() && rng_.Chance(0.6)) {
        for (const auto& kk : *kecamatan_) {
          if (kk.name == unit.kecamatan) k = &kk;
        }
      }
      home_kec = k->name;
      hlat = k->lat + rng_.Uniform(-0.01, 0.01);
      hlng = k->lng + rng_.Uniform(-0.01, 0.01);
    }
  }

  // One employee of a ladder; returns the catalogue index of the position chosen.
  int Employee(const UnitOut& unit, const Ladder& ladder) {
    const bool pppk = ladder.pppk_ok && rng_.Chance(0.12);
    size_t level = DrawLevel(ladder);
    if (pppk) level = 0;
    const int pos_index = ladder.positions[level];
    const PositionDef& pos = cat_.positions()[pos_index];
    const FamilyDef& fam = Families().at(pos.family);

    const std::string edu = DrawEducation(pos);
    const auto [rank, birth, tmt] = DrawCareer(pos, ladder, level, edu, pppk);
    const int gender = rng_.Chance(pos.family == "midwifery"   ? 1.0
                                   : pos.family == "health"    ? 0.8
                                   : pos.family == "education" ? 0.7
                                                               : 0.45)
                           ? 2
                           : 1;
    std::string nip = pppk ? PppkNumber(birth, tmt, gender) : Nip(birth, tmt, gender);
    if (nip.empty()) return Employee(unit, ladder);  // sequence space exhausted: draw again

    std::string name, field;
    DrawNameAndField(pos, fam, edu, gender, name, field);
    const std::string tags = DrawTags(fam);
    const std::string ratings = DrawRatings();
    // Time in post: 0-10 years, never before appointment.
    int service_months =
        std::max(0, (opt_.as_of.year - tmt.year) * 12 + opt_.as_of.month - tmt.month);
    int in_post_months = rng_.Int(0, std::min(120, service_months));
    Date in_post = domain::AddMonths({opt_.as_of.year, opt_.as_of.month, 1}, -in_post_months);
    std::string home_kec;
    double hlat = 0, hlng = 0;
    DrawHome(unit, home_kec, hlat, hlng);
    auto future = [&](int max_months) {
      return domain::FormatDate(domain::AddMonths(opt_.as_of, rng_.Int(1, max_months)));
    };
    std::string disciplinary = rng_.Chance(0.01) ? "1" : "0";
    std::string judicial = rng_.Chance(0.003) ? "1" : "0";
    std::string study = rng_.Chance(0.01) ? "1" : "0";
    std::string bond = rng_.Chance(0.02) ? future(36) : "";
    std::string leave = rng_.Chance(0.015) ? future(6) : "";
    std::string rank_text = pppk ? (edu == "sma" ? "V" : edu == "d3" ? "VII" : "IX") : Rank(rank);
    csv::Writer(employees_)
        .Write({nip,
                name,
                pppk ? "pppk" : "pns",
                spec_->code,
                absl::StrCat(unit.id),
                pos.code,
                rank_text,
                edu,
                field,
                tags,
                ratings,
                domain::FormatDate(in_post),
                home_kec,
                home_kec.empty() ? "" : F6(hlat),
                home_kec.empty() ? "" : F6(hlng),
                domain::FormatDate(birth),
                gender == 1 ? "male" : "female",
                absl::StrFormat("%04d-%02d", tmt.year, tmt.month),
                disciplinary,
                judicial,
                study,
                bond,
                leave,
                InspectoratePending(nip) ? "1" : "0",
                "",    // employment_status: everyone generated is active
                ""});  // status_since
    ++counts_.employees;
    return pos_index;
  }

  std::string Nip(const Date& birth, const Date& tmt, int gender) {
    int64_t b = domain::DaysFromCivil(birth) - domain::DaysFromCivil({kFirstBirthYear, 1, 1});
    int64_t t = (tmt.year - kFirstTmtYear) * 12 + tmt.month - 1;
    if (b < 0 || b >= kBirthDays || t < 0 || t >= kTmtMonths) return "";
    uint8_t& c = nip_counts_[(b * kTmtMonths + t) * 2 + (gender - 1)];
    if (c >= 250) return "";
    ++c;
    return absl::StrFormat("%04d%02d%02d%04d%02d%d%03d", birth.year, birth.month, birth.day,
                           tmt.year, tmt.month, gender, c);
  }

  // PPPK numbers: birth date, year of appointment, "2", gender, 4-digit sequence.
  std::string PppkNumber(const Date& birth, const Date& tmt, int gender) {
    int64_t b = domain::DaysFromCivil(birth) - domain::DaysFromCivil({kFirstBirthYear, 1, 1});
    int y = std::clamp(tmt.year - 2019, 0, 7);
    if (b < 0 || b >= kBirthDays) return "";
    uint16_t& c = pppk_counts_[(b * 8 + y) * 2 + (gender - 1)];
    if (c >= 9999) return "";
    ++c;
    return absl::StrFormat("%04d%02d%02d%04d2%d%04d", birth.year, birth.month, birth.day, tmt.year,
                           gender, c);
  }

  const Options& opt_;
  Rng rng_;
  Catalogue cat_;
  std::ostream& units_;
  std::ostream& employees_;
  std::ostream& workloads_;
  std::ostream& signals_;
  std::vector<uint8_t> nip_counts_;
  std::vector<uint16_t> pppk_counts_;
  int64_t as_of_days_ = 0;
  int64_t next_id_ = 1;
  const AgencySpec* spec_ = nullptr;
  const std::vector<KecamatanRef>* kecamatan_ = nullptr;
  bool scale_slots_ = true;
  Counts counts_;
};

AgencySpec MakassarSpec() {
  AgencySpec s{"73.71", "Pemerintah Kota Makassar", "city", "73"};
  s.makassar = true;
  s.schools_sd = 300;
  s.schools_smp = 52;
  s.puskesmas = 47;
  return s;
}

// A regency or city of about `staff` employees (the Makassar template is ~20,000).
AgencySpec RegionSpec(std::string code, std::string name, std::string kind, std::string province,
                      int staff, Rng& rng) {
  AgencySpec s{std::move(code), std::move(name), std::move(kind), std::move(province)};
  s.scale = staff / 20000.0;
  s.schools_sd = std::max(5, static_cast<int>(300 * s.scale));
  s.schools_smp = std::max(2, static_cast<int>(52 * s.scale));
  s.puskesmas = std::max(3, static_cast<int>(47 * s.scale));
  s.lat = rng.Uniform(-8.5, 4.5);
  s.lng = rng.Uniform(96.0, 140.0);
  return s;
}

AgencySpec ProvinceGovSpec(std::string code, std::string name, int staff, Rng& rng) {
  AgencySpec s = RegionSpec(code, std::move(name), "province", code, staff, rng);
  s.has_kecamatan = false;
  s.schools_sd = 0;
  s.schools_smp = 0;
  s.schools_sma = std::max(5, static_cast<int>(staff * 0.55 / 52));
  s.puskesmas = 0;
  return s;
}

std::vector<AgencySpec> Agencies(Profile profile, uint64_t seed) {
  Rng rng(seed ^ 0xA5A5A5A5ULL);
  std::vector<AgencySpec> out;
  if (profile == Profile::kMakassar) {
    out.push_back(MakassarSpec());
    return out;
  }
  if (profile == Profile::kProvince) {
    static const std::vector<std::pair<std::string, std::string>> kRegions = {
        {"73.01", "Kabupaten Kepulauan Selayar"},
        {"73.02", "Kabupaten Bulukumba"},
        {"73.03", "Kabupaten Bantaeng"},
        {"73.04", "Kabupaten Jeneponto"},
        {"73.05", "Kabupaten Takalar"},
        {"73.06", "Kabupaten Gowa"},
        {"73.07", "Kabupaten Sinjai"},
        {"73.08", "Kabupaten Bone"},
        {"73.09", "Kabupaten Maros"},
        {"73.10", "Kabupaten Pangkajene dan Kepulauan"},
        {"73.11", "Kabupaten Barru"},
        {"73.12", "Kabupaten Soppeng"},
        {"73.13", "Kabupaten Wajo"},
        {"73.14", "Kabupaten Sidenreng Rappang"},
        {"73.15", "Kabupaten Pinrang"},
        {"73.16", "Kabupaten Enrekang"},
        {"73.17", "Kabupaten Luwu"},
        {"73.18", "Kabupaten Tana Toraja"},
        {"73.22", "Kabupaten Luwu Utara"},
        {"73.24", "Kabupaten Luwu Timur"},
        {"73.26", "Kabupaten Toraja Utara"},
        {"73.72", "Kota Parepare"},
        {"73.73", "Kota Palopo"}};
    out.push_back(ProvinceGovSpec("73", "Pemerintah Provinsi Sulawesi Selatan", 14000, rng));
    out.push_back(MakassarSpec());
    for (const auto& [code, name] : kRegions) {
      out.push_back(RegionSpec(code, "Pemerintah " + name,
                               code.substr(3, 1) == "7" ? "city" : "regency", "73",
                               rng.Int(4300, 6500), rng));
    }
    return out;
  }
  static const int kProvinces[] = {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33,
                                   34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72,
                                   73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96};
  for (int p : kProvinces) {
    std::string pc = absl::StrCat(p);
    out.push_back(ProvinceGovSpec(pc, absl::StrCat("Pemerintah Provinsi ", pc, " (nama contoh)"),
                                  rng.Int(8000, 16000), rng));
    for (int i = 1; i <= 25; ++i) {
      std::string code = absl::StrFormat("%d.%02d", p, i <= 21 ? i : 70 + i - 21);
      if (code == "73.71") {
        out.push_back(MakassarSpec());
        continue;
      }
      bool city = i > 21;
      out.push_back(RegionSpec(
          code,
          absl::StrCat(city ? "Pemerintah Kota " : "Pemerintah Kabupaten ", code, " (nama contoh)"),
          city ? "city" : "regency", pc, rng.Int(2900, 7100), rng));
    }
  }
  for (int i = 1; i <= 12; ++i) {
    AgencySpec s = ProvinceGovSpec(absl::StrFormat("K%03d", i), "", rng.Int(80000, 130000), rng);
    s.name = absl::StrCat("Instansi Pusat ", i, " (nama contoh)");
    s.kind = "central";
    s.province = "";
    out.push_back(s);
  }
  return out;
}

absl::StatusOr<std::unique_ptr<std::ofstream>> OpenOut(const std::string& dir,
                                                       const std::string& name,
                                                       const std::vector<std::string>& header) {
  auto f = std::make_unique<std::ofstream>(dir + "/" + name, std::ios::binary | std::ios::trunc);
  if (!*f) return absl::InternalError(absl::StrCat("cannot write ", dir, "/", name));
  csv::Writer(*f).Write(header);
  return f;
}

constexpr domain::EnumName<Profile> kProfileNames[] = {
    {Profile::kMakassar, "makassar"},
    {Profile::kProvince, "province"},
    {Profile::kNational, "national"},
};
static_assert(domain::CoversEveryValue(kProfileNames, Profile::kMakassar, Profile::kNational));

}  // namespace

absl::StatusOr<Profile> ParseProfile(std::string_view name) {
  if (std::optional<Profile> profile = domain::FromName(kProfileNames, name)) return *profile;
  return absl::InvalidArgumentError(absl::StrCat("unknown profile '", std::string(name),
                                                 "': use makassar, province or national"));
}

int StartRankOrdinal(std::string_view education) {
  if (education == "s2" || education == "s3") return 10;  // III/b
  if (education == "s1" || education == "d4") return 9;   // III/a
  if (education == "d3") return 7;                        // II/c
  return 5;                                               // II/a
}

absl::StatusOr<Counts> Generate(const Options& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec)
    return absl::InternalError(absl::StrCat("cannot create ", options.out_dir, ": ", ec.message()));
  const std::string& dir = options.out_dir;
  auto agencies = OpenOut(dir, "agencies.csv", csv::AgencyColumns());
  auto units = OpenOut(dir, "units.csv", csv::UnitColumns());
  auto positions = OpenOut(dir, "positions.csv", csv::PositionColumns());
  auto employees = OpenOut(dir, "employees.csv", csv::EmployeeColumns());
  auto workloads = OpenOut(dir, "workloads.csv", csv::WorkloadColumns());
  auto signals = OpenOut(dir, "signals.csv", csv::SignalColumns());
  for (const auto* f : {&agencies, &units, &positions, &employees, &workloads, &signals}) {
    if (!f->ok()) return f->status();
  }
  Generator gen(options, **units, **employees, **workloads, **signals);
  for (const auto& p : gen.catalogue().positions()) {
    csv::Writer(**positions)
        .Write({p.code, p.name, p.kind, p.level, p.family, p.rank_min ? Rank(p.rank_min) : "",
                p.rank_max ? Rank(p.rank_max) : "", p.min_education, "0", p.PelaksanaClass()});
    ++gen.counts().positions;
  }
  const auto specs = Agencies(options.profile, options.seed);
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    csv::Writer(**agencies).Write({s.code, s.name, s.kind, s.province});
    ++gen.counts().agencies;
    // Unit ids are agency-local numbers offset by the agency's position: stable per profile.
    gen.GenerateAgency(s, static_cast<int64_t>(i) * 100000);
  }
  for (auto* f : {&agencies, &units, &positions, &employees, &workloads, &signals}) {
    (**f)->flush();
    if (!***f) return absl::InternalError(absl::StrCat("write failed in ", dir));
  }
  return gen.counts();
}

}  // namespace seimbang::datagen
