#include "common/auth/caller.h"

#include <atomic>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace seimbang::auth {
namespace {

std::atomic<bool> g_insecure_dev{false};

absl::Mutex g_mu;
std::optional<Verifier> g_verifier ABSL_GUARDED_BY(g_mu);

}  // namespace

void SetInsecureDevMode(bool on) { g_insecure_dev.store(on); }
bool InsecureDevMode() { return g_insecure_dev.load(); }

Caller InsecureDevCaller() {
  Caller c;
  c.claims.subject = "insecure-dev";
  c.claims.role = Role::kAdmin;
  c.insecure_dev = true;
  return c;
}

void SetCallerVerifier(std::optional<Verifier> verifier) {
  absl::MutexLock lock(&g_mu);
  g_verifier = std::move(verifier);
}

absl::StatusOr<Caller> CallerFromContext(const grpc::ServerContextBase& context) {
  if (InsecureDevMode()) return InsecureDevCaller();
  std::string_view token;
  const auto& md = context.client_metadata();
  if (auto it = md.find("authorization"); it != md.end()) {
    token = std::string_view(it->second.data(), it->second.size());
  }
  if (token.substr(0, 7) == "Bearer " || token.substr(0, 7) == "bearer ") {
    token.remove_prefix(7);
  } else {
    token = {};
  }
  absl::MutexLock lock(&g_mu);
  if (!g_verifier.has_value()) {
    return absl::UnauthenticatedError("no authenticated caller");
  }
  absl::StatusOr<Claims> claims = g_verifier->Verify(token);
  if (!claims.ok()) return claims.status();
  Caller c;
  c.claims = *std::move(claims);
  return c;
}

std::string_view CallerRoleName(const grpc::ServerContextBase& context) {
  absl::StatusOr<Caller> caller = CallerFromContext(context);
  return caller.ok() ? RoleName(caller->claims.role) : std::string_view();
}

bool SpansAllAgencies(const Caller& caller) {
  return caller.claims.role == Role::kAdmin || caller.claims.role == Role::kService;
}

absl::StatusOr<std::string> ListAgency(const Caller& caller, const std::string& requested) {
  if (SpansAllAgencies(caller)) return requested;
  if (requested.empty()) return caller.claims.agency;
  if (absl::Status s = CheckAgencyScope(caller, requested); !s.ok()) return s;
  return requested;
}

absl::Status CheckAgencyScope(const Caller& caller, std::string_view agency) {
  if (SpansAllAgencies(caller)) return absl::OkStatus();
  if (caller.claims.agency == agency) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("caller of agency ", caller.claims.agency,
                                                  " may not act on agency ", std::string(agency)));
}

absl::Status CheckSelf(const Caller& caller, std::string_view nip) {
  if (caller.claims.role != Role::kEmployee) return absl::OkStatus();
  if (caller.claims.nip == nip) return absl::OkStatus();
  // The other NIP stays out of the message: errors end up in logs.
  return absl::PermissionDeniedError("an employee may act only on their own record");
}

}  // namespace seimbang::auth
