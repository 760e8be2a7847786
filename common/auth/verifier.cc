#include "common/auth/verifier.h"

#include <jwt.h>
#include <openssl/evp.h>
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

namespace seimbang::auth {
namespace {

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

// The "alg" member of the token's JOSE header.
absl::StatusOr<std::string> HeaderAlg(const std::string& token) {
  const size_t dot = token.find('.');
  if (dot == std::string::npos || token.find('.', dot + 1) == std::string::npos) {
    return Unauthenticated("token malformed");
  }
  std::string b64 = token.substr(0, dot);
  for (char& c : b64) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (b64.size() % 4 != 0) b64 += '=';
  std::string header;
  if (!absl::Base64Unescape(b64, &header)) return Unauthenticated("token malformed");
  // The header is a tiny flat JSON object; find "alg" : "<value>".
  size_t k = header.find("\"alg\"");
  if (k == std::string::npos) return Unauthenticated("token malformed");
  size_t colon = header.find(':', k + 5);
  size_t q1 = colon == std::string::npos ? colon : header.find('"', colon);
  size_t q2 = q1 == std::string::npos ? q1 : header.find('"', q1 + 1);
  if (q2 == std::string::npos) return Unauthenticated("token malformed");
  return header.substr(q1 + 1, q2 - q1 - 1);
}

}  // namespace

std::string_view AlgorithmName(Algorithm alg) {
  switch (alg) {
    case Algorithm::kHS256:
      return "HS256";
    case Algorithm::kRS256:
      return "RS256";
    case Algorithm::kES256:
      return "ES256";
  }
  return "?";
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::StatusOr<SigningKey> ReadSigningKeyFile(const std::string& path) {
  absl::StatusOr<std::string> pem = ReadKeyFile(path);
  if (!pem.ok()) return pem.status();
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(path, " holds no PEM private key"));
  }
  const int type = EVP_PKEY_base_id(key);
  const int bits = EVP_PKEY_bits(key);
  EVP_PKEY_free(key);
  SigningKey out;
  if (type == EVP_PKEY_RSA) {
    out.algorithm = Algorithm::kRS256;
  } else if (type == EVP_PKEY_EC && bits == 256) {
    out.algorithm = Algorithm::kES256;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " holds neither an RSA nor a P-256 EC private key"));
  }
  out.pem = *std::move(pem);
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
  absl::StatusOr<std::string> pem = ReadKeyFile(path);
  if (!pem.ok()) return pem.status();
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(path, " holds no PEM public key"));
  }
  int type = EVP_PKEY_base_id(key);
  EVP_PKEY_free(key);
  VerifierOptions o;
  if (type == EVP_PKEY_RSA) {
    o.algorithm = Algorithm::kRS256;
  } else if (type == EVP_PKEY_EC) {
    o.algorithm = Algorithm::kES256;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " holds neither an RSA nor an EC public key"));
  }
  o.key = std::move(*pem);
  o.issuer = std::move(issuer);
  o.audience = std::move(audience);
  return Verifier(std::move(o));
}

absl::StatusOr<Claims> Verifier::Verify(std::string_view token) const {
  if (token.empty()) return Unauthenticated("missing bearer token");
  const std::string tok(token);
  // Read the header's alg ourselves, to name it in the error: libjwt reports
  // any mismatch as a bare EINVAL (and forgets the alg when given no key).
  absl::StatusOr<std::string> alg = HeaderAlg(tok);
  if (!alg.ok()) return alg.status();
  if (*alg != AlgorithmName(options_.algorithm)) {
    return Unauthenticated(absl::StrCat("token algorithm ", *alg, " not accepted"));
  }
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, tok.c_str(), reinterpret_cast<const unsigned char*>(options_.key.data()),
                 static_cast<int>(options_.key.size())) != 0 ||
      raw == nullptr) {
    return Unauthenticated("token signature invalid");
  }
  JwtPtr jwt(raw);

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
