#include "common/auth/verifier.h"

#include <jwt.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace seimbang::auth {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-secret";
const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);

Verifier HsVerifier(std::string issuer = "", std::string audience = "") {
  VerifierOptions o;
  o.algorithm = Algorithm::kHS256;
  o.key = kSecret;
  o.issuer = std::move(issuer);
  o.audience = std::move(audience);
  o.now = [] { return kNow; };
  return Verifier(std::move(o));
}

MintOptions Operator() {
  MintOptions m;
  m.key = kSecret;
  m.claims.subject = "andi";
  m.claims.role = Role::kOperator;
  m.claims.agency = "73.71";
  m.issued_at = kNow - absl::Minutes(1);
  return m;
}

std::string MintOk(const MintOptions& m) {
  absl::StatusOr<std::string> t = Mint(m);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.value_or("");
}

// A token with arbitrary algorithm and grants, signed by libjwt directly.
std::string RawToken(jwt_alg_t alg, const std::string& key, const char* role) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  jwt_add_grant(jwt, "sub", "x");
  jwt_add_grant(jwt, "role", role);
  jwt_add_grant_int(jwt, "exp", absl::ToUnixSeconds(kNow) + 600);
  jwt_set_alg(jwt, alg, key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
              static_cast<int>(key.size()));
  char* s = jwt_encode_str(jwt);
  std::string out = s ? s : "";
  free(s);
  jwt_free(jwt);
  return out;
}

void ExpectUnauthenticated(const absl::StatusOr<Claims>& c, const std::string& msg) {
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(c.status().message(), msg);
}

TEST(Verifier, AcceptsAValidHs256TokenAndReturnsItsClaims) {
  absl::StatusOr<Claims> c = HsVerifier().Verify(MintOk(Operator()));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->subject, "andi");
  EXPECT_EQ(c->role, Role::kOperator);
  EXPECT_EQ(c->agency, "73.71");
  EXPECT_EQ(c->nip, "");
}

TEST(Verifier, RejectsAnExpiredTokenBeyondThirtySecondsOfSkew) {
  MintOptions m = Operator();
  m.issued_at = kNow - absl::Hours(1) - absl::Seconds(31);
  ExpectUnauthenticated(HsVerifier().Verify(MintOk(m)), "token expired");
}

TEST(Verifier, ToleratesExpiryWithinThirtySecondsOfSkew) {
  MintOptions m = Operator();
  m.issued_at = kNow - absl::Hours(1) - absl::Seconds(29);
  EXPECT_TRUE(HsVerifier().Verify(MintOk(m)).ok());
}

TEST(Verifier, RejectsATokenNotYetValid) {
  MintOptions m = Operator();
  m.issued_at = kNow + absl::Minutes(5);
  ExpectUnauthenticated(HsVerifier().Verify(MintOk(m)), "token not yet valid");
}

TEST(Verifier, RejectsATokenSignedWithAnotherSecret) {
  MintOptions m = Operator();
  m.key = "another-secret-another-secret-another";
  ExpectUnauthenticated(HsVerifier().Verify(MintOk(m)), "token signature invalid");
}

TEST(Verifier, RejectsATamperedPayload) {
  std::string t = MintOk(Operator());
  MintOptions admin = Operator();
  admin.claims.role = Role::kAdmin;
  std::string other = MintOk(admin);
  // Header and signature of one token, payload of another.
  size_t a1 = t.find('.'), a2 = t.rfind('.');
  size_t b1 = other.find('.'), b2 = other.rfind('.');
  std::string forged = t.substr(0, a1) + other.substr(b1, b2 - b1) + t.substr(a2);
  ExpectUnauthenticated(HsVerifier().Verify(forged), "token signature invalid");
}

TEST(Verifier, RejectsAnyOtherAlgorithmThanTheConfiguredOne) {
  ExpectUnauthenticated(HsVerifier().Verify(RawToken(JWT_ALG_HS512, kSecret, "admin")),
                        "token algorithm HS512 not accepted");
}

TEST(Verifier, RejectsUnsignedAlgNoneTokens) {
  ExpectUnauthenticated(HsVerifier().Verify(RawToken(JWT_ALG_NONE, "", "admin")),
                        "token algorithm none not accepted");
}

TEST(Verifier, RejectsAnUnknownRole) {
  ExpectUnauthenticated(HsVerifier().Verify(RawToken(JWT_ALG_HS256, kSecret, "boss")),
                        "unknown role 'boss'");
}

TEST(Verifier, RejectsGarbage) {
  ExpectUnauthenticated(HsVerifier().Verify("not-a-jwt"), "token malformed");
  ExpectUnauthenticated(HsVerifier().Verify(""), "missing bearer token");
}

TEST(Verifier, ChecksIssuerAndAudienceWhenConfigured) {
  MintOptions m = Operator();
  m.issuer = "seimbang-dev";
  m.audience = "personnel";
  EXPECT_TRUE(HsVerifier("seimbang-dev", "personnel").Verify(MintOk(m)).ok());
  ExpectUnauthenticated(HsVerifier("bkn", "").Verify(MintOk(m)), "token issuer mismatch");
  ExpectUnauthenticated(HsVerifier("", "transfer").Verify(MintOk(m)), "token audience mismatch");
}

TEST(Verifier, ScopedRolesMustNameTheirAgencyAndEmployeesTheirNip) {
  MintOptions m = Operator();
  m.claims.agency = "";
  ExpectUnauthenticated(HsVerifier().Verify(MintOk(m)),
                        "token of role operator has no agency claim");
  m.claims.role = Role::kEmployee;
  m.claims.agency = "73.71";
  ExpectUnauthenticated(HsVerifier().Verify(MintOk(m)), "token of role employee has no nip claim");
  m.claims.role = Role::kAdmin;
  m.claims.agency = "";
  EXPECT_TRUE(HsVerifier().Verify(MintOk(m)).ok());
}

std::string Shell(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[256];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  if (p) pclose(p);
  return out;
}

// RS256 and ES256 with keys made by the openssl command line tool.
class AsymmetricTest : public ::testing::TestWithParam<const char*> {};

TEST_P(AsymmetricTest, VerifiesWithThePublicKeyFileAndRejectsOtherKeys) {
  const std::string dir = ::testing::TempDir();
  const std::string kind = GetParam();
  const std::string gen = kind == "rsa"
                              ? "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048"
                              : "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256";
  const std::string priv = dir + "/" + kind + ".key", pub = dir + "/" + kind + ".pub";
  const std::string priv2 = dir + "/" + kind + "2.key";
  Shell(gen + " -out " + priv + " 2>/dev/null && " + gen + " -out " + priv2 +
        " 2>/dev/null && openssl pkey -in " + priv + " -pubout -out " + pub);
  absl::StatusOr<Verifier> v = Verifier::FromPublicKeyFile(pub, "", "");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->algorithm(), kind == "rsa" ? Algorithm::kRS256 : Algorithm::kES256);

  MintOptions m = Operator();
  m.issued_at = absl::Now();
  m.algorithm = v->algorithm();
  m.key = *ReadKeyFile(priv);
  EXPECT_TRUE(v->Verify(MintOk(m)).ok());
  m.key = *ReadKeyFile(priv2);
  ExpectUnauthenticated(v->Verify(MintOk(m)), "token signature invalid");
  // The HS256 algorithm-confusion attack: the public key used as HMAC secret.
  ExpectUnauthenticated(v->Verify(RawToken(JWT_ALG_HS256, *ReadKeyFile(pub), "admin")),
                        "token algorithm HS256 not accepted");
}

INSTANTIATE_TEST_SUITE_P(Keys, AsymmetricTest, ::testing::Values("rsa", "ec"));

TEST(Verifier, RefusesShortHs256Secrets) {
  const std::string path = ::testing::TempDir() + "/short-" + std::to_string(getpid()) + ".secret";
  FILE* f = fopen(path.c_str(), "w");
  fputs("short\n", f);
  fclose(f);
  absl::StatusOr<Verifier> v = Verifier::FromHs256SecretFile(path, "", "");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(), "HS256 secret in " + path + " is shorter than 32 bytes");
}

}  // namespace
}  // namespace seimbang::auth
