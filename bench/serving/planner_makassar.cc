// Times planner::Solve on a real plan input: fetches the analysis run and the
// employees from running workload and personnel services exactly as the
// transfer service does (FetchPlanningData + BuildPlanInput, default policy),
// then solves it --repeat times and prints the phase timings and a digest of
// the result, so a speed-up can be checked not to change the plan.
//
//   planner_makassar --personnel 127.0.0.1:17001 --workload 127.0.0.1:17002
//       --token-file var/demo/service.token --agency 73.71 --run RUN_ID
//       [--effective 2027-01-01] [--repeat 3] [--threads 2]
#include <sys/resource.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/domain/date.h"
#include "services/transfer/downstream.h"
#include "services/transfer/plan_input.h"
#include "services/transfer/planner/model.h"
#include "services/transfer/planner/planner.h"
#include "services/transfer/planner/rules.h"
#include "services/transfer/policy_rules.h"

namespace seimbang::transfer {
namespace {

// User + system time of the whole process (all threads), seconds: steadier
// than wall time on a shared machine.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Every figure the plan reports, one line each (stable across runs, unlike absl::Hash).
std::string Dump(const planner::PlanResult& r) {
  std::string out;
  for (const planner::Move& m : r.moves) {
    absl::StrAppend(&out, "move ", m.nip, " ", m.from, " ", m.to, " ", m.best_alternative, " ",
                    planner::Scale(m.best_alternative_extra_cost), " ",
                    planner::Scale(m.cost.total), " ", m.preference_rank, " ", m.pinned, " ",
                    m.rules_satisfied.size(), "\n");
  }
  for (const planner::UnfilledNeed& u : r.unfilled) {
    absl::StrAppend(&out, "unfilled ", u.destination, " ", u.missing, " ",
                    static_cast<int>(u.reason), " ", u.blocking_rule, "\n");
  }
  for (int s : r.staff_after) absl::StrAppend(&out, s, " ");
  return out;
}

// One line that changes whenever anything the plan reports changes.
std::string Digest(const planner::PlanResult& r) {
  return absl::StrCat("objective_scaled=", r.objective_scaled, " moves=", r.moves_count,
                      " unfilled=", r.unfilled.size(), " lower_bound=", r.moves_lower_bound,
                      " digest=", std::hash<std::string>()(Dump(r)));
}

int Main(int argc, char** argv) {
  std::map<std::string, std::string> flags = {{"personnel", "127.0.0.1:17001"},
                                              {"workload", "127.0.0.1:17002"},
                                              {"token-file", ""},
                                              {"agency", "73.71"},
                                              {"run", ""},
                                              {"effective", "2027-01-01"},
                                              {"repeat", "3"},
                                              {"threads", "2"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strncmp(argv[i], "--", 2) != 0 || !flags.count(argv[i] + 2)) {
      std::cerr << "unknown flag " << argv[i] << "\n";
      return 2;
    }
    flags[argv[i] + 2] = argv[i + 1];
  }
  if (argc == 1) {
    // `make bench` runs every benchmark without arguments; this one needs running services.
    std::cout << "planner_makassar: skipped (needs running services and --run RUN_ID; see the "
                 "comment at the top of bench/serving/planner_makassar.cc)\n";
    return 0;
  }
  GrpcDownstreamOptions options;
  options.personnel_addr = flags["personnel"];
  options.workload_addr = flags["workload"];
  if (!flags["token-file"].empty()) {
    std::ifstream in(flags["token-file"]);
    std::stringstream ss;
    ss << in.rdbuf();
    options.token = ss.str();
    while (!options.token.empty() && std::isspace(static_cast<unsigned char>(options.token.back())))
      options.token.pop_back();
  }
  auto downstream = MakeGrpcDownstream(options);
  if (!downstream.ok()) {
    std::cerr << downstream.status() << "\n";
    return 1;
  }
  auto effective = domain::ParseDate(flags["effective"]);
  if (!effective.ok()) {
    std::cerr << effective.status() << "\n";
    return 2;
  }
  auto data = (*downstream)
                  ->FetchPlanningData(
                      flags["agency"], flags["run"], *effective,
                      [](const std::string&, const std::string&, int64_t, int64_t) {},
                      std::chrono::system_clock::time_point::max());
  if (!data.ok()) {
    std::cerr << data.status() << "\n";
    return 1;
  }
  v1::Policy stored;
  stored.set_agency_code(flags["agency"]);
  auto built = BuildPlanInput(*data, EffectivePolicy(stored));
  if (!built.ok()) {
    std::cerr << built.status() << "\n";
    return 1;
  }
  std::printf("candidates=%zu destinations=%zu\n", built->input.candidates.size(),
              built->input.destinations.size());
  if (auto model = planner::BuildModel(built->input); model.ok()) {
    std::map<int, int64_t> by_kind;
    for (const planner::FlowArc& a : model->arcs) ++by_kind[static_cast<int>(a.kind)];
    std::printf("arcs: stay=%lld move=%lld stay_to_destination=%lld penalty=%lld\n",
                static_cast<long long>(by_kind[0]), static_cast<long long>(by_kind[1]),
                static_cast<long long>(by_kind[2]), static_cast<long long>(by_kind[3]));
  }
  planner::SolveOptions so;
  so.threads = std::stoi(flags["threads"]);
  for (int r = 0; r < std::stoi(flags["repeat"]); ++r) {
    const double cpu_before = CpuSeconds();
    auto result = planner::Solve(built->input, so);
    const double cpu_ms = (CpuSeconds() - cpu_before) * 1000;
    if (!result.ok()) {
      std::cerr << result.status() << "\n";
      return 1;
    }
    const planner::SolveStats& st = result->stats;
    std::printf(
        "cpu_ms=%.1f total_ms=%.1f prepare_ms=%.1f build_ms=%.1f flow_ms=%.1f assign_ms=%.1f "
        "diagnose_ms=%.1f classes=%lld arcs=%lld pruned=%lld repaired_parts=%lld fallback=%d "
        "parts=%lld\n%s\n",
        cpu_ms, st.milliseconds, st.prepare_ms, st.build_ms, st.flow_ms, st.assign_ms,
        st.diagnose_ms, static_cast<long long>(st.classes), static_cast<long long>(st.arcs),
        static_cast<long long>(st.pruned_arcs), static_cast<long long>(st.repaired_parts),
        st.prune_fallback ? 1 : 0, static_cast<long long>(st.parts), Digest(*result).c_str());
  }
  return 0;
}

}  // namespace
}  // namespace seimbang::transfer

int main(int argc, char** argv) { return seimbang::transfer::Main(argc, argv); }
