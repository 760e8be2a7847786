// seimbangctl's command line: usage errors exit 2 before any call is made, with
// one line naming the problem and the command's usage; help and version exit 0
// on stdout; the catalogue has every text in both languages.
#include "tools/seimbangctl/cli.h"

#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/verifier.h"
#include "gtest/gtest.h"
#include "tests/support/test_db.h"
#include "tools/seimbangctl/messages.h"

namespace seimbang::ctl {
namespace {

struct Result {
  int code;
  std::string out, err;
};

// English unless the test says otherwise (the default is Indonesian).
Result Ctl(const std::vector<std::string>& argv,
           std::map<std::string, std::string> env = {{"SEIMBANG_LANG", "en"}}) {
  std::ostringstream out, err;
  int code = RunCli(argv, env, out, err);
  return {code, out.str(), err.str()};
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out = absl::StrSplit(s, '\n');
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

TEST(ParseArgs, GlobalFlagsComeBeforeTheCommandAndCommandFlagsAfter) {
  auto a = ParseArgs({"--output", "json", "plan", "moves", "p1", "--top=10", "--by-id"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->global.at("output"), "json");
  EXPECT_EQ(a->words, (std::vector<std::string>{"plan", "moves", "p1"}));
  EXPECT_EQ(a->command_words, 2u);
  EXPECT_EQ(a->flags.at("top"), "10");
  EXPECT_TRUE(a->switches.count("by-id"));
}

TEST(ParseArgs, GlobalFlagsAlsoComeAfterTheCommandAndCommandFlagsBeforeIt) {
  auto a = ParseArgs({"plan", "moves", "p1", "--output", "json", "--lang=en"});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->global.at("output"), "json");
  EXPECT_EQ(a->lang, Lang::kEn);
  auto b = ParseArgs({"--agency", "73.71", "plan", "list"});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->flags.at("agency"), "73.71");
}

TEST(ParseArgs, AFlagTheCommandDoesNotTakeIsNamedWithTheNearestItDoes) {
  EXPECT_EQ(ParseArgs({"--agensi", "73.71", "plan", "list"}, {{"SEIMBANG_LANG", "en"}})
                .status()
                .message(),
            "unknown flag --agensi (did you mean --agency?)");
  EXPECT_EQ(ParseArgs({"plan", "show", "p1", "--agency", "73.71"}, {{"SEIMBANG_LANG", "en"}})
                .status()
                .message(),
            "unknown flag --agency");
  // Indonesian by default.
  EXPECT_EQ(ParseArgs({"plan", "list", "--agensi", "73.71"}).status().message(),
            "flag --agensi tidak dikenal (maksudnya --agency?)");
}

TEST(Cli, NoCommandIsAUsageErrorExitingTwo) {
  Result r = Ctl({});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(Lines(r.err), (std::vector<std::string>{
                              "seimbangctl: no command given",
                              "usage: seimbangctl [global flags] COMMAND ...",
                              "(see: seimbangctl help)",
                          }));
  EXPECT_EQ(r.out, "");
}

// Each usage error: exit 2, nothing on stdout, one line naming the problem,
// then that command's usage line and where its help is (not the whole usage).
void ExpectUsageError(const std::vector<std::string>& argv, const std::string& problem,
                      const std::string& usage, const std::string& help) {
  Result r = Ctl(argv);
  EXPECT_EQ(r.code, kExitUsage) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Lines(r.err),
            (std::vector<std::string>{"seimbangctl: " + problem, "usage: seimbangctl " + usage,
                                      "(see: seimbangctl help " + help + ")"}))
      << r.err;
}

TEST(Cli, AnAuditLogOfAServiceThatDoesNotExistIsAUsageError) {
  ExpectUsageError({"audit", "list", "--service", "payroll"},
                   "--service must be personnel, workload or transfer, not payroll",
                   "audit list --service personnel|workload|transfer [--method M] [--page-size N] "
                   "[--page-token T] [--all]",
                   "audit list");
}

TEST(Cli, AnUnknownFlagIsOneLineAndTheCommandsUsage) {
  ExpectUsageError({"employees", "list", "--agensi", "73.71"},
                   "unknown flag --agensi (did you mean --agency?)",
                   "employees list [--agency A] [--unit U] [--position P] [--family F] "
                   "[--name TEXT] [--nip PREFIX] [--include-inactive] [--page-size N] "
                   "[--page-token T] [--all]",
                   "employees list");
  ExpectUsageError({"plan", "show", "p1", "--bogus"}, "unknown flag --bogus", "plan show ID",
                   "plan show");
  ExpectUsageError({"plan", "show", "p1", "-x"}, "unknown flag -x", "plan show ID", "plan show");
}

TEST(Cli, AFlagWithoutItsValueIsNamed) {
  ExpectUsageError({"plan", "approve", "p1", "--note"}, "flag --note needs a value",
                   "plan approve ID [--note N]", "plan approve");
  ExpectUsageError({"plan", "approve", "p1", "--note", "--request-id", "r"},
                   "flag --note needs a value", "plan approve ID [--note N]", "plan approve");
}

TEST(Cli, AnExtraArgumentIsNamed) {
  ExpectUsageError({"plan", "show", "p1", "p2"}, "unexpected argument 'p2'", "plan show ID",
                   "plan show");
  ExpectUsageError({"me", "now"}, "unexpected argument 'now'", "me", "me");
}

TEST(Cli, ASwitchGivenAValueIsNamed) {
  ExpectUsageError({"plan", "moves", "p1", "--by-id=yes"}, "flag --by-id takes no value",
                   "plan moves ID [--top N] [--unit U] [--family F] [--by-id] [--page-token T] "
                   "[--all]",
                   "plan moves");
}

TEST(Cli, AMissingPositionalArgumentIsNamed) {
  ExpectUsageError({"plan", "explain", "p1"}, "missing MOVE", "plan explain ID MOVE",
                   "plan explain");
}

TEST(Cli, AnUnknownSubcommandNamesTheGroupsSubcommands) {
  Result r = Ctl({"policy", "remove", "x"});
  EXPECT_EQ(r.code, kExitUsage);
  std::vector<std::string> lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 5u) << r.err;
  EXPECT_EQ(lines[0],
            "seimbangctl: unknown subcommand 'policy remove' (there are: create, show, list)");
  EXPECT_EQ(lines[1], "usage: seimbangctl policy create --agency A --name N [--file policy.json]");
  EXPECT_EQ(lines[4], "(see: seimbangctl help policy)");
}

TEST(Cli, AMisspelledCommandSuggestsTheNearestOne) {
  Result r = Ctl({"pln", "show", "p1"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(Lines(r.err)[0], "seimbangctl: unknown command 'pln' (did you mean 'plan'?)");
}

TEST(Cli, HelpAndVersionExitZeroOnStdout) {
  for (const auto& argv : std::vector<std::vector<std::string>>{
           {"help"}, {"--help"}, {"-h"}, {"plan", "--output", "json", "--help"}}) {
    Result r = Ctl(argv);
    EXPECT_EQ(r.code, 0) << argv[0];
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out.rfind("usage: seimbangctl ", 0), 0u) << r.out;
  }
  Result all = Ctl({"help"});
  EXPECT_TRUE(absl::StrContains(all.out, "\n  --lang id|en")) << all.out;
  EXPECT_TRUE(absl::StrContains(all.out, "exit codes: 0 ok, 2 usage error")) << all.out;
  Result v = Ctl({"--version"});
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.err, "");
  EXPECT_TRUE(std::regex_match(v.out, std::regex("seimbangctl [0-9]+\\.[0-9]+\\.[0-9]+\n")))
      << v.out;
}

TEST(Cli, EveryCommandHasItsHelpFirstLineItsUsage) {
  for (const std::string& path : CommandPaths()) {
    std::vector<std::string> argv = absl::StrSplit(path, ' ');
    for (const char* lang : {"id", "en"}) {
      Result by_flag = Ctl(
          [&] {
            auto a = argv;
            a.push_back("--help");
            return a;
          }(),
          {{"SEIMBANG_LANG", lang}});
      EXPECT_EQ(by_flag.code, 0) << path;
      EXPECT_EQ(by_flag.err, "") << path;
      EXPECT_EQ(by_flag.out.rfind(std::string(lang) == "id" ? "pemakaian: seimbangctl " + path
                                                            : "usage: seimbangctl " + path,
                                  0),
                0u)
          << by_flag.out;
      std::vector<std::string> help = {"help"};
      help.insert(help.end(), argv.begin(), argv.end());
      Result by_command = Ctl(help, {{"SEIMBANG_LANG", lang}});
      EXPECT_EQ(by_command.code, 0) << path;
      EXPECT_EQ(by_command.out, by_flag.out) << path;
      EXPECT_FALSE(std::regex_search(by_flag.out, std::regex("\\?[a-z]+\\.[a-z. -]+\\?")))
          << "a text missing from the catalogue: " << by_flag.out;
    }
  }
  for (const char* lang : {"id", "en"}) {
    Result r = Ctl({"help"}, {{"SEIMBANG_LANG", lang}});
    EXPECT_FALSE(std::regex_search(r.out, std::regex("\\?[a-z]+\\.[a-z. -]+\\?"))) << r.out;
  }
}

TEST(Cli, HelpOnAnUnknownCommandIsAUsageError) {
  Result r = Ctl({"help", "frobnicate"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(Lines(r.err)[0], "seimbangctl: unknown command 'frobnicate'");
}

TEST(Cli, TheLanguageIsIndonesianByDefaultAndEnglishOnRequest) {
  Result id = Ctl({"plan", "show"}, {});
  EXPECT_EQ(Lines(id.err)[0], "seimbangctl: ID belum diberikan");
  EXPECT_EQ(Lines(id.err)[1], "pemakaian: seimbangctl plan show ID");
  Result en = Ctl({"plan", "show", "--lang", "en"}, {});
  EXPECT_EQ(Lines(en.err)[0], "seimbangctl: missing ID");
  Result env = Ctl({"plan", "show"}, {{"SEIMBANG_LANG", "en"}});
  EXPECT_EQ(Lines(env.err)[0], "seimbangctl: missing ID");
  Result bad = Ctl({"--lang", "fr", "plan", "show"}, {});
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_EQ(Lines(bad.err)[0], "seimbangctl: --lang harus id atau en, bukan 'fr'");
}

TEST(Cli, AnUnknownJobFamilyIsAUsageErrorNamingTheKnownOnes) {
  Result r = Ctl({"employees", "list", "--agency", "73.71", "--family", "kesehatann"}, {});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(Lines(r.err)[0].rfind("seimbangctl: rumpun jabatan 'kesehatann' tidak dikenal; yang "
                                  "dikenal: teknik sipil (civil_engineering), ",
                                  0),
            0u)
      << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "kesehatan (health)")) << r.err;
}

TEST(Cli, AnUnknownPlanStateIsAUsageError) {
  Result r = Ctl({"plan", "list", "--state", "done"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(Lines(r.err)[0],
            "seimbangctl: unknown plan state 'done'; the known ones: draft, submitted, approved, "
            "executing, executed, rejected, cancelled, executed_with_failures");
}

TEST(Cli, AnUnreachableServiceNamesTheAddressAndWhatToCheckWithoutTlsForARefusedPort) {
  Result r = Ctl({"plan", "show", "p1", "--transfer", "127.0.0.1:1"});
  EXPECT_EQ(r.code, kExitError);
  std::vector<std::string> lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 4u) << r.err;
  EXPECT_EQ(lines[0],
            "seimbangctl: GetPlan: the transfer service at 127.0.0.1:1 cannot be reached "
            "(UNAVAILABLE)");
  EXPECT_EQ(lines[1].rfind("  detail: ", 0), 0u);
  EXPECT_EQ(lines[2], "  check: is transfer-service running and listening on 127.0.0.1:1?");
  EXPECT_EQ(lines[3],
            "  check: is the address right? set it with --transfer ADDR or SEIMBANG_TRANSFER_ADDR");
  // With TLS flags given, the hint about them follows.
  const std::string ca = ::testing::TempDir() + "/ctl-ca-" + std::to_string(getpid());
  std::ofstream(ca) << "not a certificate\n";
  testsupport::RemoveAtExit(ca);
  Result tls = Ctl({"--tls-ca", ca, "--personnel", "127.0.0.1:1", "employees", "get", "1"});
  EXPECT_EQ(tls.code, kExitError);
  EXPECT_TRUE(absl::StrContains(tls.err, "the personnel service at 127.0.0.1:1")) << tls.err;
  EXPECT_TRUE(absl::StrContains(tls.err, "  hint: if the service requires client certificates"))
      << tls.err;
}

TEST(Catalogue, EveryKeyHasAnIndonesianAndAnEnglishTextWithTheSamePlaceholders) {
  std::set<std::string> keys;
  std::regex placeholder("\\$[0-9]");
  for (const CatalogueEntry& e : Catalogue()) {
    EXPECT_TRUE(keys.insert(e.key).second) << "duplicate key " << e.key;
    EXPECT_NE(std::string(e.id), "") << e.key;
    EXPECT_NE(std::string(e.en), "") << e.key;
    std::set<std::string> in_id, in_en;
    std::string id = e.id, en = e.en;
    for (auto it = std::sregex_iterator(id.begin(), id.end(), placeholder);
         it != std::sregex_iterator(); ++it)
      in_id.insert(it->str());
    for (auto it = std::sregex_iterator(en.begin(), en.end(), placeholder);
         it != std::sregex_iterator(); ++it)
      in_en.insert(it->str());
    EXPECT_EQ(in_id, in_en) << e.key;
  }
  for (const std::string& path : CommandPaths()) {
    EXPECT_TRUE(HasText("help." + path)) << path;
  }
}

// Every T("key") and Text(lang, "key") of seimbangctl's sources is in the catalogue.
TEST(Catalogue, EveryKeyTheSourcesUseIsInIt) {
  const std::string dir = std::string(SEIMBANG_SOURCE_DIR) + "/tools/seimbangctl/";
  std::regex use("(?:\\bT|Text\\([A-Za-z_:.]+,)\\(?\\s*\"([a-z_]+\\.[a-z_.]+)\"");
  int found = 0;
  for (const char* file : {"cli.cc", "cli_io.cc", "fetch_all.cc", "cmd_analysis.cc",
                           "cmd_employees.cc", "cmd_import.cc", "cmd_objection.cc", "cmd_plan.cc",
                           "cmd_plan_story.cc", "cmd_policy.cc", "cmd_report.cc", "cmd_token.cc"}) {
    std::ifstream in(dir + file);
    ASSERT_TRUE(in) << dir + file;
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (auto it = std::sregex_iterator(text.begin(), text.end(), use);
         it != std::sregex_iterator(); ++it) {
      ++found;
      EXPECT_TRUE(HasText((*it)[1].str())) << file << ": " << (*it)[1].str();
    }
  }
  EXPECT_GT(found, 100);
}

// Every error code a service can answer (UNAVAILABLE has its own hints) is explained to the user
// in words, in both languages.
TEST(Catalogue, EveryErrorCodeIsExplainedInWords) {
  for (int code = 1; code <= 16; ++code) {
    if (code == static_cast<int>(absl::StatusCode::kUnavailable)) continue;
    const std::string key =
        absl::StrCat("rpc.means.", absl::StatusCodeToString(static_cast<absl::StatusCode>(code)));
    EXPECT_TRUE(HasText(key)) << key;
    EXPECT_NE(std::string(RawText(Lang::kId, key)), std::string(RawText(Lang::kEn, key))) << key;
  }
}

TEST(Catalogue, FamiliesAndEnumsReadInWords) {
  EXPECT_EQ(FamilyFromText("kesehatan"), "health");
  EXPECT_EQ(FamilyFromText("Teknik Sipil"), "civil_engineering");
  EXPECT_EQ(FamilyFromText("civil_engineering"), "civil_engineering");
  EXPECT_EQ(FamilyFromText("health care"), "");
  EXPECT_EQ(FamilyWord(Lang::kId, "health"), "kesehatan");
  EXPECT_EQ(FamilyWord(Lang::kEn, "health"), "health");
  EXPECT_EQ(FamilyWord(Lang::kId, "forestry"), "forestry");
  EXPECT_EQ(EnumWord(Lang::kId, "PLAN_STATE_DRAFT", "PLAN_STATE_"), "draf");
  EXPECT_EQ(EnumWord(Lang::kEn, "EMPLOYMENT_TYPE_PNS", "EMPLOYMENT_TYPE_"), "PNS");
  EXPECT_EQ(EnumWord(Lang::kId, "EDUCATION_LEVEL_S1", "EDUCATION_LEVEL_"), "S1");
}

// The commands section of tools/seimbangctl/README.md lists exactly the table's synopses.
TEST(Readme, ListsEveryCommandsUsageAsHelpPrintsIt) {
  std::ifstream in(std::string(SEIMBANG_SOURCE_DIR) + "/tools/seimbangctl/README.md");
  ASSERT_TRUE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string readme = ss.str();
  for (const std::string& path : CommandPaths()) {
    std::vector<std::string> argv = absl::StrSplit(path, ' ');
    argv.push_back("--help");
    Result r = Ctl(argv);
    ASSERT_EQ(r.code, 0);
    const std::string usage = Lines(r.out)[0].substr(std::string("usage: seimbangctl ").size());
    EXPECT_TRUE(absl::StrContains(readme, "    " + usage + "\n"))
        << "README lacks the usage line: " << usage;
  }
}

TEST(Cli, AnUnknownCommandIsAUsageError) {
  Result r = Ctl({"frobnicate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("seimbangctl: unknown command 'frobnicate'\n", 0), 0u);
  EXPECT_EQ(Lines(r.err).size(), 3u) << r.err;
}

TEST(Cli, AMissingRequiredFlagIsAUsageErrorNamingIt) {
  Result r = Ctl({"analysis", "run", "--as-of", "2026-10-31"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("seimbangctl: --agency is required\n", 0), 0u);
}

TEST(Cli, ABadDateIsAUsageError) {
  Result r = Ctl({"analysis", "run", "--agency", "73.71", "--as-of", "31/10/2026"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("seimbangctl: --as-of: '31/10/2026' is not a date YYYY-MM-DD\n", 0), 0u);
}

TEST(Cli, AnUnknownOutputFormatIsAUsageError) {
  Result r = Ctl({"--output", "xml", "plan", "show", "p1"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("seimbangctl: --output must be table, json, csv or yaml\n", 0), 0u);
}

TEST(Cli, ResolvingAnObjectionNeedsExactlyOneOfAcceptOrReject) {
  Result r = Ctl({"objection", "resolve", "o1", "--accept", "--reject"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("seimbangctl: give exactly one of --accept or --reject\n", 0), 0u);
}

TEST(Cli, TokenPrintsOnlyAVerifiableTokenWithTheRoleAndAgency) {
  const std::string path = ::testing::TempDir() + "/ctl-secret-" + std::to_string(getpid());
  std::ofstream(path) << "test-secret-0123456789abcdef0123\n";
  testsupport::RemoveAtExit(path);
  Result r = Ctl(
      {"token", "--role", "operator", "--agency", "73.71", "--secret-file", path, "--ttl", "2h"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(r.out.back(), '\n');
  std::string token = r.out.substr(0, r.out.size() - 1);
  EXPECT_EQ(token.find('\n'), std::string::npos);
  auto verifier = auth::Verifier::FromHs256SecretFile(path, "", "");
  ASSERT_TRUE(verifier.ok());
  auto claims = verifier->Verify(token);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->role, auth::Role::kOperator);
  EXPECT_EQ(claims->agency, "73.71");
}

TEST(Cli, TokenWithAnUnknownRoleIsAUsageError) {
  Result r = Ctl({"token", "--role", "boss", "--secret-file", "/nonexistent"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("seimbangctl: unknown role 'boss'\n", 0), 0u);
}

TEST(Cli, ImportOfAMissingDirectoryIsAnErrorExitingFour) {
  Result r = Ctl({"--personnel", "127.0.0.1:1", "import", "/nonexistent-dir"});
  EXPECT_EQ(r.code, kExitError);
  EXPECT_EQ(r.err, "seimbangctl: cannot open /nonexistent-dir/agencies.csv\n");
}

}  // namespace
}  // namespace seimbang::ctl
