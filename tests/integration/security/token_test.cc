// Every RPC but health needs a valid bearer token: each way a token can be
// wrong, through a real call to a server started with --auth-issuer and
// --auth-audience (plaintext on loopback, as without --tls-cert).
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/auth/verifier.h"
#include "common/server/channel.h"
#include "common/server/server.h"
#include "gtest/gtest.h"
#include "tests/integration/security/pki.h"
#include "tests/integration/security/support.h"
#include "tests/integration/server/echo_service.h"

namespace seimbang::testing {
namespace {

const std::string kIssuer = "https://sso.makassarkota.go.id";
const std::string kAudience = "seimbang";

std::string B64Url(const std::string& s) {
  std::string out;
  absl::WebSafeBase64Escape(s, &out);  // unpadded, as JWS wants
  return out;
}

// A token with any header algorithm, signed by libjwt itself.
std::string LibjwtToken(jwt_alg_t alg, const std::string& key) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  jwt_add_grant(jwt, "sub", "mallory");
  jwt_add_grant(jwt, "role", "admin");
  jwt_add_grant(jwt, "iss", kIssuer.c_str());
  jwt_add_grant(jwt, "aud", kAudience.c_str());
  jwt_add_grant_int(jwt, "exp", absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  jwt_set_alg(jwt, alg, key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
              static_cast<int>(key.size()));
  char* s = jwt_encode_str(jwt);
  std::string out = s != nullptr ? s : "";
  free(s);
  jwt_free(jwt);
  return out;
}

// The encoded claims of an attacker's token: admin, the right issuer and audience, an hour left.
std::string AdminClaims() {
  return B64Url(absl::StrCat(R"({"sub":"mallory","role":"admin","iss":")", kIssuer, R"(","aud":")",
                             kAudience, R"(","exp":)",
                             absl::ToUnixSeconds(absl::Now() + absl::Hours(1)), "}"));
}

// In *token, a viewer's token of agency 73.71 with the right issuer and audience, signed
// by `algorithm` with the private key in `private_key_file`.
void MintViewerToken(auth::Algorithm algorithm, const std::string& private_key_file,
                     std::string* token) {
  absl::StatusOr<std::string> priv = auth::ReadKeyFile(private_key_file);
  ASSERT_TRUE(priv.ok());
  auth::MintOptions m;
  m.algorithm = algorithm;
  m.key = *priv;
  m.claims.subject = "andi";
  m.claims.role = auth::Role::kViewer;
  m.claims.agency = "73.71";
  m.issuer = kIssuer;
  m.audience = kAudience;
  absl::StatusOr<std::string> minted = auth::Mint(m);
  ASSERT_TRUE(minted.ok()) << minted.status();
  *token = *minted;
}

// A token with a header written by hand (as an attacker would) over admin
// claims, signed with HMAC (`md`) keyed on `key`.
std::string HandMadeHmacToken(const std::string& header_json, const EVP_MD* md,
                              const std::string& key) {
  const std::string input = B64Url(header_json) + "." + AdminClaims();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." + B64Url(std::string(reinterpret_cast<char*>(mac), len));
}

// The PKI only for its temp dir and keys.
class SecurityTokenTest : public PkiTest {
 protected:
  void TearDown() override {
    server_.reset();
    PkiTest::TearDown();
  }

  // HS256 with kSecret, or the public key in `public_key_file` when given.
  void StartServer(const std::string& public_key_file = "") {
    server::ServerConfig c = LocalEchoConfig();
    if (public_key_file.empty()) {
      c.auth_hs256_secret_file = WriteFile(pki_.dir, "hs256.secret", kSecret + "\n");
    } else {
      c.auth_public_key_file = public_key_file;
    }
    c.auth_issuer = kIssuer;
    c.auth_audience = kAudience;
    absl::StatusOr<std::unique_ptr<server::RunningServer>> s = StartEchoServer(c, &echo_);
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    channel_ = *server::MakeChannel("127.0.0.1:" + std::to_string(server_->port()), {});
  }

  TokenSpec Good() const {
    TokenSpec t;
    t.role = auth::Role::kOperator;
    t.agency = "73.71";
    t.issuer = kIssuer;
    t.audience = kAudience;
    return t;
  }

  // Asserts a token whose `field` is each of `values` in turn, all else good, is refused
  // with `message`.
  void ExpectRefusedWhenEach(std::string TokenSpec::*field, const std::vector<std::string>& values,
                             const std::string& message) {
    for (const std::string& value : values) {
      SCOPED_TRACE(value);
      TokenSpec t = Good();
      t.*field = value;
      ExpectRefused(MintToken(t), message);
    }
  }

  // Asserts the call is UNAUTHENTICATED with `message` and no handler ran.
  void ExpectRefused(const std::string& token, const std::string& message) {
    grpc::Status st = CallEcho(channel_, token);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << "token: " << token;
    EXPECT_EQ(st.error_message(), message) << "token: " << token;
    EXPECT_EQ(echo_.handled.load(), 0);
  }

  EchoService echo_;
  std::unique_ptr<server::RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(SecurityTokenTest, AValidTokenWithTheRightIssuerAndAudienceIsServed) {
  StartServer();
  v1::EchoResponse resp;
  grpc::Status st = CallEcho(channel_, MintToken(Good()), &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.caller_role(), "operator");
  EXPECT_EQ(echo_.handled.load(), 1);
}

TEST_F(SecurityTokenTest, HealthAnswersServingWithoutAToken) {
  StartServer();
  EXPECT_EQ(HealthStatus(channel_), "SERVING");
}

TEST_F(SecurityTokenTest, AMissingTokenIsUnauthenticated) {
  StartServer();
  ExpectRefused("", "missing bearer token");
}

TEST_F(SecurityTokenTest, AMalformedTokenIsUnauthenticated) {
  StartServer();
  ExpectRefused("abc", "token malformed");  // sent as "Bearer abc"
  ExpectRefused("a.b", "token malformed");
  ExpectRefused("!!!.???.***", "token malformed");
}

TEST_F(SecurityTokenTest, AnAuthorizationHeaderThatIsNotBearerIsUnauthenticated) {
  StartServer();
  auto ctx = server::ClientContextWithDeadline(5000);
  ctx->AddMetadata("authorization", "Basic YWRtaW46YWRtaW4=");
  v1::EchoRequest req;
  v1::EchoResponse resp;
  auto echo = v1::EchoService::NewStub(channel_);
  grpc::Status st = echo->Echo(ctx.get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(st.error_message(), "authorization is not a bearer token");
  EXPECT_EQ(echo_.handled.load(), 0);
}

TEST_F(SecurityTokenTest, AnExpiredTokenIsUnauthenticated) {
  StartServer();
  TokenSpec t = Good();
  t.issued_at = absl::Now() - absl::Hours(2);
  t.ttl = absl::Hours(1);
  ExpectRefused(MintToken(t), "token expired");
}

TEST_F(SecurityTokenTest, ATokenNotYetValidIsUnauthenticated) {
  StartServer();
  TokenSpec t = Good();
  t.issued_at = absl::Now() + absl::Minutes(10);  // nbf = iat, beyond 30 s of skew
  ExpectRefused(MintToken(t), "token not yet valid");
}

TEST_F(SecurityTokenTest, ATokenFromAnotherIssuerIsUnauthenticated) {
  StartServer();
  ExpectRefusedWhenEach(&TokenSpec::issuer, {"https://sso.example.org", ""},
                        "token issuer mismatch");
}

TEST_F(SecurityTokenTest, ATokenForAnotherAudienceIsUnauthenticated) {
  StartServer();
  ExpectRefusedWhenEach(&TokenSpec::audience, {"simpeg", ""}, "token audience mismatch");
}

TEST_F(SecurityTokenTest, AnHs512TokenIsUnauthenticatedEvenWithTheRightSecret) {
  StartServer();
  ExpectRefused(LibjwtToken(JWT_ALG_HS512, kSecret), "token algorithm HS512 not accepted");
}

TEST_F(SecurityTokenTest, AnUnsignedAlgNoneTokenIsUnauthenticated) {
  StartServer();
  ExpectRefused(LibjwtToken(JWT_ALG_NONE, ""), "token algorithm none not accepted");
  // Written by hand, as an attacker would, with and without the trailing dot.
  const std::string header = B64Url(R"({"alg":"none","typ":"JWT"})");
  const std::string claims = AdminClaims();
  ExpectRefused(header + "." + claims + ".", "token algorithm none not accepted");
  ExpectRefused(B64Url(R"({"alg":"NONE"})") + "." + claims + ".",
                "token algorithm NONE not accepted");
}

TEST_F(SecurityTokenTest, ATokenSignedWithAnotherSecretIsUnauthenticated) {
  StartServer();
  TokenSpec t = Good();
  t.key = "another-secret-of-more-than-32-bytes-xyz";
  ExpectRefused(MintToken(t), "token signature invalid");
}

TEST_F(SecurityTokenTest, ATamperedPayloadBreaksTheSignature) {
  StartServer();
  const std::string token = MintToken(Good());
  const size_t a = token.find('.');
  const size_t b = token.find('.', a + 1);
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token.substr(a + 1, b - a - 1), &payload));
  // Promote the operator to admin, keep the original signature.
  const size_t role = payload.find("\"operator\"");
  ASSERT_NE(role, std::string::npos) << payload;
  payload.replace(role, 10, "\"admin\"");
  ExpectRefused(token.substr(0, a + 1) + B64Url(payload) + token.substr(b),
                "token signature invalid");
  // And a flipped signature character on an untouched token.
  std::string flipped = token;
  flipped[b + 5] = flipped[b + 5] == 'A' ? 'B' : 'A';
  ExpectRefused(flipped, "token signature invalid");
}

// The classic key-confusion attack: a server that verifies ES256 with a
// public key must not accept an HS256 token using that public key as secret.
TEST_F(SecurityTokenTest, AnHs256TokenKeyedWithTheServersPublicKeyIsUnauthenticated) {
  ASSERT_EQ(std::system(("cd '" + pki_.dir +
                         "' && openssl ec -in server.key -pubout -out server.pub 2>/dev/null")
                            .c_str()),
            0);
  const std::string pub_path = pki_.dir + "/server.pub";
  StartServer(pub_path);
  absl::StatusOr<std::string> pub = auth::ReadKeyFile(pub_path);
  ASSERT_TRUE(pub.ok());
  TokenSpec t = Good();
  t.key = *pub;
  ExpectRefused(MintToken(t), "token algorithm HS256 not accepted");

  // The same claims signed ES256 with the private key are served.
  std::string es;
  ASSERT_NO_FATAL_FAILURE(MintViewerToken(auth::Algorithm::kES256, pki_.server_key, &es));
  v1::EchoResponse resp;
  grpc::Status st = CallEcho(channel_, es, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.caller_role(), "viewer");
}

// Issue 15 item 1 (SECURITY.md T1), the algorithm-confusion hole: with a
// public key configured, a header carrying two "alg" members, a nested "alg",
// an "alg" in other case, or any HMAC algorithm keyed on the public key's PEM
// bytes was accepted (the header was searched for "alg" as a substring while
// libjwt took the last member and verified HMAC with the PEM as secret). Every
// such token is now UNAUTHENTICATED and no handler runs, on RS256 and ES256.
class AlgorithmConfusionTest : public SecurityTokenTest,
                               public ::testing::WithParamInterface<std::string> {};

TEST_P(AlgorithmConfusionTest, NoHeaderTrickOrHmacKeyedOnThePublicKeyIsAccepted) {
  const std::string configured = GetParam();  // "RS256" or "ES256"
  const std::string keygen = configured == "RS256"
                                 ? "openssl genrsa -out signer.key 2048 2>/dev/null && "
                                   "openssl rsa -in signer.key -pubout -out signer.pub 2>/dev/null"
                                 : "openssl ec -in server.key -pubout -out signer.pub 2>/dev/null";
  ASSERT_EQ(std::system(("cd '" + pki_.dir + "' && " + keygen).c_str()), 0);
  const std::string pub_path = pki_.dir + "/signer.pub";
  StartServer(pub_path);
  absl::StatusOr<std::string> pub = auth::ReadKeyFile(pub_path);
  ASSERT_TRUE(pub.ok());
  const std::string& k = *pub;
  const std::string a = R"("alg":")" + configured + R"(")";

  struct Case {
    std::string header;
    const EVP_MD* md;
  };
  const std::vector<Case> cases = {
      // Two alg members, in both orders: a lenient parser takes one or the other.
      {"{" + a + R"(,"alg":"HS256","typ":"JWT"})", EVP_sha256()},
      {R"({"alg":"HS256",)" + a + R"(,"typ":"JWT"})", EVP_sha256()},
      // A nested alg beside (or instead of) the top-level one.
      {R"({"x":{)" + a + R"(},"alg":"HS256"})", EVP_sha256()},
      {R"({"alg":"HS256","x":{)" + a + R"(}})", EVP_sha256()},
      {R"({"jwk":{)" + a + R"(}})", EVP_sha256()},
      // The configured name in other case.
      {R"({"alg":")" + absl::AsciiStrToLower(configured) + R"("})", EVP_sha256()},
      // Plain HMAC algorithms keyed on the public key's PEM bytes.
      {R"({"alg":"HS256","typ":"JWT"})", EVP_sha256()},
      {R"({"alg":"HS384","typ":"JWT"})", EVP_sha384()},
      {R"({"alg":"HS512","typ":"JWT"})", EVP_sha512()},
      // The configured alg in the header, but HMAC over the PEM as signature.
      {"{" + a + R"(,"typ":"JWT"})", EVP_sha256()},
      // Not JSON objects at all.
      {"[" + a.substr(0, 0) + R"("alg","HS256"])", EVP_sha256()},
  };
  for (const Case& c : cases) {
    const std::string token = HandMadeHmacToken(c.header, c.md, k);
    grpc::Status st = CallEcho(channel_, token);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << c.header;
  }
  // libjwt's own HMAC tokens keyed on the PEM, and an unsigned one.
  for (jwt_alg_t alg : {JWT_ALG_HS256, JWT_ALG_HS384, JWT_ALG_HS512}) {
    grpc::Status st = CallEcho(channel_, LibjwtToken(alg, k));
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << alg;
  }
  EXPECT_EQ(CallEcho(channel_, LibjwtToken(JWT_ALG_NONE, "")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(echo_.handled.load(), 0);

  // The same claims properly signed with the private key are served.
  std::string good;
  ASSERT_NO_FATAL_FAILURE(
      MintViewerToken(configured == "RS256" ? auth::Algorithm::kRS256 : auth::Algorithm::kES256,
                      configured == "RS256" ? pki_.dir + "/signer.key" : pki_.server_key, &good));
  grpc::Status st = CallEcho(channel_, good);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(echo_.handled.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(PublicKeyAlgorithms, AlgorithmConfusionTest,
                         ::testing::Values("RS256", "ES256"));

// Issue 15 item 6 applied to tokens: a huge algorithm name is refused with a
// bounded message, not echoed back whole.
TEST_F(SecurityTokenTest, AnOversizedTokenOrAlgorithmNameGetsABoundedMessage) {
  StartServer();
  const std::string long_alg(5000, 'X');
  grpc::Status st = CallEcho(
      channel_, HandMadeHmacToken(R"({"alg":")" + long_alg + R"("})", EVP_sha256(), kSecret));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_LT(st.error_message().size(), 64u) << st.error_message().substr(0, 80);
  // (A token over 8 KiB never reaches the verifier: gRPC's metadata limit
  // refuses the call first; the verifier's own 8 KiB cap is the second wall.)
}

}  // namespace
}  // namespace seimbang::testing
