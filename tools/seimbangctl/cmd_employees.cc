// seimbangctl employees get | list.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;

int Cli::Employees() {
  const std::string& sub = Word(1, "employees subcommand (get|list)");
  if (sub == "get") {
    pv1::GetEmployeeRequest req;
    req.set_nip(Word(2, "NIP"));
    pv1::GetEmployeeResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Personnel().GetEmployee(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("GetEmployee", st);
    const auto& e = resp.employee();
    Table t{{"field", "value"},
            {{"nip", e.nip()},
             {"name", e.name()},
             {"type", pv1::EmploymentType_Name(e.employment_type())},
             {"agency", e.agency_code()},
             {"unit_id", absl::StrCat(e.unit_id())},
             {"position", e.position_code()},
             {"rank", e.rank()},
             {"education", absl::StrCat(pv1::EducationLevel_Name(e.education_level()), " ",
                                        e.education_field())},
             {"in_post_since", DateText(e.in_post_since())},
             {"birth_date", DateText(e.birth_date())},
             {"home_kecamatan", e.home_kecamatan()},
             {"competencies", absl::StrJoin(e.competency_tags(), ", ")},
             {"version", absl::StrCat(e.version())}}};
    Emit(resp, t);
    return kExitOk;
  }
  if (sub == "list") {
    pv1::ListEmployeesRequest req;
    req.mutable_filter()->set_agency_code(Flag("agency"));
    req.mutable_filter()->set_unit_subtree(IntFlag("unit", 0));
    req.mutable_filter()->set_position_code(Flag("position"));
    req.mutable_filter()->set_job_family(Flag("family"));
    req.mutable_page()->set_page_size(static_cast<int32_t>(IntFlag("page-size", 100)));
    req.mutable_page()->set_page_token(Flag("page-token"));
    pv1::ListEmployeesResponse resp;
    auto ctx = Ctx();
    grpc::Status st = Personnel().ListEmployees(ctx.get(), req, &resp);
    if (!st.ok()) return RpcError("ListEmployees", st);
    Table t{{"nip", "name", "unit_id", "position", "rank", "type"}, {}};
    for (const auto& e : resp.employees()) {
      t.rows.push_back({e.nip(), e.name(), absl::StrCat(e.unit_id()), e.position_code(), e.rank(),
                        e.employment_type() == pv1::EMPLOYMENT_TYPE_PPPK ? "PPPK" : "PNS"});
    }
    Emit(resp, t);
    if (output_ == "table" && !resp.page().next_page_token().empty()) {
      out_ << "next page: --page-token " << resp.page().next_page_token() << "\n";
    }
    return kExitOk;
  }
  throw UsageError{absl::StrCat("unknown employees subcommand '", sub, "'")};
}

}  // namespace seimbang::ctl
