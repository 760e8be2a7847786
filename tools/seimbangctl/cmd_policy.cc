// seimbangctl policy create | show.
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "common/auth/verifier.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace tv1 = seimbang::transfer::v1;

int Cli::Policy() {
  const std::string& sub = args_.words[1];
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
    const auto resp = CallOrExit("CreatePolicy", &Cli::Transfer, &TransferStub::CreatePolicy, req);
    const auto& p = resp.policy();
    Emit(p, Table{{"policy_id", "agency", "name", "version"},
                  {{p.id(), p.agency_code(), p.name(), absl::StrCat(p.version())}}});
    return kExitOk;
  }
  if (sub == "show") {
    tv1::GetPolicyRequest req;
    req.set_id(Word(2, "ID"));
    const auto resp = CallOrExit("GetPolicy", &Cli::Transfer, &TransferStub::GetPolicy, req);
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
  tv1::ListPoliciesRequest req;
  req.set_agency_code(Flag("agency"));
  return ListRpc(
      "ListPolicies", Table{{"policy_id", "agency", "name", "version"}, {}}, &Cli::Transfer,
      &TransferStub::ListPolicies, req, [&](const tv1::ListPoliciesResponse& resp, Table& t) {
        for (const auto& p : resp.policies()) {
          t.rows.push_back({p.id(), p.agency_code(), p.name(), absl::StrCat(p.version())});
        }
      });
}

}  // namespace seimbang::ctl
