#include "services/workload/gauges.h"

#include <map>
#include <string>
#include <utility>

namespace seimbang::workload {

struct AnalysisGauges::Families {
  prometheus::Family<prometheus::Gauge>* balanced_share;
  prometheus::Family<prometheus::Gauge>* ej_cv;
  prometheus::Family<prometheus::Gauge>* surplus;
  prometheus::Family<prometheus::Gauge>* deficit;
  prometheus::Family<prometheus::Gauge>* robin_hood;
};

AnalysisGauges::AnalysisGauges() = default;
AnalysisGauges::~AnalysisGauges() = default;

void AnalysisGauges::Register(prometheus::Registry& registry) {
  auto family = [&registry](const std::string& name, const std::string& help) {
    return &prometheus::BuildGauge().Name(name).Help(help).Register(registry);
  };
  auto families = std::make_unique<Families>();
  families->balanced_share =
      family("seimbang_workload_balanced_share",
             "Share of staffed positions with EJ in the balanced band, latest run");
  families->ej_cv = family("seimbang_workload_ej_cv",
                           "Staff-weighted coefficient of variation of EJ, latest run");
  families->surplus = family("seimbang_workload_surplus", "Total surplus headcount, latest run");
  families->deficit = family("seimbang_workload_deficit", "Total deficit headcount, latest run");
  families->robin_hood =
      family("seimbang_workload_robin_hood_index", "Minimum share of staff to move, latest run");
  absl::MutexLock lock(&mu_);
  families_ = std::move(families);
}

void AnalysisGauges::Publish(const seimbang::workload::v1::AnalysisSummary& s) {
  absl::MutexLock lock(&mu_);
  if (families_ == nullptr) return;
  const std::map<std::string, std::string> labels = {{"agency", s.agency_code()}};
  families_->balanced_share->Add(labels).Set(s.balanced_share());
  families_->ej_cv->Add(labels).Set(s.ej_cv());
  families_->surplus->Add(labels).Set(s.total_surplus());
  families_->deficit->Add(labels).Set(s.total_deficit());
  families_->robin_hood->Add(labels).Set(s.robin_hood_index());
}

}  // namespace seimbang::workload
