#include "services/transfer/export_workflow.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "services/transfer/export_text.h"
#include "services/transfer/plan_scope.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

absl::Status ExportPlan(Repository& repo, const auth::Caller& caller,
                        const v1::ExportPlanRequest& req,
                        const std::function<bool(const v1::ExportPlanResponse&)>& write,
                        const std::function<bool()>& cancelled) {
  if (req.format() == v1::EXPORT_FORMAT_UNSPECIFIED) {
    return errors::InvalidArgument({{"format", "is required"}});
  }
  if (!v1::ExportFormat_IsValid(req.format())) {
    return errors::InvalidArgument(
        {{"format", absl::StrCat("unknown export format ", static_cast<int>(req.format()),
                                 "; use EXPORT_FORMAT_CSV or EXPORT_FORMAT_DECREE_DRAFTS")}});
  }
  SEIMBANG_ASSIGN_OR_RETURN(PlanRecord rec, LoadPlanInScope(repo, caller, req.plan_id()));
  if (req.format() == v1::EXPORT_FORMAT_CSV) {
    v1::ExportPlanResponse h;
    h.set_text(CsvHeader());
    write(h);
  }
  std::string after;
  while (!cancelled()) {
    std::vector<v1::ExplainMoveResponse> moves;
    {
      SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
      SEIMBANG_ASSIGN_OR_RETURN(moves,
                                Repository::MovesAfter(conn.get(), req.plan_id(), after, 500));
    }
    if (moves.empty()) break;
    for (const auto& e : moves) {
      v1::ExportPlanResponse r;
      r.set_move_id(e.move().id());
      r.set_text(req.format() == v1::EXPORT_FORMAT_CSV ? CsvLine(e.move())
                                                       : DecreeDraft(e.move(), rec.summary));
      if (!write(r)) return absl::CancelledError();
    }
    after = moves.back().move().id();
  }
  return absl::OkStatus();
}

}  // namespace seimbang::transfer
