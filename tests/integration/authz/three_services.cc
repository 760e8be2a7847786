#include "tests/integration/authz/three_services.h"

#include <sstream>

#include "common/auth/verifier.h"
#include "google/protobuf/descriptor.h"

namespace seimbang::authz {

using auth::Role;

std::string Token(Role role, const std::string& agency, const std::string& nip) {
  auth::MintOptions o;
  o.key = kSecret;
  o.claims.subject =
      absl::StrCat("authz-", std::string(auth::RoleName(role)), agency.empty() ? "" : "-", agency);
  o.claims.role = role;
  o.claims.agency = agency;
  o.claims.nip = nip;
  auto t = auth::Mint(o);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : "";
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token, const std::string& request_id,
                                         int seconds) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + token);
  if (!request_id.empty()) ctx->AddMetadata("x-request-id", request_id);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return ctx;
}

cpb::Date D(int y, int m, int d) {
  cpb::Date x;
  x.set_year(y);
  x.set_month(m);
  x.set_day(d);
  return x;
}

std::vector<std::string> DescriptorMethods(const std::string& service) {
  const auto* svc = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
  std::vector<std::string> out;
  if (svc == nullptr) return out;
  for (int i = 0; i < svc->method_count(); ++i) {
    out.push_back(absl::StrCat("/", service, "/", svc->method(i)->name()));
  }
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace seimbang::authz
