#include "common/auth/verifier.h"

#include <jansson.h>
#include <jwt.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/domain/enum_names.h"

namespace seimbang::auth {
namespace {

// The JOSE "alg" names (RFC 7518).
constexpr domain::EnumName<Algorithm> kAlgorithmNames[] = {
    {Algorithm::kHS256, "HS256"}, {Algorithm::kRS256, "RS256"}, {Algorithm::kES256, "ES256"}};
static_assert(domain::CoversEveryValue(kAlgorithmNames, Algorithm::kHS256, Algorithm::kES256));

struct JwtFree {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

jwt_alg_t ToJwtAlg(Algorithm alg) {
  switch (alg) {
    case Algorithm::kHS256:
      return JWT_ALG_HS256;
    case Algorithm::kRS256:
      return JWT_ALG_RS256;
    case Algorithm::kES256:
      return JWT_ALG_ES256;
  }
  return JWT_ALG_INVAL;
}

absl::Status Unauthenticated(std::string_view msg) {
  return absl::UnauthenticatedError(std::string(msg));
}

std::string Grant(jwt_t* jwt, const char* name) {
  const char* v = jwt_get_grant(jwt, name);
  return v == nullptr ? std::string() : std::string(v);
}

// Returns false when the claim is absent or not an integer.
bool IntGrant(jwt_t* jwt, const char* name, long* out) {
  errno = 0;
  long v = jwt_get_grant_int(jwt, name);
  if (errno != 0) return false;
  *out = v;
  return true;
}

bool AudienceMatches(jwt_t* jwt, const std::string& want) {
  const char* s = jwt_get_grant(jwt, "aud");
  if (s != nullptr) return want == s;
  // An array audience: look for the exact quoted value among its members.
  char* json = jwt_get_grants_json(jwt, "aud");
  if (json == nullptr) return false;
  bool found = absl::StrContains(json, absl::StrCat("\"", want, "\""));
  free(json);
  return found;
}

// Tokens are a few hundred bytes; anything far larger is refused before parsing.
constexpr size_t kMaxTokenBytes = 8 * 1024;

// A value from the token, cut to a bounded prefix before it reaches a message.
std::string Bounded(std::string_view v) {
  constexpr size_t kMax = 16;
  return v.size() <= kMax ? std::string(v) : std::string(v.substr(0, kMax)) + "...";
}

// The three base64url parts of a compact JWS, decoded strictly.
struct JwsParts {
  std::string_view signing_input;  // header "." payload, as sent
  std::string header_json;
  std::string signature;
};

absl::StatusOr<JwsParts> SplitJws(std::string_view token) {
  const size_t a = token.find('.');
  const size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) {
    return Unauthenticated("token malformed");
  }
  JwsParts parts;
  parts.signing_input = token.substr(0, b);
  const std::string_view header = token.substr(0, a);
  const std::string_view signature = token.substr(b + 1);
  if (!absl::WebSafeBase64Unescape(absl::string_view(header.data(), header.size()),
                                   &parts.header_json) ||
      !absl::WebSafeBase64Unescape(absl::string_view(signature.data(), signature.size()),
                                   &parts.signature)) {
    return Unauthenticated("token malformed");
  }
  return parts;
}

struct JsonFree {
  void operator()(json_t* j) const { json_decref(j); }
};

// The "alg" member of the JOSE header, read as strict JSON: the header must be
// one object with no duplicate member (Jansson's JSON_REJECT_DUPLICATES) and a
// top-level string "alg". Closes the algorithm-confusion hole where a header
// with two "alg" members (or an "alg" nested in another member) showed one
// value to a substring search and another to libjwt (SECURITY.md, T1).
absl::StatusOr<std::string> HeaderAlg(const std::string& header_json) {
  json_error_t err;
  std::unique_ptr<json_t, JsonFree> header(
      json_loadb(header_json.data(), header_json.size(), JSON_REJECT_DUPLICATES, &err));
  if (header == nullptr || !json_is_object(header.get())) {
    return Unauthenticated("token malformed");
  }
  json_t* alg = json_object_get(header.get(), "alg");
  if (alg == nullptr || !json_is_string(alg)) return Unauthenticated("token malformed");
  return std::string(json_string_value(alg), json_string_length(alg));
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

PkeyPtr ReadPublicKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return PkeyPtr(key);
}

// A JOSE ES256 signature is r || s (32 bytes each); OpenSSL wants DER.
std::string JoseEcdsaToDer(const std::string& sig) {
  if (sig.size() != 64) return {};
  ECDSA_SIG* es = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data()) + 32, 32, nullptr);
  ECDSA_SIG_set0(es, r, s);
  unsigned char* der = nullptr;
  const int n = i2d_ECDSA_SIG(es, &der);
  ECDSA_SIG_free(es);
  if (n <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

// Verifies the signature with the configured algorithm and key only: the
// token's header never chooses how it is checked.
bool SignatureValid(Algorithm alg, const std::string& key, std::string_view input,
                    const std::string& signature) {
  if (alg == Algorithm::kHS256) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
             &mac_len) == nullptr) {
      return false;
    }
    return signature.size() == mac_len && CRYPTO_memcmp(mac, signature.data(), mac_len) == 0;
  }
  PkeyPtr pkey = ReadPublicKey(key);
  if (pkey == nullptr) return false;
  const int type = EVP_PKEY_base_id(pkey.get());
  std::string der;
  const std::string* sig = &signature;
  if (alg == Algorithm::kRS256) {
    if (type != EVP_PKEY_RSA) return false;
  } else {
    if (type != EVP_PKEY_EC) return false;
    der = JoseEcdsaToDer(signature);
    if (der.empty()) return false;
    sig = &der;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pkey.get()) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace

std::string_view AlgorithmName(Algorithm alg) { return domain::NameOf(kAlgorithmNames, alg, "?"); }

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

// A PEM key file's text and what OpenSSL reads in it.
struct PemKey {
  std::string pem;
  int type;  // EVP_PKEY_RSA, EVP_PKEY_EC, ...
  int bits;
};

// `kind` is "private" or "public": the key the file must hold.
absl::StatusOr<PemKey> ReadPemKeyFile(const std::string& path, std::string_view kind) {
  absl::StatusOr<std::string> pem = ReadKeyFile(path);
  if (!pem.ok()) return pem.status();
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  EVP_PKEY* key = kind == "private" ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr)
                                    : PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " holds no PEM ", absl::string_view(kind.data(), kind.size()), " key"));
  }
  PemKey out{*std::move(pem), EVP_PKEY_base_id(key), EVP_PKEY_bits(key)};
  EVP_PKEY_free(key);
  return out;
}

}  // namespace

absl::StatusOr<SigningKey> ReadSigningKeyFile(const std::string& path) {
  absl::StatusOr<PemKey> key = ReadPemKeyFile(path, "private");
  if (!key.ok()) return key.status();
  SigningKey out;
  if (key->type == EVP_PKEY_RSA) {
    out.algorithm = Algorithm::kRS256;
  } else if (key->type == EVP_PKEY_EC && key->bits == 256) {
    out.algorithm = Algorithm::kES256;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " holds neither an RSA nor a P-256 EC private key"));
  }
  out.pem = std::move(key->pem);
  return out;
}

Verifier::Verifier(VerifierOptions options) : options_(std::move(options)) {}

absl::StatusOr<Verifier> Verifier::FromHs256SecretFile(const std::string& path, std::string issuer,
                                                       std::string audience) {
  absl::StatusOr<std::string> secret = ReadKeyFile(path);
  if (!secret.ok()) return secret.status();
  absl::string_view trimmed = absl::StripTrailingAsciiWhitespace(*secret);
  // Short HMAC secrets are brute-forceable; RFC 7518 asks for >= 256 bits.
  if (trimmed.size() < 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("HS256 secret in ", path, " is shorter than 32 bytes"));
  }
  VerifierOptions o;
  o.algorithm = Algorithm::kHS256;
  o.key = std::string(trimmed);
  o.issuer = std::move(issuer);
  o.audience = std::move(audience);
  return Verifier(std::move(o));
}

absl::StatusOr<Verifier> Verifier::FromPublicKeyFile(const std::string& path, std::string issuer,
                                                     std::string audience) {
  absl::StatusOr<PemKey> key = ReadPemKeyFile(path, "public");
  if (!key.ok()) return key.status();
  VerifierOptions o;
  if (key->type == EVP_PKEY_RSA) {
    o.algorithm = Algorithm::kRS256;
  } else if (key->type == EVP_PKEY_EC) {
    o.algorithm = Algorithm::kES256;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " holds neither an RSA nor an EC public key"));
  }
  o.key = std::move(key->pem);
  o.issuer = std::move(issuer);
  o.audience = std::move(audience);
  return Verifier(std::move(o));
}

absl::StatusOr<Claims> Verifier::Verify(std::string_view token) const {
  if (token.empty()) return Unauthenticated("missing bearer token");
  if (token.size() > kMaxTokenBytes) return Unauthenticated("token too large");
  absl::StatusOr<JwsParts> parts = SplitJws(token);
  if (!parts.ok()) return parts.status();
  // The algorithm is the one the configured key implies, never the token's:
  // the header's alg must equal it exactly (case-sensitive), the signature is
  // checked with it, and libjwt below must agree on it.
  absl::StatusOr<std::string> alg = HeaderAlg(parts->header_json);
  if (!alg.ok()) return alg.status();
  if (*alg != AlgorithmName(options_.algorithm)) {
    return Unauthenticated(absl::StrCat("token algorithm ", Bounded(*alg), " not accepted"));
  }
  if (!SignatureValid(options_.algorithm, options_.key, parts->signing_input, parts->signature)) {
    return Unauthenticated("token signature invalid");
  }
  const std::string tok(token);
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, tok.c_str(), reinterpret_cast<const unsigned char*>(options_.key.data()),
                 static_cast<int>(options_.key.size())) != 0 ||
      raw == nullptr) {
    return Unauthenticated("token signature invalid");
  }
  JwtPtr jwt(raw);
  if (jwt_get_alg(jwt.get()) != ToJwtAlg(options_.algorithm)) {
    return Unauthenticated("token signature invalid");
  }

  const absl::Time now = options_.now ? options_.now() : absl::Now();
  long exp = 0;
  if (!IntGrant(jwt.get(), "exp", &exp)) {
    return Unauthenticated("token has no exp claim");
  }
  if (now > absl::FromUnixSeconds(exp) + options_.clock_skew) {
    return Unauthenticated("token expired");
  }
  long nbf = 0;
  if (IntGrant(jwt.get(), "nbf", &nbf) && now + options_.clock_skew < absl::FromUnixSeconds(nbf)) {
    return Unauthenticated("token not yet valid");
  }
  if (!options_.issuer.empty() && Grant(jwt.get(), "iss") != options_.issuer) {
    return Unauthenticated("token issuer mismatch");
  }
  if (!options_.audience.empty() && !AudienceMatches(jwt.get(), options_.audience)) {
    return Unauthenticated("token audience mismatch");
  }

  Claims claims;
  claims.subject = Grant(jwt.get(), "sub");
  if (claims.subject.empty()) return Unauthenticated("token has no sub claim");
  const std::string role_name = Grant(jwt.get(), "role");
  if (role_name.empty()) return Unauthenticated("token has no role claim");
  absl::StatusOr<Role> role = ParseRole(role_name);
  if (!role.ok()) return role.status();
  claims.role = *role;
  claims.agency = Grant(jwt.get(), "agency");
  claims.nip = Grant(jwt.get(), "nip");
  const bool spans_all = claims.role == Role::kAdmin || claims.role == Role::kService;
  if (!spans_all && claims.agency.empty()) {
    return Unauthenticated(absl::StrCat("token of role ", role_name, " has no agency claim"));
  }
  if (claims.role == Role::kEmployee && claims.nip.empty()) {
    return Unauthenticated("token of role employee has no nip claim");
  }
  return claims;
}

absl::StatusOr<std::string> Mint(const MintOptions& o) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  JwtPtr jwt(raw);
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) jwt_add_grant(jwt.get(), k, v.c_str());
  };
  add("sub", o.claims.subject);
  add("role", std::string(RoleName(o.claims.role)));
  add("agency", o.claims.agency);
  add("nip", o.claims.nip);
  add("iss", o.issuer);
  add("aud", o.audience);
  jwt_add_grant_int(jwt.get(), "iat", absl::ToUnixSeconds(o.issued_at));
  jwt_add_grant_int(jwt.get(), "nbf", absl::ToUnixSeconds(o.issued_at));
  jwt_add_grant_int(jwt.get(), "exp", absl::ToUnixSeconds(o.issued_at + o.ttl));
  if (jwt_set_alg(jwt.get(), ToJwtAlg(o.algorithm),
                  reinterpret_cast<const unsigned char*>(o.key.data()),
                  static_cast<int>(o.key.size())) != 0) {
    return absl::InvalidArgumentError("signing key rejected");
  }
  char* s = jwt_encode_str(jwt.get());
  if (s == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot sign with ", std::string(AlgorithmName(o.algorithm)), ": bad key"));
  }
  std::string out(s);
  free(s);
  return out;
}

}  // namespace seimbang::auth
