// seimbangctl policy create | show.
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "common/auth/verifier.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace tv1 = seimbang::transfer::v1;

int Cli::Policy() {
  const std::string& sub = Word(1, "policy subcommand (create|show)");
  if (sub == "create") {
    tv1::CreatePolicyRequest req;
    std::string file = Flag("file");
    if (!file.empty()) {
      auto text = auth::ReadKeyFile(file);
      if (!text.ok()) {
        err_ << "seimbangctl: " << text.status().message() << "\n";
        return kExitError;
      }
      auto s = google::protobuf::util::JsonStringToMessage(*text, req.mutable_policy());
      if (!s.ok()) throw UsageError{absl::StrCat(file, ": not a Policy in JSON: ", s.ToString())};
    }
    req.mutable_policy()->set_agency_code(Required("agency"));
    req.mutable_policy()->set_name(Required("name"));
    req.set_request_id(Flag("request-id"));
    tv1::CreatePolicyResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().CreatePolicy(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("CreatePolicy", st);
    const auto& p = resp.policy();
    Emit(p, Table{{},
                  {{"id", p.id()},
                   {"agency", p.agency_code()},
                   {"name", p.name()},
                   {"version", absl::StrCat(p.version())}}});
    return kExitOk;
  }
  if (sub == "show") {
    tv1::GetPolicyRequest req;
    req.set_id(Word(2, "ID"));
    tv1::GetPolicyResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Transfer().GetPolicy(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("GetPolicy", st);
    if (output_ == "json") {
      Emit(resp.policy(), {});
    } else {
      out_ << Json(resp.policy()) << "\n";
    }
    return kExitOk;
  }
  throw UsageError{absl::StrCat("unknown policy subcommand '", sub, "'")};
}

}  // namespace seimbang::ctl
