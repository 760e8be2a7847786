// seimbangctl token: mints a bearer token (HS256, RS256 or ES256).
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/verifier.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {

int Cli::Token_() {
  auth::MintOptions o;
  auto role = auth::ParseRole(Required("role"));
  if (!role.ok()) throw UsageError{T("err.role", Required("role"))};
  o.claims.role = *role;
  o.claims.agency = Flag("agency");
  o.claims.nip = Flag("nip");
  o.claims.subject = Flag("subject", "seimbangctl-" + std::string(auth::RoleName(*role)));
  if (!absl::ParseDuration(Flag("ttl", "1h"), &o.ttl) || o.ttl <= absl::ZeroDuration()) {
    throw UsageError{T("err.ttl")};
  }
  // iss/aud must match the services' --auth-issuer/--auth-audience when those are set.
  o.issuer = Flag("issuer");
  o.audience = Flag("audience");
  const std::string secret_file = Flag("secret-file");
  const std::string private_key_file = Flag("private-key-file");
  if (secret_file.empty() == private_key_file.empty()) {
    throw UsageError{T("err.token_key")};
  }
  if (!secret_file.empty()) {
    auto secret = auth::ReadKeyFile(secret_file);
    if (!secret.ok()) {
      err_ << "seimbangctl: " << secret.status().message() << "\n";
      return kExitError;
    }
    std::string key(*secret);
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    o.algorithm = auth::Algorithm::kHS256;
    o.key = key;
  } else {
    auto key = auth::ReadSigningKeyFile(private_key_file);
    if (!key.ok()) {
      err_ << "seimbangctl: " << key.status().message() << "\n";
      return kExitError;
    }
    o.algorithm = key->algorithm;
    o.key = std::move(key->pem);
  }
  o.issued_at = absl::Now();
  auto token = auth::Mint(o);
  if (!token.ok()) {
    err_ << "seimbangctl: " << T("err.mint", token.status().message()) << "\n";
    return kExitError;
  }
  out_ << *token << "\n";
  return kExitOk;
}

}  // namespace seimbang::ctl
