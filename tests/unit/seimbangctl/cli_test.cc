// seimbangctl's command line: usage errors exit 2 before any call is made.
#include "tools/seimbangctl/cli.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "common/auth/verifier.h"
#include "gtest/gtest.h"

namespace seimbang::ctl {
namespace {

struct Result {
  int code;
  std::string out, err;
};

Result Ctl(const std::vector<std::string>& argv) {
  std::ostringstream out, err;
  int code = RunCli(argv, {}, out, err);
  return {code, out.str(), err.str()};
}

TEST(ParseArgs, GlobalFlagsComeBeforeTheCommandAndCommandFlagsAfter) {
  auto a = ParseArgs({"--output", "json", "plan", "moves", "p1", "--top=10", "--by-id"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->global.at("output"), "json");
  EXPECT_EQ(a->words, (std::vector<std::string>{"plan", "moves", "p1"}));
  EXPECT_EQ(a->flags.at("top"), "10");
  EXPECT_TRUE(a->switches.count("by-id"));
}

TEST(ParseArgs, AnUnknownGlobalFlagIsNamed) {
  EXPECT_EQ(ParseArgs({"--agency", "73.71", "plan"}).status().message(),
            "unknown global flag --agency (global flags come before the command)");
}

TEST(Cli, NoCommandIsAUsageErrorExitingTwo) {
  Result r = Ctl({});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("usage: seimbangctl"), std::string::npos);
}

TEST(Cli, AnUnknownCommandIsAUsageError) {
  Result r = Ctl({"frobnicate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("seimbangctl: unknown command 'frobnicate'\n", 0), 0u);
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
  EXPECT_EQ(r.err.rfind("seimbangctl: --output must be table, json or csv\n", 0), 0u);
}

TEST(Cli, ResolvingAnObjectionNeedsExactlyOneOfAcceptOrReject) {
  Result r = Ctl({"objection", "resolve", "o1", "--accept", "--reject"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("seimbangctl: give exactly one of --accept or --reject\n", 0), 0u);
}

TEST(Cli, TokenPrintsOnlyAVerifiableTokenWithTheRoleAndAgency) {
  const std::string path = ::testing::TempDir() + "/ctl-secret-" + std::to_string(getpid());
  std::ofstream(path) << "test-secret-0123456789abcdef0123\n";
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
