// Domain gauges derived from the shared database at scrape time (issue 20: several replicas).
#include <prometheus/gauge.h>

#include <string>

#include "common/metrics/metrics.h"
#include "gtest/gtest.h"

namespace seimbang::metrics {
namespace {

TEST(ScrapeRefresh, RunsBeforeTheScrapeReadsTheRegistrySoTheScrapeSeesItsValues) {
  absl::StatusOr<std::unique_ptr<Metrics>> m = Metrics::Create("", "test", "0");
  ASSERT_TRUE(m.ok()) << m.status();
  prometheus::Gauge& plans =
      prometheus::BuildGauge().Name("plans").Help("h").Register((*m)->registry()).Add({});
  int database = 7;  // what the shared database says
  (*m)->SetScrapeRefresh([&] { plans.Set(database); }, absl::ZeroDuration());
  EXPECT_NE((*m)->Scrape().find("\nplans 7"), std::string::npos);
  database = 9;  // another replica changed it
  EXPECT_NE((*m)->Scrape().find("\nplans 9"), std::string::npos);
}

TEST(ScrapeRefresh, RunsAtMostOncePerMaxAge) {
  absl::StatusOr<std::unique_ptr<Metrics>> m = Metrics::Create("", "test", "0");
  ASSERT_TRUE(m.ok()) << m.status();
  int refreshes = 0;
  (*m)->SetScrapeRefresh([&] { ++refreshes; }, absl::Hours(1));
  for (int i = 0; i < 5; ++i) (*m)->Scrape();
  EXPECT_EQ(refreshes, 1);
}

}  // namespace
}  // namespace seimbang::metrics
