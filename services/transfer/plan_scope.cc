#include "services/transfer/plan_scope.h"

#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "services/transfer/call.h"

namespace seimbang::transfer {

absl::StatusOr<PlanRecord> LoadPlanInScope(Repository& repo, const auth::Caller& caller,
                                           const std::string& plan_id) {
  if (plan_id.empty()) return errors::InvalidArgument({{"plan_id", "is required"}});
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(PlanRecord rec, Repository::GetPlan(conn.get(), plan_id));
  if (!IsEmployee(caller)) {
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, rec.summary.agency_code()));
  }
  return rec;
}

}  // namespace seimbang::transfer
