#include "services/transfer/gauges.h"

#include <set>

#include "seimbang/transfer/v1/transfer.pb.h"
#include "services/transfer/plan_state.h"
#include "services/transfer/repository.h"

namespace seimbang::transfer {

void TransferGauges::Attach(prometheus::Registry& registry) {
  absl::MutexLock lock(&mu_);
  plans_ = &prometheus::BuildGauge()
                .Name("seimbang_transfer_plans")
                .Help("Transfer plans by agency and state.")
                .Register(registry);
  executed_ = &prometheus::BuildCounter()
                   .Name("seimbang_transfer_moves_executed_total")
                   .Help("Moves applied in personnel by plan executions.")
                   .Register(registry);
}

void TransferGauges::Refresh(Repository& repo) {
  auto conn = repo.Connect();
  if (!conn.ok()) return;
  auto counts = Repository::CountPlans(conn->get());
  if (!counts.ok()) return;
  absl::MutexLock lock(&mu_);
  if (plans_ == nullptr) return;
  // Every state of every agency seen, so a state that empties drops to 0.
  std::set<std::string> agencies;
  for (const auto& [key, n] : *counts) agencies.insert(key.first);
  for (const auto& agency : agencies) {
    // Every agency's counter exists from the first refresh (at start-up), at 0, so
    // increase() in the stuck-plan alert has a series to read after a restart.
    executed_->Add({{"agency", agency}});
    for (int st = v1::PLAN_STATE_DRAFT; st <= v1::PlanState_MAX; ++st) {
      auto it = counts->find({agency, st});
      plans_
          ->Add({{"agency", agency},
                 {"state", std::string(PlanStateName(static_cast<v1::PlanState>(st)))}})
          .Set(it == counts->end() ? 0.0 : static_cast<double>(it->second));
    }
  }
  for (const auto& [key, n] : *counts) {
    if (key.second >= v1::PLAN_STATE_DRAFT && key.second <= v1::PlanState_MAX) continue;
    plans_
        ->Add({{"agency", key.first},
               {"state", std::string(PlanStateName(static_cast<v1::PlanState>(key.second)))}})
        .Set(static_cast<double>(n));
  }
}

void TransferGauges::AddExecuted(const std::string& agency, int n) {
  absl::MutexLock lock(&mu_);
  if (executed_ != nullptr) executed_->Add({{"agency", agency}}).Increment(n);
}

}  // namespace seimbang::transfer
