// Decree drafts (SK mutasi): a small plan rendered through the default templates has
// every section of the standard structure in order, with the employee, rank, old and new
// posts in words, the TMT in Indonesian and the signing official; the collective SK lists
// each move once; an agency's template replaces the default; a broken template or an
// unknown variable is refused in Indonesian (exit 2 before any call); values are escaped.
#include "tools/seimbangctl/decree.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/seimbangctl/cli.h"

namespace seimbang::ctl::decree {
namespace {

Plan MakassarPlan() {
  Plan p;
  p.id = "plan-7";
  p.analysis_run_id = "run-3";
  p.state_word = "disetujui";
  p.revision = 2;
  p.created = {2026, 5, 12};
  p.effective = {2026, 7, 1};
  p.agency_code = "73.71";
  p.agency_name = "Pemerintah Kota Makassar";
  p.agency_kind = AgencyKind::kCity;
  return p;
}

Move Andi() {
  Move m;
  m.id = "m000017";
  m.nip = "198501012010011001";
  m.name = "Andi Baso, S.T.";
  m.rank = "III/b";
  // Each post: the position's name and code, the unit and the unit's path.
  std::tie(m.from_position, m.from_position_code, m.from_unit, m.from_unit_path) =
      std::make_tuple("Teknik Jalan dan Jembatan Ahli Pertama", "JF-TJJ-AP", "Dinas Pekerjaan Umum",
                      "Dinas Pekerjaan Umum");
  std::tie(m.to_position, m.to_position_code, m.to_unit, m.to_unit_path) =
      std::make_tuple("Teknik Tata Bangunan Ahli Pertama", "JF-TTB-AP", "Bidang Bina Marga",
                      "Bidang Bina Marga, Dinas Pekerjaan Umum");
  return m;
}

Move Citra() {
  Move m = Andi();
  m.id = "m000018";
  m.nip = "199002022015022002";
  m.name = "Citra Lestari";
  m.rank = "IX";
  m.pppk = true;
  return m;
}

Settings Signed() {
  Settings s = DefaultSettings(MakassarPlan());
  s.signer_name = "Ir. Munafri Arifuddin";
  s.signer_nip = "197001011995031001";
  s.copies = {"Kepala Badan Kepegawaian Negara di Jakarta", "Pegawai yang bersangkutan"};
  return s;
}

// Each needle found after the previous one: the sections are there and in this order.
void ExpectInOrder(const std::string& text, const std::vector<std::string>& needles) {
  size_t at = 0;
  for (const auto& n : needles) {
    size_t found = text.find(n, at);
    ASSERT_NE(found, std::string::npos) << "'" << n << "' missing after offset " << at << "\n"
                                        << text;
    at = found + n.size();
  }
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

std::string Render(const std::string& name, Format f, const Move& m) {
  auto out = RenderMove(DefaultTemplate(name), f, MakassarPlan(), Signed(), m, Lang::kId);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : "";
}

TEST(Decree, TheMoveDecreeHasEverySectionInOrderWithTheEmployeeInWords) {
  for (Format f : {Format::kHtml, Format::kText}) {
    const std::string text = Render(f == Format::kHtml ? kMoveHtml : kMoveText, f, Andi());
    ExpectInOrder(text, {"PEMERINTAH KOTA MAKASSAR",
                         "KEPUTUSAN WALI KOTA MAKASSAR",
                         "NOMOR 800.3/____/BKPSDM/2026",
                         "TENTANG",
                         "PEMINDAHAN PEGAWAI NEGERI SIPIL DI LINGKUNGAN PEMERINTAH KOTA MAKASSAR",
                         "Menimbang",
                         "analisis run-3",
                         "rencana mutasi plan-7 revisi 2 tanggal 12 Mei 2026",
                         "Mengingat",
                         "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara;",
                         "Peraturan Pemerintah Nomor 11 Tahun 2017",
                         "Peraturan Pemerintah Nomor 17 Tahun 2020",
                         "Peraturan Badan Kepegawaian Negara Nomor 5 Tahun 2019 tentang Tata Cara "
                         "Pelaksanaan Mutasi;",
                         "Nomor 1 Tahun 2020 tentang Pedoman Analisis Jabatan dan Analisis Beban "
                         "Kerja.",
                         "MEMUTUSKAN",
                         "Menetapkan",
                         "KESATU",
                         "Andi Baso, S.T.",
                         "198501012010011001",
                         "Penata Muda Tingkat I, III/b",
                         "Teknik Jalan dan Jembatan Ahli Pertama",
                         "Dinas Pekerjaan Umum",
                         "Teknik Tata Bangunan Ahli Pertama",
                         "Bidang Bina Marga, Dinas Pekerjaan Umum",
                         "KEDUA",
                         "1 Juli 2026",
                         "KETIGA",
                         "KEEMPAT",
                         "Ditetapkan di Makassar",
                         "pada tanggal ____________ 2026",
                         "WALI KOTA MAKASSAR,",
                         "Ir. Munafri Arifuddin",
                         "NIP 197001011995031001",
                         "Tembusan",
                         "Kepala Badan Kepegawaian Negara di Jakarta;",
                         "Pegawai yang bersangkutan."});
    EXPECT_FALSE(absl::StrContains(text, "JF-TJJ-AP")) << "positions in words, not codes";
  }
}

TEST(Decree, APppkEmployeeIsNamedAsSuchWithTheirGrade) {
  const std::string text = Render(kMoveText, Format::kText, Citra());
  EXPECT_TRUE(absl::StrContains(text, "PEMINDAHAN PEGAWAI PEMERINTAH DENGAN PERJANJIAN KERJA"));
  EXPECT_TRUE(absl::StrContains(text, "golongan IX (PPPK)"));
}

TEST(Decree, TheCollectiveDecreeListsEachMoveOnceInItsAttachment) {
  const std::vector<Move> moves = {Andi(), Citra(), Andi()};
  auto html = RenderCollective(DefaultTemplate(kCollectiveHtml), Format::kHtml, MakassarPlan(),
                               Signed(), moves, Lang::kId);
  ASSERT_TRUE(html.ok()) << html.status();
  ExpectInOrder(*html, {"KEPUTUSAN WALI KOTA MAKASSAR", "PEGAWAI APARATUR SIPIL NEGARA",
                        "Menimbang", "3 pegawai", "Mengingat", "MEMUTUSKAN", "KESATU", "Lampiran",
                        "KEDUA", "1 Juli 2026", "Ditetapkan di Makassar", "Tembusan", "LAMPIRAN",
                        "Andi Baso", "Citra Lestari", "golongan IX (PPPK)", "Andi Baso"});
  EXPECT_EQ(Count(*html, "<tr class=\"baris-mutasi\">"), 3u);
  auto text = RenderCollective(DefaultTemplate(kCollectiveText), Format::kText, MakassarPlan(),
                               Signed(), moves, Lang::kId);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(Count(*text, "\n    baru : "), 3u) << *text;
  ExpectInOrder(*text, {"LAMPIRAN", "1. Andi Baso", "2. Citra Lestari", "3. Andi Baso"});
}

TEST(Decree, ANameIsEscapedInHtmlAndKeptAsItIsInText) {
  Move m = Andi();
  m.name = "<script>alert('x')</script> & \"Co\"";
  m.to_unit_path = "<b>Bidang</b>";
  const std::string html = Render(kMoveHtml, Format::kHtml, m);
  EXPECT_FALSE(absl::StrContains(html, "<script>"));
  EXPECT_FALSE(absl::StrContains(html, "<b>Bidang"));
  EXPECT_TRUE(absl::StrContains(html,
                                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                                "&quot;Co&quot;"))
      << html;
  const std::string text = Render(kMoveText, Format::kText, m);
  EXPECT_TRUE(absl::StrContains(text, "<script>alert('x')</script> & \"Co\""));
}

TEST(Decree, LongDatesRanksAndHeadingsInIndonesian) {
  EXPECT_EQ(LongDate({2026, 7, 1}), "1 Juli 2026");
  EXPECT_EQ(LongDate({2027, 12, 31}), "31 Desember 2027");
  EXPECT_EQ(LongDate({2026, 13, 1}), "");
  EXPECT_EQ(RankWords("IV/e", false), "Pembina Utama, IV/e");
  EXPECT_EQ(RankWords("II/a", false), "Pengatur Muda, II/a");
  EXPECT_EQ(RankWords("", false), "-");
  EXPECT_EQ(RankWords("X/z", false), "X/z");
  EXPECT_EQ(SignerTitle(AgencyKind::kRegency, "Pemerintah Kabupaten Gowa"), "BUPATI GOWA");
  EXPECT_EQ(SignerTitle(AgencyKind::kProvince, "Pemerintah Provinsi Sulawesi Selatan"),
            "GUBERNUR SULAWESI SELATAN");
  EXPECT_EQ(SignerTitle(AgencyKind::kOther, "Badan Kepegawaian Negara"),
            "PEJABAT PEMBINA KEPEGAWAIAN BADAN KEPEGAWAIAN NEGARA");
}

TEST(Decree, SettingsComeFromJsonAndRefuseUnknownKeysAndWrongTypes) {
  auto s = ParseSettings(
      R"({"penandatangan_nama": "Dr. A", "tembusan": ["X", "Y"], "nomor": "800/1/2026"})",
      Lang::kId);
  ASSERT_TRUE(s.ok()) << s.status();
  Settings merged = Merge(DefaultSettings(MakassarPlan()), *s);
  EXPECT_EQ(merged.signer_name, "Dr. A");
  EXPECT_EQ(merged.copies, (std::vector<std::string>{"X", "Y"}));
  EXPECT_EQ(merged.number, "800/1/2026");
  EXPECT_EQ(merged.signer_title, "WALI KOTA MAKASSAR");  // kept from the defaults
  auto typo = ParseSettings(R"({"penandatangan_nam": "A"})", Lang::kId);
  ASSERT_FALSE(typo.ok());
  EXPECT_TRUE(absl::StrContains(typo.status().message(),
                                "kunci \"penandatangan_nam\" tidak "
                                "dikenal"))
      << typo.status();
  auto type = ParseSettings(R"({"tembusan": "X"})", Lang::kId);
  ASSERT_FALSE(type.ok());
  EXPECT_TRUE(absl::StrContains(type.status().message(), "\"tembusan\" harus daftar teks"));
  EXPECT_FALSE(ParseSettings("{not json", Lang::kId).ok());
}

// Issue 19: who signs comes field by field from the flags, else decree.json, else the policy's
// signing official, else the default by agency kind.
TEST(Decree, TheSignerComesFromFlagsThenDecreeJsonThenThePolicyThenTheDefault) {
  Settings policy;
  policy.signer_name = "Dr. Policy";
  policy.signer_nip = "196501011990031001";
  policy.signer_title = "SEKRETARIS DAERAH";
  policy.signer_rank = "Pembina Utama Madya (IV/d)";
  Settings file;
  file.signer_name = "Dr. Json";
  Settings flags;
  flags.signer_nip = "197001011995031001";
  Settings s = Resolve(MakassarPlan(), policy, file, flags);
  EXPECT_EQ(s.signer_name, "Dr. Json");
  EXPECT_EQ(s.signer_nip, "197001011995031001");
  EXPECT_EQ(s.signer_title, "SEKRETARIS DAERAH");
  EXPECT_EQ(s.signer_rank, "Pembina Utama Madya (IV/d)");
  flags.signer_name = "Dr. Flag";
  EXPECT_EQ(Resolve(MakassarPlan(), policy, file, flags).signer_name, "Dr. Flag");
  // Without a policy official: the default title by agency kind, the number and place stay.
  s = Resolve(MakassarPlan(), Settings{}, Settings{}, Settings{});
  EXPECT_EQ(s.signer_title, DefaultSettings(MakassarPlan()).signer_title);
  EXPECT_EQ(s.signer_title, "WALI KOTA MAKASSAR");
  EXPECT_EQ(s.place, "Makassar");
  const std::string text =
      *RenderMove(DefaultTemplate(kMoveText), Format::kText, MakassarPlan(),
                  Resolve(MakassarPlan(), policy, file, Settings{}), Andi(), Lang::kId);
  ExpectInOrder(text, {"SEKRETARIS DAERAH", "Dr. Json", "Pembina Utama Madya (IV/d)",
                       "NIP 196501011990031001"});
}

// Issue 19: an approved plan's decree names the day of approval among its considerations; a plan
// not approved yet says nothing of one.
TEST(Decree, AnApprovedPlansDecreeNamesTheDayOfApproval) {
  Plan approved = MakassarPlan();
  approved.approved = {2026, 6, 3};
  for (const char* name : {kMoveHtml, kMoveText, kCollectiveHtml, kCollectiveText}) {
    const Format f = absl::StrContains(name, ".html") ? Format::kHtml : Format::kText;
    const bool collective = absl::StrContains(name, "collective");
    auto render = [&](const Plan& p) {
      auto out = collective ? RenderCollective(DefaultTemplate(name), f, p, Signed(),
                                               {Andi(), Citra()}, Lang::kId)
                            : RenderMove(DefaultTemplate(name), f, p, Signed(), Andi(), Lang::kId);
      EXPECT_TRUE(out.ok()) << out.status();
      return out.ok() ? *out : "";
    };
    const std::string text = render(approved);
    ExpectInOrder(text, {"Menimbang", "rencana mutasi plan-7 revisi 2 tanggal 12 Mei 2026",
                         "disetujui pada tanggal 3 Juni 2026", "Mengingat"});
    EXPECT_EQ(Count(text, "disetujui pada tanggal"), 1u) << name;
    EXPECT_FALSE(absl::StrContains(render(MakassarPlan()), "disetujui pada tanggal")) << name;
  }
}

TEST(Decree, TheDefaultTemplatesPassTheirOwnCheck) {
  for (const char* name : {kMoveHtml, kMoveText, kCollectiveHtml, kCollectiveText}) {
    ASSERT_FALSE(DefaultTemplate(name).empty()) << name;
    EXPECT_TRUE(CheckTemplate(name, DefaultTemplate(name), Lang::kId).ok()) << name;
  }
  EXPECT_EQ(DefaultTemplate("other.mustache"), "");
}

TEST(Decree, ABrokenTemplateOrAnUnknownVariableIsRefusedInIndonesianWithItsLine) {
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"a\nb {{#mutasi}}{{namaa}}{{/mutasi}}",
       "templat sk_move.txt.mustache baris 2: variabel \"namaa\" tidak dikenal"},
      {"{{#mutasi}}\n{{nama}}", "baris 1: bagian {{#mutasi}} tidak ditutup"},
      {"{{#mutasi}}{{/tembusan}}", "baris 1: {{/tembusan}} tidak menutup bagian yang terbuka"},
      {"x\n\n{{nama", "baris 3: tag \"{{\" tidak ditutup"},
      {"{{> kop}}", "tidak didukung"},
      {"{{=<% %>=}}", "tidak didukung"},
      {"{{}}", "tag tanpa nama"},
      {"{{nama}}", "variabel \"nama\" tidak dikenal"},  // only inside {{#mutasi}}
  };
  for (const auto& c : cases) {
    absl::Status st = CheckTemplate(kMoveText, c.text, Lang::kId);
    ASSERT_FALSE(st.ok()) << c.text;
    EXPECT_TRUE(absl::StrContains(st.message(), c.message)) << c.text << "\n" << st.message();
  }
  // A variable and a list item resolve inside their sections, dotted names through maps.
  EXPECT_TRUE(CheckTemplate(kCollectiveText,
                            "{{#mutasi}}{{nama}} {{kop}}{{/mutasi}}{{^tembusan}}-{{/tembusan}}"
                            "{{#tembusan}}{{teks}}{{.}}{{/tembusan}}{{! {{x}} }}",
                            Lang::kId)
                  .ok());
  EXPECT_TRUE(CheckTemplate(kMoveText, "{{mutasi.nama}} {{{kop}}}", Lang::kId).ok());
}

TEST(Decree, AnHtmlTemplateMayNotUnescapeAValue) {
  absl::Status st = CheckTemplate(kMoveHtml, "<p>{{{kop}}}</p>", Lang::kId);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(absl::StrContains(st.message(), "tidak boleh dipakai di templat HTML"));
  EXPECT_FALSE(CheckTemplate(kMoveHtml, "{{#mutasi}}{{& nama}}{{/mutasi}}", Lang::kId).ok());
}

TEST(Decree, FileStemsAreSafe) {
  EXPECT_EQ(FileStem("m000017"), "m000017");
  EXPECT_EQ(FileStem("../etc/passwd"), "___etc_passwd");
  EXPECT_EQ(FileStem(""), "_");
  EXPECT_EQ(FileStem(std::string(300, 'a')).size(), 100u);
}

class DecreeDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/decree-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }
  std::string dir_;
};

TEST_F(DecreeDirTest, AnEditedTemplateReplacesTheDefaultFileByFile) {
  Write(kMoveHtml, "<h1>SK EDISI DAERAH</h1>{{#mutasi}}{{nama}}{{/mutasi}}");
  auto edited = LoadTemplate(dir_, kMoveHtml, Lang::kId);
  ASSERT_TRUE(edited.ok()) << edited.status();
  ASSERT_TRUE(CheckTemplate(kMoveHtml, *edited, Lang::kId).ok());
  auto out = RenderMove(*edited, Format::kHtml, MakassarPlan(), Signed(), Andi(), Lang::kId);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "<h1>SK EDISI DAERAH</h1>Andi Baso, S.T.");
  auto other = LoadTemplate(dir_, kCollectiveHtml, Lang::kId);  // not in the dir: the default
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*other, DefaultTemplate(kCollectiveHtml));
  EXPECT_FALSE(LoadTemplate(dir_ + "/missing", kMoveHtml, Lang::kId).ok());
}

// Through the command line: the template is checked before any service is called
// (the addresses below refuse connections), so a bad one exits 2 with its problem.
TEST_F(DecreeDirTest, TheCommandRefusesABrokenTemplateWithExitTwoBeforeAnyCall) {
  const std::map<std::string, std::string> env = {{"SEIMBANG_PERSONNEL_ADDR", "127.0.0.1:1"},
                                                  {"SEIMBANG_TRANSFER_ADDR", "127.0.0.1:1"},
                                                  {"SEIMBANG_TOKEN", "x"}};
  auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = {"plan", "decrees", "p1", "--out", dir_ + "/out"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    std::ostringstream out, err;
    int code = RunCli(argv, env, out, err);
    return std::make_pair(code, err.str());
  };
  Write(kMoveText, "{{#mutasi}}{{jabatan_baru}}{{/mutasi}}");
  auto [code, err] = run({"--format", "text", "--template-dir", dir_});
  EXPECT_EQ(code, kExitUsage);
  EXPECT_TRUE(absl::StrContains(err,
                                "templat sk_move.txt.mustache baris 1: variabel "
                                "\"jabatan_baru\" tidak dikenal; yang tersedia di sini: "))
      << err;
  EXPECT_TRUE(absl::StrContains(err, "baru_jabatan")) << err;
  Write(kMoveText, "{{#mutasi}}{{nama}}{{/mutasi}}");
  Write(kCollectiveText, "{{#mutasi}}");
  std::tie(code, err) = run({"--format", "text", "--template-dir", dir_});
  EXPECT_EQ(code, kExitUsage);
  EXPECT_TRUE(absl::StrContains(err, "bagian {{#mutasi}} tidak ditutup")) << err;
  Write(kSettingsFile, R"({"penandatangan": "A"})");
  Write(kCollectiveText, "{{kop}}");
  std::tie(code, err) = run({"--format", "text", "--template-dir", dir_});
  EXPECT_EQ(code, kExitUsage);
  EXPECT_TRUE(absl::StrContains(err, "decree.json: kunci \"penandatangan\" tidak dikenal")) << err;
  std::tie(code, err) = run({"--format", "pdf"});
  EXPECT_EQ(code, kExitUsage);
  EXPECT_TRUE(absl::StrContains(err, "--format harus html atau text, bukan 'pdf'")) << err;
  std::tie(code, err) = run({"--template-dir", dir_ + "/missing"});
  EXPECT_EQ(code, kExitUsage);
  EXPECT_TRUE(absl::StrContains(err, "tidak dapat dibuka")) << err;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/out"));
}

}  // namespace
}  // namespace seimbang::ctl::decree
