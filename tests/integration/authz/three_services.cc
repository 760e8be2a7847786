#include "tests/integration/authz/three_services.h"

#include <sstream>

#include "common/auth/verifier.h"
#include "google/protobuf/descriptor.h"
#include "tests/harness/calls.h"

namespace seimbang::authz {

using auth::Role;

std::string Token(Role role, const std::string& agency, const std::string& nip) {
  return testing::MintTestToken(
      kSecret, role, agency, nip,
      absl::StrCat("authz-", std::string(auth::RoleName(role)), agency.empty() ? "" : "-", agency));
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token, const std::string& request_id,
                                         int seconds) {
  return testing::CallContext(token, absl::Seconds(seconds), request_id);
}

cpb::Date D(int y, int m, int d) { return testing::ProtoDate(y, m, d); }

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

grpc::Status RunAnalysis(wpb::WorkloadAnalysisService::StubInterface& stub,
                         const wpb::RunAnalysisRequest& req,
                         std::unique_ptr<grpc::ClientContext> ctx, wpb::AnalysisSummary* summary) {
  auto reader = stub.RunAnalysis(ctx.get(), req);
  wpb::RunAnalysisResponse ev;
  while (reader->Read(&ev)) {
    if (ev.has_summary()) *summary = ev.summary();
  }
  return reader->Finish();
}

}  // namespace seimbang::authz
