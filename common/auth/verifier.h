#ifndef SEIMBANG_COMMON_AUTH_VERIFIER_H_
#define SEIMBANG_COMMON_AUTH_VERIFIER_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/claims.h"

namespace seimbang::auth {

// The only algorithms Seimbang signs or accepts.
enum class Algorithm { kHS256, kRS256, kES256 };
std::string_view AlgorithmName(Algorithm alg);

struct VerifierOptions {
  Algorithm algorithm = Algorithm::kHS256;
  // The HS256 secret bytes, or the RS256/ES256 public key PEM.
  std::string key;
  // Checked only when non-empty.
  std::string issuer;
  std::string audience;
  // Tolerated clock difference between the issuer and us on exp and nbf.
  absl::Duration clock_skew = absl::Seconds(30);
  // Injected for tests; absl::Now when empty.
  std::function<absl::Time()> now;
};

// Verifies bearer tokens (JWT, libjwt). Thread-safe after construction.
// Every failure is UNAUTHENTICATED with a short message naming the reason.
class Verifier {
 public:
  explicit Verifier(VerifierOptions options);

  // Reads the secret (trailing newline trimmed) from a file.
  [[nodiscard]] static absl::StatusOr<Verifier> FromHs256SecretFile(const std::string& path,
                                                                    std::string issuer,
                                                                    std::string audience);
  // Reads a PEM public key; RS256 for an RSA key, ES256 for a P-256 EC key.
  [[nodiscard]] static absl::StatusOr<Verifier> FromPublicKeyFile(const std::string& path,
                                                                  std::string issuer,
                                                                  std::string audience);

  [[nodiscard]] absl::StatusOr<Claims> Verify(std::string_view token) const;

  Algorithm algorithm() const { return options_.algorithm; }

 private:
  VerifierOptions options_;
};

struct MintOptions {
  Algorithm algorithm = Algorithm::kHS256;
  // The HS256 secret bytes, or the RS256/ES256 private key PEM.
  std::string key;
  Claims claims;
  std::string issuer;
  std::string audience;
  absl::Time issued_at = absl::Now();
  absl::Duration ttl = absl::Hours(1);
};

// Development tokens for tests and `seimbangctl token`.
[[nodiscard]] absl::StatusOr<std::string> Mint(const MintOptions& options);

// A private key to sign with: RS256 for an RSA key, ES256 for a P-256 EC key.
struct SigningKey {
  Algorithm algorithm = Algorithm::kRS256;
  std::string pem;
};

// Reads a PEM private key for Mint (`seimbangctl token --private-key-file`).
// NOT_FOUND when unreadable; INVALID_ARGUMENT "<path> holds no PEM private key",
// or "<path> holds neither an RSA nor a P-256 EC private key".
[[nodiscard]] absl::StatusOr<SigningKey> ReadSigningKeyFile(const std::string& path);

// Reads a whole file; NOT_FOUND "cannot read <path>" when it cannot.
[[nodiscard]] absl::StatusOr<std::string> ReadKeyFile(const std::string& path);

}  // namespace seimbang::auth

#endif  // SEIMBANG_COMMON_AUTH_VERIFIER_H_
