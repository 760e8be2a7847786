// seimbangctl policy create | show.
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "common/auth/verifier.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace tv1 = seimbang::transfer::v1;

int Cli::Policy() {
  const std::string& sub = args_.words[1];
  if (sub == "list") return PolicyList();
  if (sub == "create") {
    tv1::CreatePolicyRequest req;
    std::string file = Flag("file");
    if (!file.empty()) {
      auto text = auth::ReadKeyFile(file);
      if (!text.ok()) {
        err_ << "seimbangctl: " << T("err.cannot_read", file) << "\n";
        return kExitError;
      }
      auto s = google::protobuf::util::JsonStringToMessage(*text, req.mutable_policy());
      if (!s.ok()) throw UsageError{T("err.policy_json", file, s.ToString())};
    }
    req.mutable_policy()->set_agency_code(Required("agency"));
    req.mutable_policy()->set_name(Required("name"));
    req.set_request_id(Flag("request-id"));
    tv1::CreatePolicyResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().CreatePolicy(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("CreatePolicy", st);
    const auto& p = resp.policy();
    Emit(p, Table{{"policy_id", "agency", "name", "version"},
                  {{p.id(), p.agency_code(), p.name(), absl::StrCat(p.version())}}});
    return kExitOk;
  }
  if (sub == "show") {
    tv1::GetPolicyRequest req;
    req.set_id(Word(2, "ID"));
    tv1::GetPolicyResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().GetPolicy(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("GetPolicy", st);
    if (output_ == "table") {
      // The policy's settings are a nested message: shown as YAML, every field with its value.
      out_ << Yaml(resp.policy());
    } else {
      Emit(resp.policy(), Table{{"policy_id", "agency", "name", "version"},
                                {{resp.policy().id(), resp.policy().agency_code(),
                                  resp.policy().name(), absl::StrCat(resp.policy().version())}}});
    }
    return kExitOk;
  }
  return kExitUsage;
}

// policy list: the agency's policies.
int Cli::PolicyList() {
  const std::string agency = Flag("agency");
  return ListPages<tv1::ListPoliciesResponse>(
      "ListPolicies", Table{{"policy_id", "agency", "name", "version"}, {}},
      [&](int32_t size, const std::string& token, tv1::ListPoliciesResponse& resp) {
        tv1::ListPoliciesRequest req;
        req.set_agency_code(agency);
        req.mutable_page()->set_page_size(size);
        req.mutable_page()->set_page_token(token);
        auto ctx = Ctx();
        return Transfer().ListPolicies(ctx.get(), req, &resp);
      },
      [&](const tv1::ListPoliciesResponse& resp, Table& t) {
        for (const auto& p : resp.policies()) {
          t.rows.push_back({p.id(), p.agency_code(), p.name(), absl::StrCat(p.version())});
        }
      });
}

}  // namespace seimbang::ctl
