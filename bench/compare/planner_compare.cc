// Planner quality and speed on one instance, four ways: Seimbang's Solve
// (aggregation + decomposition, 2 threads), plain LEMON (one node per
// employee, one network, 1 thread), CBC on the exported LP, and the greedy
// spreadsheet heuristic. Every plan is scored with the planner's own cost
// functions (outcome.h); each method runs in a forked child (child.h).
//
//   planner_compare [--scale tiny|makassar|province|national] [--seed N]
//                   [--methods seimbang,lemon,cbc,cbc-lp,greedy] [--time-limit S]
//                   [--mem-limit-gib G] [--cbc-model plain|aggregated]
//                   [--budget N] [--check]
// --budget N: at most N moves (Policy::move_budget). Seimbang solves it exactly
// (budget.h) or reports a gap; CBC gets the budget row (ExportLp's "moves"); the
// greedy plan stops after N moves; plain LEMON has no budget and is skipped.
// cbc-lp: CBC's LP relaxation of the same model (`initialSolve`), a lower bound
// on every plan that needs no branching, for instances where the MIP does not
// finish (Makassar under a budget).
// --check: exit 1 unless CBC's optimum (CBC must finish) lies between
// Seimbang's lower bound and its objective (so equals it when Seimbang proved
// optimality, always without a budget), plain LEMON's equals Seimbang's, and
// Seimbang's is at most the greedy one's.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/compare/child.h"
#include "bench/compare/greedy.h"
#include "bench/compare/instance.h"
#include "bench/compare/outcome.h"
#include "bench/limits/limits.h"
#include "services/transfer/planner/model.h"
#include "services/transfer/planner/planner.h"
#include "services/transfer/planner/rules.h"

namespace seimbang::bench {
namespace {

struct Args {
  std::string scale = "makassar";
  uint64_t seed = 20250101;
  std::vector<std::string> methods = {"seimbang", "lemon", "cbc", "greedy"};
  double time_limit = 300;
  double mem_limit_gib = 12;
  bool cbc_aggregated = false;
  std::optional<int> budget;  // --budget: Policy::move_budget of the instance
  bool check = false;
  // Seimbang's row against its targets (--target-seconds, --target-peak-gib; a
  // national run without a budget defaults to issue 22 item 6: 30 s, 4 GiB).
  std::optional<double> target_seconds;
  std::optional<double> target_peak_gib;
};

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Payload of a child: "objective_scaled\tmoves\tbalanced_share\tseconds\tcpu_seconds\t
// lower_bound_scaled\tnote", cpu_seconds counted since the method started (g_cpu_start);
// lower_bound_scaled: no plan is cheaper (the objective itself for an exact solve, "-" when
// the method proves nothing).
double g_cpu_start = 0;
std::string Report(const Outcome& o, double seconds, const std::string& note,
                   std::optional<int64_t> lower_bound_scaled = std::nullopt) {
  return absl::StrFormat("%d\t%d\t%.17g\t%.6f\t%.6f\t%s\t%s", o.objective_scaled, o.moves,
                         o.balanced_share, seconds, CpuSeconds() - g_cpu_start,
                         lower_bound_scaled ? absl::StrCat(*lower_bound_scaled) : "-", note);
}
std::string Failure(const std::string& why) { return absl::StrCat("!", why); }

// Starts a method's clocks: the CPU time Report counts from (g_cpu_start), and the wall clock.
std::chrono::steady_clock::time_point StartClocks() {
  g_cpu_start = CpuSeconds();
  return std::chrono::steady_clock::now();
}

planner::SolveOptions Options(int threads, bool aggregate) {
  planner::SolveOptions options;
  options.threads = threads;
  options.aggregate = aggregate;
  return options;
}

std::string RunSeimbang(const planner::PlanInput& in) {
  const auto start = StartClocks();
  const planner::SolveOptions options = Options(2, true);
  absl::StatusOr<planner::PlanResult> r = planner::Solve(in, options);
  const double seconds = Since(start);
  if (!r.ok()) return Failure(r.status().ToString());
  std::vector<PlainMove> moves;
  moves.reserve(r->moves.size());
  for (const planner::Move& m : r->moves) moves.push_back({m.candidate, m.from, m.to});
  const Outcome o = Score(in, moves);
  const planner::SolveStats& st = r->stats;
  std::string note = absl::StrFormat(
      "%d classes, %d parts, %d arcs (%d pruned, %d parts re-solved%s); moves lower bound %d; "
      "ms: prepare %.0f build %.0f flow %.0f assign %.0f diagnose %.0f",
      st.classes, st.parts, st.arcs, st.pruned_arcs, st.repaired_parts,
      st.prune_fallback ? ", budget re-run unpruned" : "", r->moves_lower_bound, st.prepare_ms,
      st.build_ms, st.flow_ms, st.assign_ms, st.diagnose_ms);
  if (in.policy.move_budget) {
    absl::StrAppend(
        &note, absl::StrFormat("; budget %d: %s, lower bound %.2f, %d nodes",
                               *in.policy.move_budget, r->proven_optimal ? "proven optimal" : "gap",
                               r->objective_lower_bound.value_or(0), r->stats.budget_nodes));
  }
  if (o.objective_scaled != r->objective_scaled) {
    absl::StrAppend(&note, "; MISMATCH: planner reports ", r->objective_scaled);
  }
  std::optional<int64_t> lower_bound;
  if (r->objective_lower_bound) lower_bound = planner::Scale(*r->objective_lower_bound);
  return Report(o, seconds, note, lower_bound);
}

std::string RunPlainLemon(const planner::PlanInput& in) {
  const auto start = StartClocks();
  const planner::SolveOptions options = Options(1, false);
  // BuildModel puts every part side by side in one network: no decomposition.
  absl::StatusOr<planner::FlowModel> model = planner::BuildModel(in, options);
  if (!model.ok()) return Failure(model.status().ToString());
  absl::StatusOr<std::vector<int64_t>> flow = planner::SolveFlow(*model, 0);
  const double seconds = Since(start);
  if (!flow.ok()) return Failure(flow.status().ToString());
  absl::StatusOr<Outcome> o = ScoreFlow(in, *model, *flow);
  if (!o.ok()) return Failure(o.status().ToString());
  return Report(*o, seconds,
                absl::StrFormat("%d nodes, %d arcs", model->num_nodes, model->arcs.size()),
                o->objective_scaled);
}

// The model of `in` as an LP file in `dir`, with the budget row "moves" (sum of move arcs <=
// budget - pinned moves) under a move budget.
absl::StatusOr<planner::FlowModel> ExportModel(const planner::PlanInput& in, bool aggregated,
                                               const std::string& lp) {
  const planner::SolveOptions options = Options(1, aggregated);
  absl::StatusOr<planner::FlowModel> model = planner::BuildModel(in, options);
  if (!model.ok()) return model.status();
  std::ofstream out(lp);
  const int64_t max_moves =
      in.policy.move_budget ? *in.policy.move_budget - static_cast<int64_t>(in.policy.pinned.size())
                            : -1;
  planner::ExportLp(*model, out, max_moves);
  if (!out) return absl::InternalError("cannot write " + lp);
  return model;
}

// Runs `cbc <dir>/model.lp sec LIMIT <step> solu <dir>/solution.txt` (step "solve": the MIP;
// "initialSolve": its LP relaxation) and returns the solution file's first line and the x<arc>
// values, or a Failure text in `error`.
struct CbcSolution {
  std::string status;
  std::vector<double> values;
  std::string error;
};
CbcSolution RunCbcProcess(const std::string& dir, double time_limit, const char* step,
                          size_t arcs) {
  const std::string lp = dir + "/model.lp";
  const std::string sol = dir + "/solution.txt";
  const std::string log = dir + "/cbc.log";
  const std::string limit = absl::StrCat(static_cast<int64_t>(time_limit));
  CbcSolution out;
  const pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(log.c_str(), "w", stdout)) _exit(126);
    execlp("cbc", "cbc", lp.c_str(), "sec", limit.c_str(), step, "solu", sol.c_str(),
           static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    out.error = WIFEXITED(status) && WEXITSTATUS(status) == 127
                    ? "cbc not found"
                    : absl::StrCat("cbc failed (status ", status, "), see ", log);
    return out;
  }
  std::ifstream in_sol(sol);
  std::getline(in_sol, out.status);
  out.values.assign(arcs, 0);
  std::string line;
  while (std::getline(in_sol, line)) {
    std::istringstream fields(line);
    std::string index, name;
    double value = 0;
    if (!(fields >> index >> name >> value) || name.size() < 2 || name[0] != 'x') continue;
    size_t arc = 0;
    if (!absl::SimpleAtoi(name.substr(1), &arc) || arc >= arcs) continue;
    out.values[arc] = value;
  }
  return out;
}

// CBC on the exported MIP; the plan from the x<arc> values, scored like every other.
std::string RunCbc(const planner::PlanInput& in, bool aggregated, double time_limit,
                   const std::string& dir) {
  const auto start = StartClocks();
  absl::StatusOr<planner::FlowModel> model = ExportModel(in, aggregated, dir + "/model.lp");
  if (!model.ok()) return Failure(model.status().ToString());
  const double export_seconds = Since(start);
  const CbcSolution cbc = RunCbcProcess(dir, time_limit, "solve", model->arcs.size());
  const double seconds = Since(start);
  if (!cbc.error.empty()) return Failure(cbc.error);
  if (cbc.status.rfind("Optimal", 0) != 0) return Failure(cbc.status.substr(0, 110));
  std::vector<int64_t> flow(model->arcs.size(), 0);
  for (size_t a = 0; a < flow.size(); ++a) flow[a] = std::llround(cbc.values[a]);
  absl::StatusOr<Outcome> o = ScoreFlow(in, *model, flow);
  if (!o.ok()) return Failure(o.status().ToString());
  return Report(*o, seconds,
                absl::StrFormat("%s model, %d vars%s; LP build+export %.2f s",
                                aggregated ? "aggregated" : "per-employee", model->arcs.size(),
                                in.policy.move_budget ? " + budget row" : "", export_seconds),
                o->objective_scaled);
}

// CBC's LP relaxation of the same model (budget row included): a lower bound on every plan,
// independent of Seimbang's own bound. Its objective column is that bound rounded up to the
// scaled unit (objective points x 100 are integers), in the yardstick's terms: the LP value
// plus what no flow changes (the model's constant and the slots outside every part), taken
// from plain LEMON's unbudgeted flow on the same model. Moves: the LP's sum of move arcs.
std::string RunCbcRelaxation(const planner::PlanInput& in, bool aggregated, double time_limit,
                             const std::string& dir) {
  const auto start = StartClocks();
  absl::StatusOr<planner::FlowModel> model = ExportModel(in, aggregated, dir + "/model.lp");
  if (!model.ok()) return Failure(model.status().ToString());
  absl::StatusOr<std::vector<int64_t>> free_flow = planner::SolveFlow(*model, 0);
  if (!free_flow.ok()) return Failure(free_flow.status().ToString());
  absl::StatusOr<Outcome> free_outcome = ScoreFlow(in, *model, *free_flow);
  if (!free_outcome.ok()) return Failure(free_outcome.status().ToString());
  const int64_t fixed = free_outcome->objective_scaled - planner::FlowCost(*model, *free_flow);
  const double prep_seconds = Since(start);
  const CbcSolution cbc = RunCbcProcess(dir, time_limit, "initialSolve", model->arcs.size());
  const double seconds = Since(start) - prep_seconds;
  if (!cbc.error.empty()) return Failure(cbc.error);
  if (cbc.status.rfind("Optimal", 0) != 0) return Failure(cbc.status.substr(0, 110));
  double lp_cost = 0;
  double moves = 0;
  for (size_t a = 0; a < model->arcs.size(); ++a) {
    lp_cost += static_cast<double>(model->arcs[a].cost) * cbc.values[a];
    if (model->arcs[a].kind == planner::ArcKind::kMove) moves += cbc.values[a];
  }
  Outcome bound;
  bound.objective_scaled = fixed + static_cast<int64_t>(std::ceil(lp_cost - 1e-6));
  bound.moves = std::llround(moves);
  return Report(bound, seconds,
                absl::StrFormat("LP relaxation (a bound, not a plan): %.2f points, %.2f moves; "
                                "%s model, %d vars%s; model, export and the fixed part %.2f s",
                                planner::Unscale(fixed) + lp_cost / 100.0, moves,
                                aggregated ? "aggregated" : "per-employee", model->arcs.size(),
                                in.policy.move_budget ? " + budget row" : "", prep_seconds),
                bound.objective_scaled);
}

std::string RunGreedy(const planner::PlanInput& in) {
  const auto start = StartClocks();
  const std::vector<PlainMove> moves = GreedyPlan(in);
  const double seconds = Since(start);
  return Report(Score(in, moves), seconds, "");
}

std::optional<Args> ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string v;
    if (flag == "--check") {
      a.check = true;
    } else if (flag == "--scale" && value(&v)) {
      a.scale = v;
    } else if (flag == "--seed" && value(&v) && absl::SimpleAtoi(v, &a.seed)) {
    } else if (flag == "--methods" && value(&v)) {
      a.methods = absl::StrSplit(v, ',', absl::SkipEmpty());
    } else if (flag == "--time-limit" && value(&v) && absl::SimpleAtod(v, &a.time_limit)) {
    } else if (flag == "--mem-limit-gib" && value(&v) && absl::SimpleAtod(v, &a.mem_limit_gib)) {
    } else if (flag == "--cbc-model" && value(&v) && (v == "plain" || v == "aggregated")) {
      a.cbc_aggregated = v == "aggregated";
    } else if (double t = 0; flag == "--target-seconds" && value(&v) && absl::SimpleAtod(v, &t)) {
      a.target_seconds = t;
    } else if (double g = 0; flag == "--target-peak-gib" && value(&v) && absl::SimpleAtod(v, &g)) {
      a.target_peak_gib = g;
    } else if (int budget = 0;
               flag == "--budget" && value(&v) && absl::SimpleAtoi(v, &budget) && budget >= 0) {
      a.budget = budget;
    } else {
      std::cerr << "bad argument " << flag
                << "\nusage: planner_compare [--scale tiny|makassar|province|national] "
                   "[--seed N] [--methods seimbang,lemon,cbc,cbc-lp,greedy] [--time-limit S] "
                   "[--mem-limit-gib G] [--cbc-model plain|aggregated] [--budget N] "
                   "[--target-seconds S] [--target-peak-gib G] [--check]\n";
      return std::nullopt;
    }
  }
  for (const std::string& m : a.methods) {
    if (m != "seimbang" && m != "lemon" && m != "cbc" && m != "cbc-lp" && m != "greedy") {
      std::cerr << "unknown method " << m << " (seimbang, lemon, cbc, cbc-lp, greedy)\n";
      return std::nullopt;
    }
  }
  if (a.scale == "national" && !a.budget) {
    if (!a.target_seconds) a.target_seconds = 30;
    if (!a.target_peak_gib) a.target_peak_gib = 4;
  }
  return a;
}

struct Row {
  std::string method;
  bool ok = false;
  int64_t objective_scaled = 0;
  std::optional<int64_t> lower_bound_scaled;  // no plan is cheaper; unset: not proven
  double seconds = 0;
  double cpu = 0;
  double peak_mib = 0;
  std::string text;
};

// Seimbang's wall time and peak against the targets, with the ratios (above 1
// is missed). Prints nothing without targets or without a seimbang row.
void PrintTargets(const Args& args, const ScaleSpec& scale, const std::vector<Row>& rows) {
  if (!args.target_seconds && !args.target_peak_gib) return;
  const Row* s = nullptr;
  for (const Row& r : rows) {
    if (r.method == "seimbang") s = &r;
  }
  if (s == nullptr) return;
  std::string line = absl::StrFormat("target (%s): seimbang", scale.name);
  bool met = s->ok;
  if (!s->ok) absl::StrAppend(&line, " did not finish;");
  if (args.target_seconds) {
    const double ratio = s->seconds / *args.target_seconds;
    met = met && ratio < 1;
    absl::StrAppendFormat(&line, " wall %.2f s / %.0f s = %.2f (cpu %.2f s);", s->seconds,
                          *args.target_seconds, ratio, s->cpu);
  }
  if (args.target_peak_gib) {
    const double limit = *args.target_peak_gib * 1024;
    const double ratio = s->peak_mib / limit;
    met = met && ratio < 1;
    absl::StrAppendFormat(&line, " peak %.0f MiB / %.0f MiB = %.2f;", s->peak_mib, limit, ratio);
  }
  std::printf("%s %s\n", line.c_str(), met ? "met" : "MISSED");
  if (scale.name != "national" || args.budget) return;
  // Issue #22 item 6, on the limit lines tools/bench.sh gathers (a plan that did not finish
  // has no figure, so its lines say NOT MEASURED).
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (args.target_seconds) {
    std::printf("%s\n", LimitLine(6, "national plan (planner), wall s", s->ok ? s->seconds : nan,
                                  Bound::kAtMost, *args.target_seconds)
                            .c_str());
  }
  if (args.target_peak_gib) {
    std::printf("%s\n",
                LimitLine(6, "national plan (planner), peak RSS GiB",
                          s->ok ? s->peak_mib / 1024 : nan, Bound::kAtMost, *args.target_peak_gib)
                    .c_str());
  }
}

int Main(int argc, char** argv) {
  const std::optional<Args> args = ParseArgs(argc, argv);
  if (!args) return 2;
  absl::StatusOr<ScaleSpec> spec = ScaleByName(args->scale);
  if (!spec.ok()) {
    std::cerr << spec.status().message() << "\n";
    return 2;
  }
  // Every child builds its own instance, so each peak is "instance + method"
  // exactly (a forked copy's inherited pages are only partly counted).
  const ScaleSpec scale = *spec;
  const uint64_t seed = args->seed;
  const std::optional<int> budget = args->budget;
  auto instance = [&scale, seed, budget] {
    planner::PlanInput in = GenerateInstance(scale, seed);
    if (budget) in.policy.move_budget = *budget;
    return in;
  };
  const ChildRun info = RunInChild(
      [&scale, seed] {
        const auto start = std::chrono::steady_clock::now();
        const planner::PlanInput in = GenerateInstance(scale, seed);
        return absl::StrFormat(
            "%d staff, %d unit x position slots, %d agencies; generated in "
            "%.2f s; RSS with the instance %.0f MiB\nbalanced share before: "
            "%.4f (staffed slots with need/staff in [0.90, 1.10])",
            in.candidates.size(), in.destinations.size(), scale.agencies, Since(start),
            CurrentRssKib() / 1024.0, BalancedShareBefore(in));
      },
      ChildLimits{});
  if (!info.finished) {
    std::cerr << "instance generation failed: " << info.failure << "\n";
    return 1;
  }
  std::printf("instance: %s (synthetic, seed %llu): %s\n", scale.name.c_str(),
              static_cast<unsigned long long>(seed), info.payload.c_str());
  std::printf("limits per method: %.0f s, %.0f GiB address space\n", args->time_limit,
              args->mem_limit_gib);
  std::printf("move budget: %s\n\n", budget ? absl::StrCat(*budget).c_str() : "none");
  std::printf("%-9s %16s %9s %9s %10s %9s %10s  %s\n", "method", "objective", "moves", "balanced",
              "wall (s)", "cpu (s)", "peak MiB", "notes");
  std::fflush(stdout);

  ChildLimits limits;
  limits.seconds = args->time_limit;
  limits.address_bytes = static_cast<int64_t>(args->mem_limit_gib * (1LL << 30));
  std::vector<Row> rows;
  for (const std::string& method : args->methods) {
    std::string dir;
    std::function<std::string()> work;
    ChildLimits these = limits;
    if (method == "seimbang") {
      work = [&] { return RunSeimbang(instance()); };
    } else if (method == "lemon" && budget) {
      std::printf("%-9s skipped: a plain min-cost flow has no move budget\n", method.c_str());
      continue;
    } else if (method == "lemon") {
      work = [&] { return RunPlainLemon(instance()); };
    } else if (method == "greedy") {
      work = [&] { return RunGreedy(instance()); };
    } else {
      char tmpl[] = "/tmp/planner_compare_cbc.XXXXXX";
      if (mkdtemp(tmpl) == nullptr) {
        std::perror("mkdtemp");
        return 1;
      }
      dir = tmpl;
      // cbc gets the time limit itself; model building and export get a grace.
      these.seconds = args->time_limit + 120;
      work = [&, dir, method] {
        return method == "cbc"
                   ? RunCbc(instance(), args->cbc_aggregated, args->time_limit, dir)
                   : RunCbcRelaxation(instance(), args->cbc_aggregated, args->time_limit, dir);
      };
    }
    const ChildRun run = RunInChild(work, these);
    if (!dir.empty()) std::filesystem::remove_all(dir);
    Row row;
    row.method = method;
    const double peak = run.max_rss_kib / 1024.0;
    row.peak_mib = peak;
    if (!run.finished || run.payload.empty() || run.payload[0] == '!') {
      const std::string why = !run.finished         ? run.failure
                              : run.payload.empty() ? std::string("no result")
                                                    : run.payload.substr(1);
      row.text = absl::StrFormat("%-9s %16s %9s %9s %10s %9s %10.0f  did not finish: %s", method,
                                 "-", "-", "-", "-", "-", peak, why);
    } else {
      std::vector<std::string> f = absl::StrSplit(run.payload, absl::MaxSplits('\t', 6));
      double balanced = 0;
      double seconds = 0;
      double cpu = 0;
      int64_t moves = 0;
      int64_t lower_bound = 0;
      row.ok = f.size() == 7 && absl::SimpleAtoi(f[0], &row.objective_scaled) &&
               absl::SimpleAtoi(f[1], &moves) && absl::SimpleAtod(f[2], &balanced) &&
               absl::SimpleAtod(f[3], &seconds) && absl::SimpleAtod(f[4], &cpu) &&
               (f[5] == "-" || absl::SimpleAtoi(f[5], &lower_bound));
      if (row.ok && f[5] != "-") row.lower_bound_scaled = lower_bound;
      row.seconds = seconds;
      row.cpu = cpu;
      row.text = absl::StrFormat("%-9s %16.2f %9d %9.4f %10.3f %9.3f %10.0f  %s", method,
                                 planner::Unscale(row.objective_scaled), moves, balanced, seconds,
                                 cpu, peak, row.ok ? f[6] : "unreadable result");
    }
    std::printf("%s\n", row.text.c_str());
    std::fflush(stdout);
    rows.push_back(std::move(row));
  }
  std::printf(
      "\nobjective: move costs + convex staffing penalties (points), all four scored by "
      "the planner's MoveCostScaled/PenaltyScaled; wall and cpu (user+sys, all threads and cbc) "
      "exclude building the instance, peak "
      "MiB includes it (each method runs in its own process; cbc's peak counts for cbc).\n");
  PrintTargets(*args, scale, rows);
  if (!args->check) return 0;

  std::map<std::string, const Row*> by_method;
  for (const Row& r : rows) by_method[r.method] = &r;
  const Row* seimbang = by_method.count("seimbang") ? by_method["seimbang"] : nullptr;
  if (seimbang == nullptr || !seimbang->ok) {
    std::printf("check FAILED: seimbang did not produce a plan\n");
    return 1;
  }
  bool ok = true;
  // An exact method's optimum lies in [Seimbang's lower bound, Seimbang's objective]: equal to
  // the objective when Seimbang proved optimality (always without a budget), else within the
  // gap it reports. Without a lower bound (a heuristic setting the bench does not use) the
  // objectives must be equal.
  const int64_t low = seimbang->lower_bound_scaled.value_or(seimbang->objective_scaled);
  for (const char* exact : {"lemon", "cbc"}) {
    if (!by_method.count(exact)) continue;
    const Row* r = by_method[exact];
    if (!r->ok || r->objective_scaled < low || r->objective_scaled > seimbang->objective_scaled) {
      std::printf("check FAILED: seimbang objective %lld (lower bound %lld), %s %s\n",
                  static_cast<long long>(seimbang->objective_scaled), static_cast<long long>(low),
                  exact, r->ok ? std::to_string(r->objective_scaled).c_str() : "did not finish");
      ok = false;
    } else {
      std::printf("%s: %s\n", exact,
                  r->objective_scaled == seimbang->objective_scaled
                      ? "the same objective as seimbang"
                      : "inside seimbang's reported gap");
    }
  }
  // CBC's LP relaxation bounds every plan from below: Seimbang's objective is never under it,
  // and equal to it means Seimbang's plan is optimal whatever the MIP solvers manage.
  if (by_method.count("cbc-lp")) {
    const Row* r = by_method["cbc-lp"];
    if (!r->ok || r->objective_scaled > seimbang->objective_scaled) {
      std::printf("check FAILED: seimbang objective %lld, cbc-lp bound %s\n",
                  static_cast<long long>(seimbang->objective_scaled),
                  r->ok ? std::to_string(r->objective_scaled).c_str() : "did not finish");
      ok = false;
    } else {
      std::printf("cbc-lp: %s\n", r->objective_scaled == seimbang->objective_scaled
                                      ? "its bound equals seimbang's objective: seimbang's plan "
                                        "is optimal"
                                      : "its bound lies below seimbang's objective");
    }
  }
  if (by_method.count("greedy")) {
    const Row* g = by_method["greedy"];
    if (!g->ok || seimbang->objective_scaled > g->objective_scaled) {
      std::printf("check FAILED: seimbang objective above greedy's\n");
      ok = false;
    }
  }
  if (ok) std::printf("check: ok\n");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace seimbang::bench

int main(int argc, char** argv) { return seimbang::bench::Main(argc, argv); }
