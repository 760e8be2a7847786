// seimbangctl's catalogue: every user-facing text in Indonesian and English.
#include "tools/seimbangctl/messages.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace seimbang::ctl {

namespace {

// The job families of the position catalogue (tools/datagen) in words.
const std::vector<CatalogueEntry>& Families() {
  static const auto* families = new std::vector<CatalogueEntry>{
      {"family.civil_engineering", "teknik sipil", "civil engineering"},
      {"family.spatial_planning", "tata ruang", "spatial planning"},
      {"family.education", "pendidikan", "education"},
      {"family.health", "kesehatan", "health"},
      {"family.medicine", "kedokteran", "medicine"},
      {"family.midwifery", "kebidanan", "midwifery"},
      {"family.finance", "keuangan", "finance"},
      {"family.general_administration", "administrasi umum", "general administration"},
      {"family.planning", "perencanaan", "planning"},
      {"family.audit", "pengawasan", "audit"},
      {"family.ict", "teknologi informasi", "information technology"},
      {"family.environment", "lingkungan hidup", "environment"},
      {"family.transport", "perhubungan", "transport"},
      {"family.fire_rescue", "pemadam kebakaran", "fire and rescue"},
      {"family.public_order", "ketertiban umum", "public order"},
      {"family.agriculture", "pertanian", "agriculture"},
      {"family.social", "sosial", "social affairs"},
      {"family.trade", "perdagangan", "trade"},
  };
  return *families;
}

std::vector<CatalogueEntry> Build() {
  std::vector<CatalogueEntry> c = {
      // ---- usage and help
      {"usage.prefix", "pemakaian:", "usage:"},
      {"usage.tool", "[flag global] PERINTAH ...", "[global flags] COMMAND ..."},
      {"usage.more", "(lihat: $0)", "(see: $0)"},
      {"help.intro",
       "Klien baris perintah layanan Seimbang: kepegawaian (personnel), analisis beban kerja "
       "(workload) dan perencanaan mutasi (transfer).",
       "The command-line client of the Seimbang services: personnel, workload analysis and "
       "transfer planning."},
      {"help.commands", "perintah:", "commands:"},
      {"help.global_flags", "flag global (boleh di mana saja pada baris perintah):",
       "global flags (anywhere on the line):"},
      {"help.globals_pointer",
       "Flag global (--output, --lang, alamat layanan, token, TLS) boleh di mana saja; "
       "daftarnya: seimbangctl help",
       "Global flags (--output, --lang, service addresses, token, TLS) go anywhere on the line; "
       "the list: seimbangctl help"},
      {"help.exit_codes",
       "kode keluar: 0 berhasil, 2 salah pemakaian, 3 tidak ditemukan, 4 galat layanan atau "
       "lainnya",
       "exit codes: 0 ok, 2 usage error, 3 not found, 4 server or other error"},
      {"help.token",
       "membuat token bearer (HS256 dengan --secret-file, RS256/ES256 dengan --private-key-file); "
       "hanya tokennya yang dicetak",
       "mints a bearer token (HS256 with --secret-file, RS256/ES256 with --private-key-file); "
       "prints only the token"},
      {"help.import",
       "mengimpor berkas CSV seimbang-datagen di DIR (agencies, units, positions, employees, "
       "workloads, signals); mencetak ringkasan tiap berkas dan setiap baris yang ditolak",
       "imports the seimbang-datagen CSV files in DIR (agencies, units, positions, employees, "
       "workloads, signals); prints each file's summary and every rejected row"},
      {"help.employees get", "satu pegawai menurut NIP", "one employee by NIP"},
      {"help.employees list",
       "pegawai instansi; --unit menerima id, id eksternal atau nama unit (beserta sub-unitnya), "
       "--family nama "
       "rumpun jabatan (kesehatan atau health); --name: bagian dari nama, --nip: awal NIP; --all "
       "mengambil semua halaman",
       "the agency's employees; --unit takes a unit's id, external id or name (with its "
       "sub-units), --family "
       "a job family (health or kesehatan); --name: part of the name, --nip: the NIP's first "
       "digits; --all fetches every page"},
      {"help.employees history", "riwayat penempatan satu pegawai, terbaru lebih dulu",
       "one employee's placement history, newest first"},
      {"help.agencies list", "instansi yang boleh dilihat; --province: hanya satu provinsi",
       "the agencies the caller may see; --province: one province only"},
      {"help.agencies show", "satu instansi", "one agency"},
      {"help.units show",
       "satu unit kerja beserta induknya; U adalah id, id eksternal atau nama unit (nama dan id "
       "eksternal perlu --agency)",
       "one unit with its parent; U is the unit's id, external id or name (a name or external id "
       "needs --agency)"},
      {"help.positions show", "satu jabatan katalog dengan rentang golongan dan pendidikannya",
       "one position of the catalogue with its rank band and education"},
      {"enum.AGENCY_KIND_CENTRAL", "instansi pusat", "central agency"},
      {"enum.AGENCY_KIND_PROVINCE", "pemerintah provinsi", "provincial government"},
      {"enum.AGENCY_KIND_REGENCY", "pemerintah kabupaten", "regency government"},
      {"enum.AGENCY_KIND_CITY", "pemerintah kota", "city government"},
      {"help.positions list", "katalog jabatan bersama; --family: satu rumpun jabatan",
       "the shared position catalogue; --family: one job family"},
      {"help.workloads list",
       "uraian tugas tiap unit x jabatan instansi; --unit menerima id, id eksternal atau nama unit",
       "the task lists of the agency's unit x positions; --unit takes a unit's id, external id or "
       "name"},
      {"help.signals list",
       "sinyal permintaan (pengaduan, permohonan, paket pekerjaan) per unit dan bulan",
       "demand signals (complaints, requests, projects) per unit and month"},
      {"help.preferences list", "preferensi penempatan pegawai instansi; --nip: satu pegawai",
       "the agency's employees' placement preferences; --nip: one employee"},
      {"help.audit list",
       "log audit satu layanan (personnel, workload atau transfer), terlama lebih dulu; --method: "
       "satu RPC (nama lengkap, mis. /seimbang.transfer.v1.TransferPlanningService/ExecutePlan)",
       "one service's audit log (personnel, workload or transfer), oldest first; --method: one "
       "RPC (full name, e.g. /seimbang.transfer.v1.TransferPlanningService/ExecutePlan)"},
      {"help.units list",
       "unit kerja instansi dengan jenis dan induknya; --under: hanya unit itu dan sub-unitnya",
       "the agency's units with their kind and parent; --under: only that unit and its "
       "sub-units"},
      {"help.analysis run", "menjalankan analisis beban kerja (ABK) per tanggal",
       "runs the workload analysis (ABK) as of a date"},
      {"help.analysis show", "ringkasan satu analisis dan kekurangan/kelebihan terbesar",
       "one analysis's summary and its largest shortages and surpluses"},
      {"help.analysis list", "analisis instansi, terbaru lebih dulu",
       "the agency's analyses, newest first"},
      {"help.analysis compare", "selisih dua analisis", "the difference between two analyses"},
      {"help.policy create", "membuat kebijakan mutasi (--file: Policy dalam JSON)",
       "creates a transfer policy (--file: a Policy in JSON)"},
      {"help.policy show", "satu kebijakan dengan semua nilainya",
       "one policy with all its values"},
      {"help.policy list", "kebijakan instansi", "the agency's policies"},
      {"help.plan create", "menghitung rencana mutasi dari analisis dan kebijakan",
       "computes a transfer plan from an analysis and a policy"},
      {"help.plan list",
       "rencana instansi, terbaru lebih dulu; --state: draft, submitted, approved, executing, "
       "executed, rejected, cancelled, executed_with_failures",
       "the agency's plans, newest first; --state: draft, submitted, approved, executing, "
       "executed, rejected, cancelled, executed_with_failures"},
      {"help.plan show",
       "keseimbangan sebelum/sesudah, jumlah mutasi dan batas bawahnya, per rumpun, kebutuhan yang "
       "tidak terisi",
       "before/after balance, moves and their lower bound, by family, unfilled needs"},
      {"help.plan moves",
       "mutasi rencana, terpenting lebih dulu (kecuali --by-id); --unit id, id eksternal atau nama "
       "unit",
       "the plan's moves, most important first (unless --by-id); --unit a unit's id, external id "
       "or name"},
      {"help.plan explain", "mengapa satu mutasi dipilih", "why one move was chosen"},
      {"help.plan compare", "mutasi yang ditambah dan dihapus antara dua rencana",
       "the moves added and removed between two plans"},
      {"help.plan submit", "mengajukan rencana (membuka masa sanggah)",
       "submits the plan (opens the objection window)"},
      {"help.plan approve", "menyetujui rencana yang diajukan", "approves a submitted plan"},
      {"help.plan reject", "menolak rencana yang diajukan", "rejects a submitted plan"},
      {"help.plan cancel", "membatalkan rencana", "cancels a plan"},
      {"help.plan revise", "menghitung revisi rencana (tanpa mutasi yang sanggahannya diterima)",
       "computes a revision of the plan (without moves whose objection was accepted)"},
      {"help.plan execute",
       "melaksanakan rencana yang disetujui dan mengikutinya sampai selesai; keluar 0 hanya bila "
       "semua mutasi diterapkan",
       "executes an approved plan and follows it to the end; exits 0 only if every move "
       "applied"},
      {"help.plan export", "ekspor rencana: csv, atau sk (draf surat keputusan)",
       "exports the plan: csv, or sk (decree drafts)"},
      {"help.plan decrees",
       "rancangan SK mutasi dari templat mustache: satu per mutasi (sk_<id mutasi>) dan satu SK "
       "kolektif dengan lampiran (sk_kolektif), HTML siap cetak A4 atau teks; --template-dir "
       "mengganti templat bawaan berkas demi berkas dan dapat memuat decree.json (penandatangan, "
       "nomor, tembusan); --copy-to memisahkan tembusan dengan titik koma",
       "decree drafts (SK mutasi) from mustache templates: one per move (sk_<move id>) and one "
       "collective SK with its attachment (sk_kolektif), as printable A4 HTML or text; "
       "--template-dir overrides the default templates file by file and may hold decree.json "
       "(signing official, number, copies); --copy-to separates copies with semicolons"},
      {"help.plan story",
       "unit yang namanya memuat TEXT beserta sub-unitnya: pegawai sebelum/sesudah terhadap "
       "kebutuhan, mutasi masuk dan keluar",
       "the units whose name contains TEXT with their sub-units: staff before/after against "
       "need, moves in and out"},
      {"help.objection file", "mengajukan sanggahan atas satu mutasi",
       "files an objection to one move"},
      {"help.objection resolve", "menerima atau menolak sanggahan",
       "accepts or rejects an objection"},
      {"help.objection list", "sanggahan atas rencana", "the objections to a plan"},
      {"help.me", "(token pegawai) mutasi, sanggahan dan preferensi saya",
       "(employee token) my moves, objections and preferences"},
      {"help.projection run",
       "proyeksi kebutuhan pegawai lima tahun (per tahun) dari analisis terakhir atau --run; "
       "--growth rumpun=laju per tahun (0.1 = 10 %, boleh diulang), --plan menerapkan mutasi "
       "rencana di tahun 0 dan membawa kebutuhan yang tidak terisinya",
       "the five-year staffing projection (per year) from the latest analysis or --run; "
       "--growth family=yearly rate (0.1 = 10 %, repeatable), --plan applies the plan's moves in "
       "year 0 and carries its unfilled needs"},
      {"help.projection get", "satu proyeksi: ringkasan dan angka instansi per tahun",
       "one projection: its summary and the agency's figures per year"},
      {"help.projection list", "proyeksi instansi, terbaru lebih dulu",
       "the agency's projections, newest first"},
      {"help.projection formasi",
       "usulan formasi per tahun dan jabatan, dengan alasannya (pensiun, pertumbuhan, kekurangan "
       "saat ini); --output csv memakai urutan kolom formulir usulan e-Formasi",
       "the formasi proposal per year and position, with its reasons (retirements, growth, "
       "existing shortage); --output csv uses the column order of the e-Formasi proposal form"},
      {"help.report",
       "laporan rencana dalam satu halaman HTML yang dapat dicetak; --projection: latest (bawaan: "
       "proyeksi terbaru instansi), plan (hitung sekarang dengan mutasi rencana ini), none, atau "
       "id proyeksi",
       "the plan's report as one printable HTML page; --projection: latest (default: the "
       "agency's newest projection), plan (computed now with this plan's moves), none, or a "
       "projection id"},
      {"help.help", "bantuan seluruh alat, atau satu perintah",
       "help on the whole tool, or on one command"},
      {"gflag.personnel", "layanan personnel (env SEIMBANG_PERSONNEL_ADDR, bawaan 127.0.0.1:7001)",
       "personnel service (env SEIMBANG_PERSONNEL_ADDR, default 127.0.0.1:7001)"},
      {"gflag.workload", "layanan workload (env SEIMBANG_WORKLOAD_ADDR, bawaan 127.0.0.1:7002)",
       "workload service (env SEIMBANG_WORKLOAD_ADDR, default 127.0.0.1:7002)"},
      {"gflag.transfer", "layanan transfer (env SEIMBANG_TRANSFER_ADDR, bawaan 127.0.0.1:7003)",
       "transfer service (env SEIMBANG_TRANSFER_ADDR, default 127.0.0.1:7003)"},
      {"gflag.token", "token bearer (env SEIMBANG_TOKEN)", "bearer token (env SEIMBANG_TOKEN)"},
      {"gflag.token-file", "berkas berisi token bearer (env SEIMBANG_TOKEN_FILE)",
       "file holding the bearer token (env SEIMBANG_TOKEN_FILE)"},
      {"gflag.output", "format keluaran (env SEIMBANG_OUTPUT, bawaan table)",
       "output format (env SEIMBANG_OUTPUT, default table)"},
      {"gflag.lang", "bahasa pesan (env SEIMBANG_LANG, bawaan id)",
       "language of the messages (env SEIMBANG_LANG, default id)"},
      {"gflag.tls-ca", "TLS: percayai CA ini untuk layanan (env SEIMBANG_TLS_CA)",
       "TLS: trust this CA for the services (env SEIMBANG_TLS_CA)"},
      {"gflag.tls-cert", "mTLS: sertifikat klien (env SEIMBANG_TLS_CERT)",
       "mTLS: client certificate (env SEIMBANG_TLS_CERT)"},
      {"gflag.tls-key", "mTLS: kunci privat klien (env SEIMBANG_TLS_KEY)",
       "mTLS: client private key (env SEIMBANG_TLS_KEY)"},
      {"gflag.tls-server-name",
       "nama yang diperiksa pada sertifikat layanan (env SEIMBANG_TLS_SERVER_NAME)",
       "name to verify in the services' certificate (env SEIMBANG_TLS_SERVER_NAME)"},
      {"gflag.help", "bantuan (stdout, keluar 0)", "help (stdout, exit 0)"},
      {"gflag.version", "versi seimbangctl", "seimbangctl's version"},

      // ---- parsing
      {"parse.no_command", "tidak ada perintah", "no command given"},
      {"parse.unknown_command", "perintah '$0' tidak dikenal", "unknown command '$0'"},
      {"parse.unknown_command_near", "perintah '$0' tidak dikenal (maksudnya '$1'?)",
       "unknown command '$0' (did you mean '$1'?)"},
      {"parse.missing_subcommand", "'$0' perlu subperintah: $1", "'$0' needs a subcommand: $1"},
      {"parse.unknown_subcommand", "subperintah '$0 $1' tidak dikenal (ada: $2)",
       "unknown subcommand '$0 $1' (there are: $2)"},
      {"parse.unknown_flag", "flag $0 tidak dikenal", "unknown flag $0"},
      {"parse.unknown_flag_near", "flag $0 tidak dikenal (maksudnya $1?)",
       "unknown flag $0 (did you mean $1?)"},
      {"parse.missing_value", "flag $0 perlu nilai", "flag $0 needs a value"},
      {"parse.switch_value", "flag $0 tidak menerima nilai", "flag $0 takes no value"},
      {"parse.extra_argument", "argumen '$0' berlebih", "unexpected argument '$0'"},

      // ---- usage errors
      {"err.lang", "--lang harus id atau en, bukan '$0'", "--lang must be id or en, not '$0'"},
      {"err.audit_service", "--service harus personnel, workload atau transfer, bukan $0",
       "--service must be personnel, workload or transfer, not $0"},
      {"err.output", "--output harus table, json, csv atau yaml",
       "--output must be table, json, csv or yaml"},
      {"err.required", "--$0 wajib diisi", "--$0 is required"},
      {"err.missing_arg", "$0 belum diberikan", "missing $0"},
      {"err.whole_number", "--$0 harus bilangan bulat, bukan '$1'",
       "--$0 must be a whole number, not '$1'"},
      {"err.date", "--$0: '$1' bukan tanggal YYYY-MM-DD", "--$0: '$1' is not a date YYYY-MM-DD"},
      {"err.tls_pair", "--tls-cert dan --tls-key harus diberikan bersama",
       "--tls-cert and --tls-key go together"},
      {"err.tls_ca", "--tls-cert memerlukan --tls-ca (CA yang menandatangani sertifikat layanan)",
       "--tls-cert needs --tls-ca (the CA that signed the services' certificates)"},
      {"err.accept_or_reject", "berikan tepat satu dari --accept atau --reject",
       "give exactly one of --accept or --reject"},
      {"err.ttl", "--ttl harus durasi positif seperti 30m atau 2h",
       "--ttl must be a positive duration such as 30m or 2h"},
      {"err.token_key",
       "berikan salah satu dari --secret-file (HS256) atau --private-key-file (kunci privat PEM "
       "RS256/ES256)",
       "give one of --secret-file (HS256) or --private-key-file (RS256/ES256 PEM private key)"},
      {"err.role", "peran '$0' tidak dikenal", "unknown role '$0'"},
      {"err.mint", "token tidak dapat dibuat: $0", "cannot mint a token: $0"},
      {"err.export_format", "--format harus csv atau sk, bukan '$0'",
       "--format must be csv or sk, not '$0'"},
      {"err.family", "rumpun jabatan '$0' tidak dikenal; yang dikenal: $1",
       "unknown job family '$0'; the known ones: $1"},
      {"err.state", "status rencana '$0' tidak dikenal; yang dikenal: $1",
       "unknown plan state '$0'; the known ones: $1"},
      {"err.unit_needs_agency", "unit '$0' diberikan dengan nama: --agency juga diperlukan",
       "unit '$0' is given by name: --agency is needed too"},
      {"err.unit_none", "tidak ada unit instansi $0 yang namanya memuat '$1'",
       "no unit of agency $0 has a name containing '$1'"},
      {"err.unit_many", "'$0' cocok dengan $1 unit; berikan id atau nama yang lebih lengkap: $2",
       "'$0' matches $1 units; give the id or more of the name: $2"},
      {"err.policy_json", "$0: bukan Policy dalam JSON: $1", "$0: not a Policy in JSON: $1"},
      {"err.cannot_open", "tidak dapat membuka $0", "cannot open $0"},
      {"err.cannot_read", "tidak dapat membaca $0", "cannot read $0"},
      {"err.cannot_write", "tidak dapat menulis $0", "cannot write $0"},
      {"err.no_plan_in_stream", "aliran rencana berakhir tanpa rencana",
       "the plan stream ended without a plan"},
      {"err.no_summary_in_stream", "RunAnalysis berakhir tanpa ringkasan",
       "RunAnalysis ended without a summary"},

      // ---- RPC errors
      {"rpc.failed", "$0 gagal: $1 ($2)", "$0 failed: $1 ($2)"},
      // What each status code means for the person at the terminal (the service's own message,
      // shown above it, names the detail in English).
      {"rpc.means", "artinya: $0", "meaning: $0"},
      {"rpc.means.INVALID_ARGUMENT",
       "ada isian yang tidak sah; perbaiki isian yang disebut lalu ulangi",
       "a field is not valid; correct the fields named and try again"},
      {"rpc.means.NOT_FOUND", "data yang diminta tidak ada (atau di luar instansi Anda)",
       "what was asked for does not exist (or is outside your agency)"},
      {"rpc.means.ALREADY_EXISTS", "data itu sudah ada; tidak dibuat dua kali",
       "it already exists; it is not created twice"},
      {"rpc.means.PERMISSION_DENIED",
       "peran atau instansi pada token Anda tidak mengizinkan tindakan ini",
       "the role or agency of your token does not allow this"},
      {"rpc.means.UNAUTHENTICATED",
       "token tidak ada, tidak sah, atau kedaluwarsa; minta token baru (seimbangctl token)",
       "the token is missing, invalid or expired; get a new one (seimbangctl token)"},
      {"rpc.means.FAILED_PRECONDITION",
       "keadaan data belum memungkinkan langkah ini; lakukan dulu langkah yang disebut",
       "the data is not in a state that allows this step; do the step named first"},
      {"rpc.means.ABORTED", "data diubah orang lain sementara itu; muat ulang lalu ulangi",
       "someone else changed it meanwhile; reload and try again"},
      {"rpc.means.RESOURCE_EXHAUSTED", "layanan sedang penuh; ulangi sebentar lagi",
       "the service is busy; try again shortly"},
      {"rpc.means.DEADLINE_EXCEEDED", "waktu tunggu layanan habis; ulangi sebentar lagi",
       "the service's deadline passed; try again shortly"},
      {"rpc.means.CANCELLED", "permintaan dibatalkan", "the request was cancelled"},
      {"rpc.means.OUT_OF_RANGE", "nilai di luar rentang yang diizinkan",
       "a value is outside its allowed range"},
      {"rpc.means.UNIMPLEMENTED", "layanan ini tidak mengenal permintaan tersebut (versi berbeda?)",
       "the service does not know this request (another version?)"},
      {"rpc.means.INTERNAL", "kesalahan di layanan; laporkan ke tim TI dengan x-request-id-nya",
       "an error inside the service; report it to IT with its x-request-id"},
      {"rpc.means.UNKNOWN", "kesalahan di layanan; laporkan ke tim TI dengan x-request-id-nya",
       "an error inside the service; report it to IT with its x-request-id"},
      {"rpc.means.DATA_LOSS", "kesalahan di layanan; laporkan ke tim TI dengan x-request-id-nya",
       "an error inside the service; report it to IT with its x-request-id"},
      {"rpc.unreachable", "$0: layanan $1 di $2 tidak dapat dihubungi ($3)",
       "$0: the $1 service at $2 cannot be reached ($3)"},
      {"rpc.detail", "rincian: $0", "detail: $0"},
      {"rpc.check_running", "periksa: apakah $0-service berjalan dan mendengarkan di $1?",
       "check: is $0-service running and listening on $1?"},
      {"rpc.check_address", "periksa: benarkah alamatnya? atur dengan --$0 ADDR atau $1",
       "check: is the address right? set it with --$0 ADDR or $1"},
      {"rpc.hint_tls",
       "hint: bila layanan memakai TLS, berikan --tls-ca (dan --tls-cert/--tls-key bila layanan "
       "meminta sertifikat klien)",
       "hint: if the service serves TLS, pass --tls-ca (and --tls-cert/--tls-key when it "
       "requires client certificates)"},
      {"rpc.hint_mtls",
       "hint: bila layanan meminta sertifikat klien (mTLS), berikan --tls-cert dan --tls-key",
       "hint: if the service requires client certificates (mTLS), pass --tls-cert and --tls-key"},
      {"rpc.hint_tls_files",
       "hint: periksa bahwa --tls-ca, --tls-cert dan --tls-key cocok dengan PKI layanan",
       "hint: check that --tls-ca, --tls-cert and --tls-key match the services' PKI"},

      // ---- output
      {"page.next", "halaman berikutnya: --page-token $0", "next page: --page-token $0"},
      {"progress.rate", "$0/detik", "$0/s"},
      {"stage.import", "impor", "import"},
      {"stage.fetch_staffing", "mengambil data kepegawaian", "fetching staffing"},
      {"stage.load_inputs", "memuat beban kerja dan sinyal", "loading workloads and signals"},
      {"stage.compute", "menghitung", "computing"},
      {"stage.store", "menyimpan", "storing"},
      {"stage.fetch", "mengambil analisis dan data pegawai", "fetching analysis and employees"},
      {"stage.solve", "menghitung rencana optimal", "solving the plan"},
      {"stage.describe", "menjelaskan mutasi", "describing moves"},
      {"stage.execute", "pelaksanaan", "execution"},
      {"stage.export", "ekspor", "export"},
      {"col.field", "isian", "field"},
      {"col.value", "nilai", "value"},
      {"col.before", "sebelum", "before"},
      {"col.after", "sesudah", "after"},
      {"col.family", "rumpun jabatan", "job family"},
      {"col.moves", "mutasi", "moves"},
      {"col.lower_bound", "batas bawah", "lower bound"},
      {"col.unit", "unit", "unit"},
      {"col.position", "jabatan", "position"},
      {"col.missing", "kurang", "missing"},
      {"col.reason", "alasan", "reason"},
      {"col.outcome", "hasil", "outcome"},
      {"col.unit_position", "unit / jabatan", "unit / position"},
      {"col.staff", "pegawai", "staff"},
      {"col.need", "kebutuhan", "need"},
      {"word.yes", "ya", "yes"},
      {"word.no", "tidak", "no"},
      {"word.row", "baris", "row"},
      {"word.from", "dari", "from"},
      {"word.to", "ke", "to"},
      {"word.total", "JUMLAH", "TOTAL"},
      {"word.vacant", "kosong", "vacant"},
      {"word.and_more", "... dan $0 lagi", "... and $0 more"},
      {"metric.units_over", "unit x jabatan di atas kebutuhan", "unit x positions over need"},
      {"metric.units_under", "unit x jabatan di bawah kebutuhan", "unit x positions under need"},
      {"metric.surplus", "jumlah kelebihan", "total surplus"},
      {"metric.deficit", "jumlah kekurangan", "total deficit"},
      {"metric.balanced_share", "porsi seimbang", "balanced share"},
      {"metric.ej_cv", "koefisien variasi EJ", "EJ coefficient of variation"},
      {"metric.robin_hood", "indeks Robin Hood", "Robin Hood index"},
      {"plan.heading", "Rencana $0 ($1, revisi $2) untuk $3, berlaku $4",
       "Plan $0 ($1, revision $2) for $3, effective $4"},
      {"plan.decision_note", "catatan keputusan: $0", "decision note: $0"},
      {"plan.considered", "$0 pegawai ditinjau, $1 memenuhi syarat; dihitung dalam $2 ms",
       "$0 employees considered, $1 eligible; solved in $2 ms"},
      {"plan.moves", "Mutasi: $0 (batas bawah $1)", "Moves: $0 (lower bound $1)"},
      {"plan.unfilled", "Tidak terisi: masih kurang $0 orang", "Unfilled: $0 people still missing"},
      {"exec.summary",
       "Pelaksanaan: $0, $1 dari $2 mutasi diterapkan, $3 gagal, $4 usang (dilewati), $5 "
       "menunggu",
       "Execution: $0, $1 of $2 moves applied, $3 failed, $4 stale (skipped), $5 pending"},
      {"exec.last_error", "galat terakhir: $0", "last error: $0"},
      {"exec.more_not_shown", "($0 lagi tidak ditampilkan)", "($0 more not shown)"},
      {"exec.progress", "$0 diterapkan, $1 usang, $2 gagal", "$0 applied, $1 stale, $2 failed"},
      {"exec.plan", "Rencana $0", "Plan $0"},
      {"moves.none", "tidak ada mutasi", "no moves"},
      {"moves.importance_cost", "kepentingan $0, biaya $1", "importance $0, cost $1"},
      {"explain.rules", "Aturan yang dipenuhi: $0", "Rules met: $0"},
      {"explain.cost", "Biaya: $0 (dasar $1, jarak $2 untuk $3 km, preferensi $4, rotasi $5)",
       "Cost: $0 (base $1, distance $2 for $3 km, preference $4, rotation $5)"},
      {"explain.alternative", "Alternatif terbaik: $0 / $1, $2 lebih mahal",
       "Best alternative: $0 / $1, $2 more"},
      {"compare.added", "ditambah", "added"},
      {"compare.removed", "dihapus", "removed"},
      {"compare.summary", "$0: $1 mutasi, $2: $3 mutasi; $4 tetap, $5 ditambah, $6 dihapus",
       "$0: $1 moves, $2: $3 moves; $4 unchanged, $5 added, $6 removed"},
      {"story.heading",
       "Unit yang cocok dengan '$0' dalam rencana $1: pegawai $2 -> $3 terhadap kebutuhan $4",
       "Units matching '$0' in plan $1: staff $2 -> $3 against a need of $4"},
      {"story.moves_in",
       "Mutasi masuk ($0), terpenting lebih dulu:", "Moves in ($0), most important first:"},
      {"story.moves_out",
       "Mutasi keluar ($0), terpenting lebih dulu:", "Moves out ($0), most important first:"},
      {"story.unfilled", "Kebutuhan tidak terisi: $0", "Unfilled needs: $0"},
      {"analysis.run", "analisis", "run"},
      {"analysis.agency", "instansi", "agency"},
      {"analysis.as_of", "per tanggal", "as of"},
      {"analysis.label", "label", "label"},
      {"analysis.units", "unit / unit x jabatan", "units / unit x positions"},
      {"analysis.staff_need", "pegawai / kebutuhan", "staff / need"},
      {"analysis.surplus_deficit", "kelebihan / kekurangan", "surplus / deficit"},
      {"analysis.over_under_vacant", "lebih / kurang / kosong", "over / under / vacant"},
      {"analysis.ej_cv_gini", "KV EJ / Gini", "EJ CV / Gini"},
      {"analysis.wke", "WKE (menit/tahun)", "WKE (minutes/year)"},
      {"analysis.largest",
       "Kekurangan dan kelebihan terbesar:", "Largest shortages and surpluses:"},
      {"me.moves", "Mutasi ($0)", "Moves ($0)"},
      {"me.objections", "Sanggahan ($0)", "Objections ($0)"},
      {"me.preferences", "Preferensi ($0)", "Preferences ($0)"},
      {"report.wrote", "menulis $0 ($1 mutasi)", "wrote $0 ($1 moves)"},
      // ---- the plan report (report.cc, report_summary.cc); the report itself is Indonesian
      {"report.title", "Rencana mutasi $0 &middot; $1", "Transfer plan $0 &middot; $1"},
      {"report.h.summary", "Ringkasan untuk pimpinan", "Summary for the head of BKPSDM"},
      {"report.meta", "rencana $0 revisi $1 &middot; TMT $2 &middot; status: $3",
       "plan $0 revision $1 &middot; effective $2 &middot; state: $3"},
      {"report.f.moves", "mutasi", "moves"},
      {"report.f.balanced", "jabatan seimbang (sebelum &#8594; sesudah)",
       "positions in balance (before &#8594; after)"},
      {"report.f.deficit", "pegawai yang masih kurang (sebelum &#8594; sesudah)",
       "people still missing (before &#8594; after)"},
      {"report.f.objections", "keberatan masih terbuka", "objections still open"},
      {"report.h.what", "Apa yang dilakukan rencana ini", "What the plan does"},
      {"report.no_moves", "Rencana ini tidak memindahkan seorang pun.", "The plan moves nobody."},
      {"report.what", "Rencana ini memuat $0 mutasi untuk $1 pegawai, di antara $2 unit kerja.",
       "The plan holds $0 moves of $1 employees between $2 units."},
      {"report.balance",
       "Porsi unit &times; jabatan yang jumlah pegawainya sesuai kebutuhan naik dari $0 menjadi "
       "$1.",
       "The share of unit &times; positions staffed as needed goes from $0 to $1."},
      {"report.surplus_deficit",
       "Kelebihan pegawai turun dari $0 menjadi $1 orang, kekurangan dari $2 menjadi $3 orang.",
       "The surplus goes from $0 to $1 people, the shortage from $2 to $3 people."},
      {"report.h.helped", "Unit yang paling terbantu", "Units helped most"},
      {"report.helped_row", "pegawai $0 &#8594; $1, kebutuhan $2", "staff $0 &#8594; $1, need $2"},
      {"report.h.why", "Mengapa tidak lebih banyak mutasi", "Why not more moves"},
      {"report.lower_bound",
       "Batas bawah $0 mutasi adalah jumlah mutasi yang akan menyeimbangkan setiap rumpun jabatan "
       "bila semua pegawai boleh dipindahkan.",
       "The lower bound of $0 moves is what would balance every job family if every employee "
       "could be moved."},
      {"report.at_bound", "Rencana ini memuat $0 mutasi dan mencapai batas itu.",
       "The plan holds $0 moves and reaches it."},
      {"report.below_bound",
       "Rencana ini memuat $0 mutasi, $1 lebih sedikit, dan $2 kebutuhan pegawai belum terisi. "
       "Yang menahannya: pegawai yang tidak memenuhi syarat menurut aturan, batas mutasi, dan "
       "mutasi yang biayanya melebihi manfaatnya. Menurut jumlah orang yang belum terisi:",
       "The plan holds $0 moves, $1 fewer, and $2 needed people are still missing. What holds "
       "it back: employees the rules leave out, the move budget, and moves costing more than "
       "they relieve. By people still missing:"},
      {"report.people", "$0 orang", "$0 people"},
      {"report.eligible", "Dari $1 pegawai yang dipertimbangkan, $0 memenuhi syarat mutasi.",
       "Of $1 employees considered, $0 may be moved under the rules."},
      {"report.h.objections", "Keberatan pegawai", "Objections"},
      {"report.objections_not_submitted",
       "Rencana belum diajukan; pegawai dapat mengajukan keberatan setelah rencana diajukan.",
       "The plan is not submitted yet; employees may object once it is."},
      {"report.objections",
       "$0 keberatan masih terbuka. Masa keberatan berakhir $1 pukul 24.00 WITA.",
       "$0 objections are still open. The objection window ends on $1 at 24:00 WITA."},
      {"report.h.policy", "Kebijakan yang dipakai", "Policy used"},
      {"report.policy_name", "$0, versi $1 (nilai yang dipakai perencana, termasuk nilai bawaan)",
       "$0, version $1 (the values the planner used, defaults included)"},
      {"report.p.tenure", "Masa minimal di jabatan", "Minimum time in post"},
      {"report.p.retirement", "Tidak dipindah menjelang pensiun", "Not moved before retirement"},
      {"report.months", "$0 bulan", "$0 months"},
      {"report.working_days", "$0 hari kerja", "$0 working days"},
      {"report.p.leave", "Porsi maksimum yang keluar dari unit", "Most of a unit that may leave"},
      {"report.p.budget", "Batas jumlah mutasi", "Move budget"},
      {"report.p.no_budget", "tanpa batas", "none"},
      {"report.p.below_need", "Unit asal boleh di bawah kebutuhan", "Source may go below need"},
      {"report.p.window", "Masa keberatan", "Objection window"},
      {"report.p.cost", "Biaya dasar per mutasi (poin)", "Base cost per move (points)"},
      {"report.p.per_km", "Biaya per km (poin)", "Cost per km (points)"},
      {"report.p.under", "Penalti per orang kurang (poin)", "Penalty per missing person (points)"},
      {"report.p.over", "Penalti per orang lebih (poin)", "Penalty per surplus person (points)"},
      {"report.yes", "ya", "yes"},
      {"report.no", "tidak", "no"},
      {"report.h.approval", "Persetujuan", "Approval"},
      {"report.prepared", "Disiapkan oleh", "Prepared by"},
      {"report.checked", "Diperiksa oleh", "Checked by"},
      {"report.approved", "Disetujui oleh", "Approved by"},
      // The approver's note, or why the plan was rejected or cancelled (PlanSummary.decision_note).
      {"report.decision_note", "Catatan keputusan:", "Decision note:"},
      {"report.sign_date", "tanggal $0", "on $0"},
      {"report.chart_none", "Rencana ini tidak mengubah jumlah pegawai unit mana pun.",
       "The plan changes no unit's headcount."},
      {"report.chart_caption",
       "$0 unit yang paling terbantu dari $1 unit yang berubah ($2 unit seluruhnya; semuanya ada "
       "di tabel di bawah). Skala logaritmik (garis 1, 10, 100, ...), agar unit yang besar tidak "
       "menenggelamkan yang kecil; angka di kanan: sebelum &#8594; sesudah / kebutuhan.",
       "The $0 units helped most of the $1 that change ($2 units in all; every one is in the "
       "table below). Logarithmic scale (lines at 1, 10, 100, ...), so that a large unit does "
       "not drown the small ones; figures on the right: before &#8594; after / need."},
      {"report.chart_label", "Pegawai dibanding kebutuhan per unit", "Staff against need by unit"},
      {"report.h.balance", "Keseimbangan sebelum dan sesudah", "Balance before and after"},
      {"report.col.measure", "Ukuran", "Measure"},
      {"report.col.before", "sebelum", "before"},
      {"report.col.after", "sesudah", "after"},
      {"report.col.need", "kebutuhan", "need"},
      {"report.col.family", "Rumpun jabatan", "Job family"},
      {"report.col.moves", "Mutasi", "Moves"},
      {"report.col.lower_bound", "Batas bawah", "Lower bound"},
      {"report.col.unit", "Unit", "Unit"},
      {"report.col.gap_before", "selisih sebelum", "gap before"},
      {"report.col.before_after", "sebelum &#8594; sesudah", "before &#8594; after"},
      {"report.printed_units",
       "Versi cetak memuat $0 unit yang jumlah pegawainya berubah; $1 unit lain tidak berubah "
       "(semuanya ada di tabel versi layar).",
       "The printout lists the $0 units whose headcount changes; $1 other units do not change "
       "(every unit is in the screen version's table)."},
      {"report.col.gap_after", "selisih sesudah", "gap after"},
      {"report.col.no", "No.", "No."},
      {"report.col.employee", "Nama", "Name"},
      {"report.col.from", "Dari", "From"},
      {"report.col.to", "Ke", "To"},
      {"report.col.reason", "Alasan", "Reason"},
      {"report.col.reason_no", "Alasan no.", "Reason no."},
      {"report.col.position", "Jabatan", "Position"},
      {"report.col.missing", "Kurang", "Missing"},
      {"report.m.over", "Unit &times; jabatan kelebihan pegawai",
       "Unit &times; positions over need"},
      {"report.m.under", "Unit &times; jabatan kekurangan pegawai",
       "Unit &times; positions under need"},
      {"report.m.surplus", "Jumlah kelebihan pegawai (orang)", "Surplus (people)"},
      {"report.m.deficit", "Jumlah kekurangan pegawai (orang)", "Shortage (people)"},
      {"report.m.balanced", "Porsi unit &times; jabatan seimbang", "Share of positions in balance"},
      {"report.m.ej_cv", "Koefisien variasi efisiensi jabatan (EJ)",
       "Coefficient of variation of EJ"},
      {"report.m.robin_hood", "Indeks Robin Hood (porsi pegawai yang perlu dipindah)",
       "Robin Hood index (share of staff to move)"},
      {"report.h.by_family", "Mutasi per rumpun jabatan", "Moves by job family"},
      {"report.by_family_note",
       "Batas bawah: mutasi yang akan menyeimbangkan rumpun itu bila semua pegawainya boleh "
       "dipindahkan.",
       "Lower bound: the moves that would balance the family if all its employees could move."},
      {"report.h.units", "Pegawai dibanding kebutuhan per unit", "Staff against need by unit"},
      {"report.h.all_units", "Semua unit ($0)", "Every unit ($0)"},
      {"report.sort_hint", "Klik judul kolom untuk mengurutkan.",
       "Click a column heading to sort."},
      {"report.h.ej", "Sebaran efisiensi jabatan (EJ)", "Distribution of EJ"},
      {"report.ej_note",
       "Jumlah unit &times; jabatan per kelas EJ; EJ di atas 1 berarti beban kerja melebihi "
       "waktu kerja efektif pegawai yang ada.",
       "Unit &times; positions per EJ class; an EJ above 1 means more work than the staff's "
       "effective time."},
      {"report.h.moves", "Daftar mutasi ($0)", "Moves ($0)"},
      {"report.moves_note",
       "Alasan setiap mutasi dan kode jabatan tampil di layar; versi cetak memuatnya satu baris "
       "per mutasi.",
       "Each move's reason and position codes show on screen; the printout keeps one line a "
       "move."},
      {"report.h.unfilled", "Kebutuhan yang belum terisi ($0 orang)",
       "Needs left unfilled ($0 people)"},
      {"report.all_filled", "Semua kebutuhan terpenuhi.", "Every need is filled."},
      {"report.h.policy_full", "Kebijakan yang dipakai (lengkap)", "Policy used (in full)"},
      {"report.p.any_family", "Boleh pindah lintas rumpun jabatan", "Moves across job families"},
      {"report.p.preferred", "Potongan untuk pilihan pertama pegawai (poin)",
       "Bonus for the employee's first preference (points)"},
      {"report.p.avoided", "Tambahan untuk unit yang dihindari (poin)",
       "Penalty for an avoided unit (points)"},
      {"report.p.rotation", "Potongan rotasi setelah 60 bulan (poin)",
       "Rotation bonus after 60 months (points)"},
      {"report.h.technical", "Keterangan teknis", "Technical notes"},
      {"report.t.analysis", "Analisis beban kerja", "Workload analysis"},
      {"report.t.cost", "Nilai fungsi biaya model (poin)", "Model cost (points)"},
      {"report.t.cost_parts", "mutasi $0, penalti kekurangan $1, penalti kelebihan $2",
       "moves $0, shortage penalty $1, surplus penalty $2"},
      {"report.t.optimal", "Optimalitas", "Optimality"},
      {"report.t.proven", "terbukti optimal", "proven optimal"},
      {"report.t.gap", "selisih terbesar dari optimum $0 poin", "at most $0 points from optimal"},
      {"report.t.solve", "Waktu perhitungan", "Solve time"},
      {"report.t.ms", "$0 milidetik", "$0 milliseconds"},
      {"report.t.staffing", "Sidik data kepegawaian yang dipakai",
       "Fingerprint of the staffing used"},
      {"report.footer", "Laporan rencana $0 dibuat oleh seimbangctl pada $1.",
       "Report of plan $0 made by seimbangctl at $1."},
      // ---- decree drafts (decree.cc, decree_render.cc, cmd_decrees.cc)
      {"decree.wrote", "menulis $0 rancangan SK per mutasi ke $1",
       "wrote $0 per-move decree drafts to $1"},
      {"decree.wrote_collective", "menulis SK kolektif $0 (lampiran $1 mutasi)",
       "wrote the collective decree $0 (attachment of $1 moves)"},
      {"decree.warn_employee",
       "peringatan: pegawai $0 (mutasi $1) tidak ditemukan di personnel; nama dari rencana, "
       "pangkat kosong",
       "warning: employee $0 (move $1) not found in personnel; name from the plan, no rank"},
      {"err.decree_format", "--format harus html atau text, bukan '$0'",
       "--format must be html or text, not '$0'"},
      {"decree.err.dir", "direktori templat $0 tidak dapat dibuka",
       "cannot open the template directory $0"},
      {"decree.err.read", "tidak dapat membaca templat $0", "cannot read the template $0"},
      {"decree.err.unclosed_tag", "templat $0 baris $1: tag \"{{\" tidak ditutup dengan \"}}\"",
       "template $0 line $1: tag \"{{\" not closed by \"}}\""},
      {"decree.err.empty_tag", "templat $0 baris $1: tag tanpa nama",
       "template $0 line $1: a tag without a name"},
      {"decree.err.unsupported_tag",
       "templat $0 baris $1: $2 tidak didukung (partial dan penggantian pembatas tidak dipakai)",
       "template $0 line $1: $2 is not supported (no partials or delimiter changes)"},
      {"decree.err.unescaped",
       "templat $0 baris $1: {{{$2}}} atau {{&$2}} tidak boleh dipakai di templat HTML; tulis "
       "{{$2}} agar nilainya di-escape",
       "template $0 line $1: {{{$2}}} or {{&$2}} may not be used in an HTML template; write "
       "{{$2}} so its value is escaped"},
      {"decree.err.unknown_var",
       "templat $0 baris $1: variabel \"$2\" tidak dikenal; yang tersedia di sini: $3",
       "template $0 line $1: unknown variable \"$2\"; available here: $3"},
      {"decree.err.close_mismatch",
       "templat $0 baris $1: {{/$2}} tidak menutup bagian yang terbuka (terbuka: $3)",
       "template $0 line $1: {{/$2}} does not close the open section (open: $3)"},
      {"decree.err.unclosed_section", "templat $0 baris $1: bagian {{#$2}} tidak ditutup",
       "template $0 line $1: section {{#$2}} is not closed"},
      {"decree.err.render", "templat tidak dapat dirender: $0",
       "the template cannot be rendered: $0"},
      {"decree.err.settings_json", "$0 bukan JSON yang sah: $1", "$0 is not valid JSON: $1"},
      {"decree.err.settings_key", "$0: kunci \"$1\" tidak dikenal; yang dikenal: $2",
       "$0: unknown key \"$1\"; the known ones: $2"},
      {"decree.err.settings_type", "$0: \"$1\" harus $2", "$0: \"$1\" must be $2"},
      {"decree.type_text", "teks", "a string"},
      {"decree.type_list", "daftar teks", "a list of strings"},
      // ---- projection (cmd_projection.cc)
      {"projection.id", "proyeksi", "projection"},
      {"projection.agency", "instansi", "agency"},
      {"projection.run", "analisis", "analysis run"},
      {"projection.as_of", "per tanggal (tahun 0)", "as of (year 0)"},
      {"projection.years", "tahun", "years"},
      {"projection.growth", "pertumbuhan per rumpun", "growth per family"},
      {"projection.plan", "rencana (mutasi diterapkan / diberikan)",
       "plan (moves applied / given)"},
      {"projection.skipped", "mutasi dilewati", "moves skipped"},
      {"projection.people", "pegawai / unit x jabatan", "staff / unit x positions"},
      {"projection.formasi_total", "formasi seluruh tahun", "formasi over all years"},
      {"projection.label", "label", "label"},
      {"projection.compute_ms", "waktu hitung (ms)", "compute time (ms)"},
      {"projection.none", "tidak ada", "none"},
      {"projection.col.year", "tahun", "year"},
      {"projection.col.staff", "pegawai awal tahun", "staff at start"},
      {"projection.col.retirements", "pensiun", "retirements"},
      {"projection.col.need", "kebutuhan", "need"},
      {"projection.col.gap", "selisih", "gap"},
      {"projection.col.shortage", "kekurangan", "shortage"},
      {"projection.col.formasi", "formasi", "formasi"},
      {"projection.col.existing", "kekurangan saat ini", "existing shortage"},
      {"projection.col.growth", "pertumbuhan", "growth"},
      {"projection.col.position", "jabatan", "position"},
      {"projection.col.position_name", "nama jabatan", "position name"},
      {"projection.col.family", "rumpun", "family"},
      {"projection.col.unit_id", "id unit", "unit id"},
      {"projection.col.unit", "unit kerja (penempatan)", "unit (placement)"},
      {"projection.col.count", "jumlah", "count"},
      {"projection.col.reason", "alasan", "reason"},
      {"projection.col.created", "dibuat", "created"},
      {"projection.reason.retirements", "pensiun $0", "retirements $0"},
      {"projection.reason.growth", "pertumbuhan kebutuhan $0", "growth of need $0"},
      {"projection.reason.existing", "kekurangan saat ini yang tidak terisi mutasi $0",
       "existing shortage transfers cannot fill $0"},
      {"projection.no_formasi", "tidak ada formasi yang perlu diusulkan", "no formasi to propose"},
      {"err.growth",
       "--growth harus RUMPUN=LAJU dengan laju angka desimal (0.1 = 10 %), bukan '$0'",
       "--growth must be FAMILY=RATE with a decimal rate (0.1 = 10 %), not '$0'"},
      {"err.plan_agency", "rencana $0 milik instansi $1, bukan $2",
       "plan $0 belongs to $1, not $2"},
      {"err.report_projection",
       "--projection harus latest, plan, none atau id proyeksi, bukan '$0'",
       "--projection must be latest, plan, none or a projection id, not '$0'"},
      {"import.summary", "diterima $0, ditambah $1, diubah $2, tetap $3, ditolak $4, berkonflik $5",
       "received $0, inserted $1, updated $2, unchanged $3, rejected $4, in conflict $5"},
      {"import.conflicts",
       "baris berkonflik akan membatalkan mutasi yang sudah dilaksanakan dan tidak diterapkan; "
       "bila berkas lebih baru dari mutasi itu berikan --as-of YYYY-MM-DD, atau "
       "--override-transfers",
       "rows in conflict would undo executed transfers and were not applied; if the file is "
       "newer than those transfers pass --as-of YYYY-MM-DD, or --override-transfers"},
      {"import.line", "baris $0$1: $2", "line $0$1: $2"},
      {"import.line_row", "baris $0: $1", "line $0: $1"},
      {"import.of", "impor $0", "import of $0"},
      {"import.partial", "impor $0: personnel menerima $1 dari $2 baris yang dikirim",
       "import of $0: personnel received $1 of the $2 rows sent"},
      {"import.warnings", "$0 peringatan (mis. pangkat di luar rentang jabatan)",
       "$0 warnings (e.g. rank outside the position's band)"},
      {"import.signal_lines", "signals.csv baris $0-$1", "signals.csv lines $0-$1"},
      {"import.signals", "diterima $0, dicatat $1, ditolak $2",
       "received $0, recorded $1, rejected $2"},

      // ---- enum values in words
      {"enum.PLAN_STATE_DRAFT", "draf", "draft"},
      {"enum.PLAN_STATE_SUBMITTED", "diajukan", "submitted"},
      {"enum.PLAN_STATE_APPROVED", "disetujui", "approved"},
      {"enum.PLAN_STATE_EXECUTING", "sedang dilaksanakan", "executing"},
      {"enum.PLAN_STATE_EXECUTED", "dilaksanakan", "executed"},
      {"enum.PLAN_STATE_REJECTED", "ditolak", "rejected"},
      {"enum.PLAN_STATE_CANCELLED", "dibatalkan", "cancelled"},
      {"enum.PLAN_STATE_EXECUTED_WITH_FAILURES", "dilaksanakan dengan kegagalan",
       "executed with failures"},
      {"enum.OBJECTION_STATE_OPEN", "terbuka", "open"},
      {"enum.OBJECTION_STATE_ACCEPTED", "diterima", "accepted"},
      {"enum.OBJECTION_STATE_REJECTED", "ditolak", "rejected"},
      {"enum.MOVE_EXECUTION_STATE_PENDING", "menunggu", "pending"},
      {"enum.MOVE_EXECUTION_STATE_APPLIED", "diterapkan", "applied"},
      {"enum.MOVE_EXECUTION_STATE_STALE", "usang", "stale"},
      {"enum.MOVE_EXECUTION_STATE_FAILED", "gagal", "failed"},
      {"enum.UNFILLED_REASON_NO_ELIGIBLE_CANDIDATE", "tidak ada kandidat yang memenuhi syarat",
       "no eligible candidate"},
      {"enum.UNFILLED_REASON_BLOCKED_BY_RULE", "terhalang aturan", "blocked by a rule"},
      {"enum.UNFILLED_REASON_BUDGET_EXHAUSTED", "batas mutasi habis", "move budget exhausted"},
      {"enum.UNFILLED_REASON_NOT_WORTH_MOVING", "tidak sepadan dengan mutasinya",
       "not worth a move"},
      {"enum.UNIT_KIND_SECRETARIAT", "sekretariat", "secretariat"},
      {"enum.UNIT_KIND_DINAS", "dinas", "dinas"},
      {"enum.UNIT_KIND_BADAN", "badan", "badan"},
      {"enum.UNIT_KIND_KECAMATAN", "kecamatan", "kecamatan"},
      {"enum.UNIT_KIND_KELURAHAN", "kelurahan", "kelurahan"},
      {"enum.UNIT_KIND_UPT", "UPT", "UPT"},
      {"enum.UNIT_KIND_SCHOOL", "sekolah", "school"},
      {"enum.UNIT_KIND_HEALTH_CENTRE", "puskesmas", "health centre"},
      {"enum.UNIT_KIND_OTHER", "lainnya", "other"},
      {"enum.EMPLOYMENT_TYPE_PNS", "PNS", "PNS"},
      {"enum.EMPLOYMENT_TYPE_PPPK", "PPPK", "PPPK"},
      {"enum.EMPLOYMENT_STATUS_ACTIVE", "aktif", "active"},
      {"enum.EMPLOYMENT_STATUS_RETIRED", "pensiun", "retired"},
      {"enum.EMPLOYMENT_STATUS_STOPPED", "diberhentikan", "stopped"},
      {"enum.EMPLOYMENT_STATUS_DECEASED", "meninggal dunia", "deceased"},
      {"enum.EMPLOYMENT_STATUS_SECONDED", "diperbantukan", "seconded"},
      {"enum.POSITION_KIND_JPT_UTAMA", "JPT utama", "JPT utama (senior executive)"},
      {"enum.POSITION_KIND_JPT_MADYA", "JPT madya", "JPT madya (high executive)"},
      {"enum.POSITION_KIND_JPT_PRATAMA", "JPT pratama", "JPT pratama (executive)"},
      {"enum.POSITION_KIND_ADMINISTRATOR", "administrator", "administrator"},
      {"enum.POSITION_KIND_PENGAWAS", "pengawas", "supervisor (pengawas)"},
      {"enum.POSITION_KIND_FUNCTIONAL_EXPERTISE", "fungsional keahlian", "functional, expertise"},
      {"enum.POSITION_KIND_FUNCTIONAL_SKILL", "fungsional keterampilan", "functional, skill"},
      {"enum.POSITION_KIND_PELAKSANA", "pelaksana", "executor (pelaksana)"},
      {"enum.FUNCTIONAL_LEVEL_AHLI_PERTAMA", "ahli pertama", "first expert (ahli pertama)"},
      {"enum.FUNCTIONAL_LEVEL_AHLI_MUDA", "ahli muda", "junior expert (ahli muda)"},
      {"enum.FUNCTIONAL_LEVEL_AHLI_MADYA", "ahli madya", "middle expert (ahli madya)"},
      {"enum.FUNCTIONAL_LEVEL_AHLI_UTAMA", "ahli utama", "senior expert (ahli utama)"},
      {"enum.FUNCTIONAL_LEVEL_PEMULA", "pemula", "beginner (pemula)"},
      {"enum.FUNCTIONAL_LEVEL_TERAMPIL", "terampil", "skilled (terampil)"},
      {"enum.FUNCTIONAL_LEVEL_MAHIR", "mahir", "proficient (mahir)"},
      {"enum.FUNCTIONAL_LEVEL_PENYELIA", "penyelia", "supervisor (penyelia)"},
      {"enum.PLACEMENT_REASON_INITIAL", "penempatan awal", "initial placement"},
      {"enum.PLACEMENT_REASON_TRANSFER", "mutasi", "transfer"},
      {"enum.PLACEMENT_REASON_PROMOTION", "promosi", "promotion"},
      {"enum.PLACEMENT_REASON_CORRECTION", "koreksi data", "data correction"},
      {"enum.SIGNAL_KIND_PUBLIC_COMPLAINTS", "pengaduan masyarakat", "public complaints"},
      {"enum.SIGNAL_KIND_SERVICE_REQUESTS", "permohonan layanan", "service requests"},
      {"enum.SIGNAL_KIND_INFRASTRUCTURE_PROJECTS", "paket pekerjaan infrastruktur",
       "infrastructure projects"},
      {"enum.SIGNAL_KIND_OTHER", "lainnya", "other"},

      // ---- the planner's hard rules (ExplainMoveResponse.rules_satisfied)
      {"rule.min_tenure", "masa kerja minimal di jabatan", "minimum time in post"},
      {"rule.retirement", "tidak menjelang pensiun", "not close to retirement"},
      {"rule.disciplinary", "tidak sedang dijatuhi hukuman disiplin", "no disciplinary sanction"},
      {"rule.judicial", "tidak dalam proses hukum", "no judicial process"},
      {"rule.inspectorate", "bebas temuan inspektorat", "cleared by the inspectorate"},
      {"rule.performance", "kinerja minimal baik", "performance at least good"},
      {"rule.study_assignment", "tidak sedang tugas belajar", "not on study assignment"},
      {"rule.service_bond", "tidak terikat ikatan dinas", "no service bond"},
      {"rule.on_leave", "tidak sedang cuti", "not on leave"},
      {"rule.rank_band", "pangkat dalam rentang jabatan", "rank within the position's band"},
      {"rule.rank_scale", "skala pangkat sama (PNS/PPPK)", "same rank scale (PNS/PPPK)"},
      {"rule.same_level", "jenjang jabatan sama", "same position level"},
      {"rule.position_change", "perpindahan jabatan diizinkan", "change of position allowed"},
      {"rule.education", "pendidikan memenuhi syarat", "education requirement met"},
      {"rule.job_family", "rumpun jabatan sama", "same job family"},
      {"rule.same_agency", "instansi sama", "same agency"},
      {"rule.forbidden", "tidak dilarang", "not forbidden"},
      {"rule.inactive_unit", "unit tujuan aktif", "target unit active"},
      {"rule.target_need", "tujuan masih di bawah kebutuhan", "target still short of need"},
      {"rule.leave_fraction", "batas pegawai yang keluar dari unit", "cap on staff leaving a unit"},
      {"rule.never_below_need", "unit asal tidak turun di bawah kebutuhan",
       "source never below need"},
      {"rule.max_leave_fraction", "batas porsi pegawai yang boleh keluar dari unit asal",
       "cap on the share of a unit's staff that may leave"},
      {"rule.allow_below_need", "unit asal tidak boleh turun di bawah kebutuhan",
       "source may not go below need"},
  };
  c.insert(c.end(), Families().begin(), Families().end());
  return c;
}

const std::map<std::string, const CatalogueEntry*>& Index() {
  static const auto* index = [] {
    auto* m = new std::map<std::string, const CatalogueEntry*>();
    for (const auto& e : Catalogue()) (*m)[e.key] = &e;
    return m;
  }();
  return *index;
}

// "Teknik Sipil", "teknik-sipil" and "teknik_sipil" alike.
std::string Normalized(const std::string& text) {
  std::string s = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  return absl::StrReplaceAll(s, {{" ", "_"}, {"-", "_"}});
}

}  // namespace

const std::vector<CatalogueEntry>& Catalogue() {
  static const auto* c = new std::vector<CatalogueEntry>(Build());
  return *c;
}

bool ParseLang(absl::string_view text, Lang& lang) {
  if (text == "id") {
    lang = Lang::kId;
    return true;
  }
  if (text == "en") {
    lang = Lang::kEn;
    return true;
  }
  return false;
}

const char* RawText(Lang lang, absl::string_view key) {
  auto it = Index().find(std::string(key));
  if (it == Index().end()) return "";
  return lang == Lang::kId ? it->second->id : it->second->en;
}

bool HasText(absl::string_view key) { return Index().count(std::string(key)) > 0; }

std::string FamilyWord(Lang lang, const std::string& family) {
  const std::string key = absl::StrCat("family.", family);
  return HasText(key) ? RawText(lang, key) : family;
}

std::string FamilyFromText(const std::string& text) {
  const std::string n = Normalized(text);
  for (const auto& f : Families()) {
    std::string name(absl::StripPrefix(f.key, "family."));
    if (n == name || n == Normalized(f.id) || n == Normalized(f.en)) return name;
  }
  return "";
}

std::vector<std::string> KnownFamilies() {
  std::vector<std::string> out;
  for (const auto& f : Families()) out.emplace_back(absl::StripPrefix(f.key, "family."));
  return out;
}

std::string EnumWord(Lang lang, const std::string& value_name, absl::string_view prefix) {
  const std::string key = absl::StrCat("enum.", value_name);
  if (HasText(key)) return RawText(lang, key);
  return std::string(absl::StripPrefix(value_name, prefix));
}

}  // namespace seimbang::ctl
