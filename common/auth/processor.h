#ifndef SEIMBANG_COMMON_AUTH_PROCESSOR_H_
#define SEIMBANG_COMMON_AUTH_PROCESSOR_H_

#include <grpcpp/security/auth_metadata_processor.h>

#include <memory>

#include "common/auth/permissions.h"
#include "common/auth/verifier.h"

namespace seimbang::auth {

// THE place where auth is enforced (see common/auth/README.md): runs in the
// server's auth filter before any handler, verifies the bearer token, checks
// the permission table against the call's ":path", and lets the call through;
// handlers get the caller from auth::CallerFromContext. A null verifier means --insecure-dev: every
// caller is admin and nothing is checked.
class TokenAuthProcessor : public grpc::AuthMetadataProcessor {
 public:
  TokenAuthProcessor(std::unique_ptr<Verifier> verifier, PermissionTable table);

  // Verification is CPU-only and quick; no need for gRPC's extra thread hop.
  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  std::unique_ptr<Verifier> verifier_;
  PermissionTable table_;
};

}  // namespace seimbang::auth

#endif  // SEIMBANG_COMMON_AUTH_PROCESSOR_H_
