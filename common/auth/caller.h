#ifndef SEIMBANG_COMMON_AUTH_CALLER_H_
#define SEIMBANG_COMMON_AUTH_CALLER_H_

#include <grpcpp/security/auth_context.h>
#include <grpcpp/server_context.h>

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/auth/claims.h"
#include "common/auth/verifier.h"

namespace seimbang::auth {

// Who is calling, as established by the auth processor before the handler.
struct Caller {
  Claims claims;
  // True when the server runs with --insecure-dev: claims are a fake admin.
  bool insecure_dev = false;
};

// The caller of the current call, from its bearer token. The processor has
// already rejected bad tokens; this re-reads the (cheap to verify) token
// because gRPC 1.51 shares one auth context among all calls of a connection,
// so per-call identity cannot be stored there (see README.md).
// In insecure-dev mode: the fake admin. Without a verifier installed:
// UNAUTHENTICATED "no authenticated caller".
[[nodiscard]] absl::StatusOr<Caller> CallerFromContext(const grpc::ServerContextBase& context);

// The caller's role name for a call's log line and metrics, "" when the call carries no
// caller this server accepts.
std::string_view CallerRoleName(const grpc::ServerContextBase& context);

// Installed once at start-up by RunServer; nullopt uninstalls.
void SetCallerVerifier(std::optional<Verifier> verifier);

// Process-wide switch, set once at start-up by RunServer(--insecure-dev).
void SetInsecureDevMode(bool on);
bool InsecureDevMode();
Caller InsecureDevCaller();

// Admin and service act on every agency; everyone else on their own.
[[nodiscard]] bool SpansAllAgencies(const Caller& caller);

// The agency a read across an agency (a List RPC's agency_code) is confined to, the one rule of
// the three services: admin and service read the agency they name, or every agency ("") when
// they name none; anyone else reads their own agency when they name none, and gets
// CheckAgencyScope's PERMISSION_DENIED when they name another.
[[nodiscard]] absl::StatusOr<std::string> ListAgency(const Caller& caller,
                                                     const std::string& requested);

// OK for admin and service; PERMISSION_DENIED
// "caller of agency 73.71 may not act on agency 73.72" for anyone else.
[[nodiscard]] absl::Status CheckAgencyScope(const Caller& caller, std::string_view agency);

// An employee may act only on their own record; other roles pass (their
// agency scope is checked separately).
[[nodiscard]] absl::Status CheckSelf(const Caller& caller, std::string_view nip);

}  // namespace seimbang::auth

#endif  // SEIMBANG_COMMON_AUTH_CALLER_H_
