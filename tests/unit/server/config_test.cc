#include "common/server/config.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "common/server/channel.h"
#include "gtest/gtest.h"

namespace seimbang::server {
namespace {

const ServerDefaults kDefaults{"personnel", "0.0.0.0:7001", "0.0.0.0:9101"};

absl::StatusOr<ServerConfig> Parse(std::vector<const char*> args, const Env& env = {},
                                   const std::vector<ExtraFlag>& extra = {}) {
  args.insert(args.begin(), "personnel");
  return ParseServerConfig(static_cast<int>(args.size()), args.data(), env, kDefaults, extra);
}

void ExpectError(const absl::StatusOr<ServerConfig>& c, const std::string& msg) {
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(), msg);
}

TEST(ServerConfig, UsesTheServiceDefaults) {
  absl::StatusOr<ServerConfig> c = Parse({"--insecure-dev"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen, "0.0.0.0:7001");
  EXPECT_EQ(c->metrics_listen, "0.0.0.0:9101");
  EXPECT_EQ(c->db, "sqlite:./var/personnel.db");
  EXPECT_EQ(c->shutdown_grace, absl::Seconds(10));
  EXPECT_TRUE(c->insecure_dev);
}

TEST(ServerConfig, AFlagWinsOverItsEnvironmentVariable) {
  Env env{{"SEIMBANG_LISTEN", "127.0.0.1:8000"},
          {"SEIMBANG_DB", "sqlite:/tmp/x.db"},
          {"SEIMBANG_AUTH_HS256_SECRET_FILE", "/run/secret"}};
  absl::StatusOr<ServerConfig> c = Parse({"--listen", "127.0.0.1:9000"}, env);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen, "127.0.0.1:9000");
  EXPECT_EQ(c->db, "sqlite:/tmp/x.db");
  EXPECT_EQ(c->auth_hs256_secret_file, "/run/secret");
}

TEST(ServerConfig, AcceptsNameEqualsValue) {
  absl::StatusOr<ServerConfig> c =
      Parse({"--listen=[::1]:0", "--insecure-dev", "--shutdown-grace=2s"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen, "[::1]:0");
  EXPECT_EQ(c->shutdown_grace, absl::Seconds(2));
}

TEST(ServerConfig, RejectsAListenAddressWithoutPort) {
  ExpectError(Parse({"--insecure-dev", "--listen", "127.0.0.1"}),
              "--listen: '127.0.0.1' is not host:port");
  ExpectError(Parse({"--insecure-dev", "--metrics-listen", "x:99999"}),
              "--metrics-listen: 'x:99999' is not host:port");
}

TEST(ServerConfig, RejectsHalfATlsConfiguration) {
  ExpectError(Parse({"--insecure-dev", "--tls-cert", "c.pem"}),
              "--tls-cert given without --tls-key");
  ExpectError(Parse({"--insecure-dev", "--tls-key", "k.pem"}),
              "--tls-key given without --tls-cert");
  ExpectError(Parse({"--insecure-dev", "--tls-ca", "ca.pem"}), "--tls-ca given without --tls-cert");
}

TEST(ServerConfig, RequiresAnAuthKeyUnlessInsecureDev) {
  ExpectError(Parse({}),
              "no auth key configured: pass --auth-public-key-file or "
              "--auth-hs256-secret-file, or --insecure-dev for local "
              "development");
  ExpectError(Parse({"--auth-public-key-file", "a", "--auth-hs256-secret-file", "b"}),
              "pass only one of --auth-public-key-file and "
              "--auth-hs256-secret-file");
}

TEST(ServerConfig, MigrationsAreAppliedAtStartUnlessOnlyOrVerifyIsAsked) {
  absl::StatusOr<ServerConfig> c = Parse({"--insecure-dev"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->migrations, "apply");
  c = Parse({"--insecure-dev", "--migrations=only"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->migrations, "only");
  c = Parse({"--insecure-dev"}, {{"SEIMBANG_MIGRATIONS", "verify"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->migrations, "verify");
  ExpectError(Parse({"--insecure-dev", "--migrations", "later"}),
              "--migrations: 'later' is not one of apply, only, verify");
}

TEST(ServerConfig, RejectsUnknownFlagsAndMissingValues) {
  ExpectError(Parse({"--lisen", "x"}), "unknown flag --lisen");
  ExpectError(Parse({"--insecure-dev", "--db"}), "--db needs a value");
  ExpectError(Parse({"stray"}), "unexpected argument 'stray'");
  ExpectError(Parse({"--insecure-dev", "--log-level", "loud"}),
              "--log-level: 'loud' is not one of debug, info, warn, error");
  ExpectError(Parse({"--insecure-dev", "--shutdown-grace", "soon"}),
              "--shutdown-grace: 'soon' is not a duration (e.g. 10s)");
}

TEST(ServerConfig, ServiceFlagsTakeDefaultEnvAndFlagInThatOrder) {
  std::vector<ExtraFlag> extra{
      {"personnel-addr", "SEIMBANG_PERSONNEL_ADDR", "dns:///personnel:7001", "personnel target"}};
  absl::StatusOr<ServerConfig> c = Parse({"--insecure-dev"}, {}, extra);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->extra.at("personnel-addr"), "dns:///personnel:7001");
  c = Parse({"--insecure-dev"}, {{"SEIMBANG_PERSONNEL_ADDR", "a:1"}}, extra);
  EXPECT_EQ(c->extra.at("personnel-addr"), "a:1");
  c = Parse({"--insecure-dev", "--personnel-addr", "b:2"}, {{"SEIMBANG_PERSONNEL_ADDR", "a:1"}},
            extra);
  EXPECT_EQ(c->extra.at("personnel-addr"), "b:2");
}

TEST(ServerConfig, HelpSkipsValidationAndListsEveryFlagWithItsVariable) {
  absl::StatusOr<ServerConfig> c = Parse({"--help"});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->help);
  std::string help =
      HelpText("personnel", kDefaults, {{"personnel-addr", "SEIMBANG_PERSONNEL_ADDR", "", "x"}});
  for (const char* s : {"--listen", "SEIMBANG_LISTEN", "0.0.0.0:7001", "--insecure-dev", "--tls-ca",
                        "--personnel-addr", "sqlite:./var/personnel.db"}) {
    EXPECT_NE(help.find(s), std::string::npos) << s;
  }
}

// A downstream deadline flag (transfer's --downstream-deadline-ms, workload's
// --personnel-deadline-ms): a positive whole number of milliseconds, else INVALID_ARGUMENT
// naming the flag.
TEST(ServerConfig, ADeadlineFlagIsAPositiveNumberOfMilliseconds) {
  ServerConfig c;
  c.extra["personnel-deadline-ms"] = "2500";
  absl::StatusOr<int64_t> ms = DeadlineMsFromConfig(c, "personnel-deadline-ms");
  ASSERT_TRUE(ms.ok()) << ms.status();
  EXPECT_EQ(*ms, 2500);
  for (const char* bad : {"0", "-5", "", "12x", "1.5"}) {
    c.extra["personnel-deadline-ms"] = bad;
    ms = DeadlineMsFromConfig(c, "personnel-deadline-ms");
    ASSERT_FALSE(ms.ok()) << bad;
    EXPECT_EQ(ms.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ms.status().message(),
              "--personnel-deadline-ms must be a positive number of milliseconds");
  }
}

// --service-token-file: empty means no token of the service's own (the caller's is forwarded);
// a file is read and trimmed; a file that cannot be read is NOT_FOUND naming it.
TEST(ServerConfig, TheServiceTokenComesFromItsFileTrimmed) {
  ServerConfig c;
  c.extra["service-token-file"] = "";
  absl::StatusOr<std::string> token = ServiceTokenFromConfig(c);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(*token, "");

  const std::string path = ::testing::TempDir() + "/service-token";
  std::ofstream(path) << "  eyJ.token.sig\n";
  c.extra["service-token-file"] = path;
  token = ServiceTokenFromConfig(c);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(*token, "eyJ.token.sig");
  std::remove(path.c_str());

  token = ServiceTokenFromConfig(c);
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(token.status().message(), "--service-token-file: cannot read " + path);
}

}  // namespace
}  // namespace seimbang::server
