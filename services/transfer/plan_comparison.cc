#include "services/transfer/plan_comparison.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "services/transfer/plan_scope.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {
namespace {

using MoveKey = std::tuple<std::string, int64_t, std::string>;  // NIP, to unit, to position

// Every move of the plan by its key, a page of 1000 at a time.
absl::StatusOr<std::map<MoveKey, v1::Move>> MovesByKey(db::Connection& conn,
                                                       const std::string& plan_id) {
  std::map<MoveKey, v1::Move> out;
  std::string after;
  while (true) {
    SEIMBANG_ASSIGN_OR_RETURN(std::vector<v1::ExplainMoveResponse> moves,
                              Repository::MovesAfter(conn, plan_id, after, 1000));
    if (moves.empty()) break;
    for (const auto& e : moves) {
      const auto& m = e.move();
      out[{m.nip(), m.to_unit_id(), m.to_position_code()}] = m;
    }
    after = moves.back().move().id();
  }
  return out;
}

}  // namespace

absl::Status ComparePlans(Repository& repo, const auth::Caller& caller,
                          const v1::ComparePlansRequest& req, v1::ComparePlansResponse* resp) {
  // Named by this request's fields: LoadPlanInScope would call either of them plan_id.
  std::vector<errors::FieldViolation> missing;
  if (req.base_plan_id().empty()) missing.push_back({"base_plan_id", "is required"});
  if (req.other_plan_id().empty()) missing.push_back({"other_plan_id", "is required"});
  if (!missing.empty()) return errors::InvalidArgument(missing);
  SEIMBANG_ASSIGN_OR_RETURN(PlanRecord base, LoadPlanInScope(repo, caller, req.base_plan_id()));
  SEIMBANG_ASSIGN_OR_RETURN(PlanRecord other, LoadPlanInScope(repo, caller, req.other_plan_id()));
  SEIMBANG_ASSIGN_OR_RETURN(auto conn, repo.Connect());
  SEIMBANG_ASSIGN_OR_RETURN(auto a, MovesByKey(conn.get(), req.base_plan_id()));
  SEIMBANG_ASSIGN_OR_RETURN(auto b, MovesByKey(conn.get(), req.other_plan_id()));
  int unchanged = 0;
  for (const auto& [k, m] : b) {
    if (a.count(k)) {
      ++unchanged;
    } else {
      *resp->add_added() = m;
    }
  }
  for (const auto& [k, m] : a) {
    if (!b.count(k)) *resp->add_removed() = m;
  }
  resp->set_unchanged(unchanged);
  *resp->mutable_base() = base.summary;
  *resp->mutable_other() = other.summary;
  return absl::OkStatus();
}

}  // namespace seimbang::transfer
