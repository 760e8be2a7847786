// seimbangctl as an operator uses it in production: personnel-service started
// with mTLS (a throwaway CA), an ES256 public key and a required issuer and
// audience; seimbangctl mints the token from the private key and calls the
// service with its client certificate.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/auth/verifier.h"
#include "tests/harness/service_process.h"
#include "tests/integration/security/pki.h"
#include "tests/support/test_db.h"
#include "tools/seimbangctl/cli.h"

namespace seimbang::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kIssuer[] = "https://sso.makassarkota.go.id";
constexpr char kAudience[] = "seimbang";

struct Result {
  int code;
  std::string out, err;
};

bool Openssl(const std::string& dir, const std::string& cmd) {
  return std::system(absl::StrCat("cd '", dir, "' && ", cmd, " >> keys.log 2>&1").c_str()) == 0;
}

class SeimbangctlTlsTest : public PkiTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(PkiTest::SetUp());
    // The identity provider's signing keys: ES256 for the service, RS256 on the side.
    ASSERT_TRUE(Openssl(pki_.dir, "openssl ecparam -name prime256v1 -genkey -noout -out ec.key"));
    ASSERT_TRUE(Openssl(pki_.dir, "openssl ec -in ec.key -pubout -out ec.pub"));
    ASSERT_TRUE(Openssl(
        pki_.dir, "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key"));
    ASSERT_TRUE(Openssl(pki_.dir, "openssl pkey -in rsa.key -pubout -out rsa.pub"));

    ServiceProcessOptions o;
    o.args = {"--db=" + testsupport::FreshSqliteDsn(),
              "--tls-cert=" + pki_.server_cert,
              "--tls-key=" + pki_.server_key,
              "--tls-ca=" + pki_.ca_cert,
              "--auth-public-key-file=" + pki_.dir + "/ec.pub",
              std::string("--auth-issuer=") + kIssuer,
              std::string("--auth-audience=") + kAudience};
    auto p = ServiceProcess::Start("personnel-service", o);
    ASSERT_TRUE(p.ok()) << p.status();
    personnel_ = std::make_unique<ServiceProcess>(*std::move(p));
  }
  void TearDown() override {
    personnel_.reset();
    PkiTest::TearDown();
  }

  Result Ctl(const std::vector<std::string>& argv,
             const std::map<std::string, std::string>& env = {}) {
    std::ostringstream out, err;
    std::map<std::string, std::string> english = env;
    english.emplace("SEIMBANG_LANG", "en");  // the hints below are the catalogue's English
    const int code = ctl::RunCli(argv, english, out, err);
    return {code, out.str(), err.str()};
  }

  // `seimbangctl token` for an operator of 73.71, signed with `key` (a file in the PKI dir).
  std::string MintWith(const std::string& key, bool with_issuer_and_audience = true) {
    std::vector<std::string> argv = {"token",
                                     "--role",
                                     "operator",
                                     "--agency",
                                     "73.71",
                                     "--private-key-file",
                                     pki_.dir + "/" + key};
    if (with_issuer_and_audience) {
      argv.insert(argv.end(), {"--issuer", kIssuer, "--audience", kAudience});
    }
    Result r = Ctl(argv);
    EXPECT_EQ(r.code, 0) << r.err;
    return std::string(absl::StripAsciiWhitespace(r.out));
  }

  // `employees list` against personnel with the given TLS flags.
  Result ListEmployees(const std::string& token, const std::vector<std::string>& tls_flags,
                       const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> argv = {"--personnel", personnel_->address(), "--token", token};
    argv.insert(argv.end(), tls_flags.begin(), tls_flags.end());
    argv.insert(argv.end(), {"employees", "list", "--agency", "73.71"});
    return Ctl(argv, env);
  }

  std::vector<std::string> MtlsFlags() const {
    return {"--tls-ca", pki_.ca_cert, "--tls-cert", pki_.client_cert, "--tls-key", pki_.client_key};
  }

  std::unique_ptr<ServiceProcess> personnel_;
};

TEST_F(SeimbangctlTlsTest, WithTheClientCertificateAndAMintedEs256TokenTheServiceAnswers) {
  const std::string token = MintWith("ec.key");
  ASSERT_FALSE(token.empty());
  Result r = ListEmployees(token, MtlsFlags());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

TEST_F(SeimbangctlTlsTest, TlsFlagsAlsoComeFromTheEnvironment) {
  Result r = ListEmployees(MintWith("ec.key"), {},
                           {{"SEIMBANG_TLS_CA", pki_.ca_cert},
                            {"SEIMBANG_TLS_CERT", pki_.client_cert},
                            {"SEIMBANG_TLS_KEY", pki_.client_key}});
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(SeimbangctlTlsTest, WithoutAClientCertificateItFailsAndSaysWhichFlagsAreMissing) {
  Result r = ListEmployees(MintWith("ec.key"), {"--tls-ca", pki_.ca_cert});
  EXPECT_EQ(r.code, ctl::kExitError);
  EXPECT_THAT(r.err, HasSubstr("(UNAVAILABLE)"));
  EXPECT_THAT(r.err, HasSubstr("hint: if the service requires client certificates (mTLS), "
                               "pass --tls-cert and --tls-key"));
}

TEST_F(SeimbangctlTlsTest, InPlaintextItFailsAndPointsAtTheTlsFlags) {
  Result r = ListEmployees(MintWith("ec.key"), {});
  EXPECT_EQ(r.code, ctl::kExitError);
  EXPECT_THAT(r.err, HasSubstr("(UNAVAILABLE)"));
  EXPECT_THAT(r.err, HasSubstr("hint: if the service serves TLS, pass --tls-ca"));
}

TEST_F(SeimbangctlTlsTest, AClientCertificateFromAnotherCaIsRefused) {
  Result r = ListEmployees(MintWith("ec.key"),
                           {"--tls-ca", pki_.ca_cert, "--tls-cert", pki_.other_client_cert,
                            "--tls-key", pki_.other_client_key});
  EXPECT_EQ(r.code, ctl::kExitError);
  EXPECT_THAT(r.err, HasSubstr("(UNAVAILABLE)"));
}

TEST_F(SeimbangctlTlsTest, ATokenWithoutTheServicesIssuerAndAudienceIsUnauthenticated) {
  Result r = ListEmployees(MintWith("ec.key", /*with_issuer_and_audience=*/false), MtlsFlags());
  EXPECT_EQ(r.code, ctl::kExitError);
  EXPECT_THAT(r.err, HasSubstr("(UNAUTHENTICATED)"));
}

TEST_F(SeimbangctlTlsTest, ATokenSignedWithAnotherKeyIsUnauthenticated) {
  Result r = ListEmployees(MintWith("rsa.key"), MtlsFlags());
  EXPECT_EQ(r.code, ctl::kExitError);
  EXPECT_THAT(r.err, HasSubstr("(UNAUTHENTICATED)"));
}

TEST_F(SeimbangctlTlsTest, AnRsaPrivateKeyMintsAnRs256TokenWithIssuerAndAudience) {
  const std::string token = MintWith("rsa.key");
  auto verifier = auth::Verifier::FromPublicKeyFile(pki_.dir + "/rsa.pub", kIssuer, kAudience);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ(verifier->algorithm(), auth::Algorithm::kRS256);
  auto claims = verifier->Verify(token);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->role, auth::Role::kOperator);
  EXPECT_EQ(claims->agency, "73.71");
  EXPECT_EQ(claims->subject, "seimbangctl-operator");
  // The same token without the audience the verifier wants is refused.
  auto strict = auth::Verifier::FromPublicKeyFile(pki_.dir + "/rsa.pub", kIssuer, "another");
  ASSERT_TRUE(strict.ok());
  EXPECT_FALSE(strict->Verify(token).ok());
}

TEST_F(SeimbangctlTlsTest, KeyAndTlsFlagsThatDoNotGoTogetherAreUsageErrors) {
  Result both = Ctl({"token", "--role", "admin", "--secret-file", pki_.dir + "/ec.key",
                     "--private-key-file", pki_.dir + "/ec.key"});
  EXPECT_EQ(both.code, ctl::kExitUsage);
  EXPECT_THAT(both.err, HasSubstr("give one of --secret-file (HS256) or --private-key-file "
                                  "(RS256/ES256 PEM private key)"));
  Result not_a_key = Ctl({"token", "--role", "admin", "--private-key-file", pki_.dir + "/ec.pub"});
  EXPECT_EQ(not_a_key.code, ctl::kExitError);
  EXPECT_THAT(not_a_key.err, HasSubstr("ec.pub holds no PEM private key"));
  Result cert_without_ca =
      ListEmployees("t", {"--tls-cert", pki_.client_cert, "--tls-key", pki_.client_key});
  EXPECT_EQ(cert_without_ca.code, ctl::kExitUsage);
  EXPECT_THAT(cert_without_ca.err,
              HasSubstr("--tls-cert needs --tls-ca (the CA that signed the services' "
                        "certificates)"));
  Result cert_without_key =
      ListEmployees("t", {"--tls-ca", pki_.ca_cert, "--tls-cert", pki_.client_cert});
  EXPECT_EQ(cert_without_key.code, ctl::kExitUsage);
  EXPECT_THAT(cert_without_key.err, HasSubstr("--tls-cert and --tls-key go together"));
}

}  // namespace
}  // namespace seimbang::testing
