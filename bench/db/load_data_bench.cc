// Formatting rows as LOAD DATA text (db::AppendLoadDataRows), as an import batch does for its
// new employees: 5,000 rows shaped like personnel's employees row, once with the text's room
// reserved up front (AppendLoadDataRows) and once grown row by row.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "common/db/connection.h"

namespace seimbang::db {
namespace {

std::vector<Params> EmployeeLikeRows(int n) {
  std::vector<Params> rows;
  rows.reserve(n);
  for (int i = 0; i < n; ++i) {
    rows.push_back({Text("1985031220100" + std::to_string(10000 + i)),
                    Text("Andi Baso Rahman, S.Kom."),
                    Int(1),
                    Text("III/c"),
                    Int(6),
                    Text("Teknik Informatika"),
                    Text("pengadaan,arsip,keuangan"),
                    Text("B,B,A"),
                    Int(0),
                    Int(0),
                    Int(0),
                    Null(),
                    Null(),
                    Int(1000 + i % 500),
                    Text("JF-ANALIS-KEBIJAKAN"),
                    Text("2019-01-01"),
                    Text("Tamalate"),
                    Real(-5.1476651 + i * 1e-5),
                    Real(119.4327314 - i * 1e-5),
                    Text("1985-03-12"),
                    Int(1),
                    Text("2010-01"),
                    Text("7371-DINKES"),
                    Int(0),
                    Int(1),
                    Null(),
                    Int(1)});
  }
  return rows;
}

void BM_AppendLoadDataRows(benchmark::State& state) {
  const std::vector<Params> rows = EmployeeLikeRows(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::string text;
    AppendLoadDataRows(rows, text);
    benchmark::DoNotOptimize(text.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AppendLoadDataRows)->Arg(5000)->Unit(benchmark::kMillisecond);

void BM_AppendLoadDataRowGrowing(benchmark::State& state) {
  const std::vector<Params> rows = EmployeeLikeRows(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::string text;
    for (const Params& row : rows) AppendLoadDataRow(row, text);
    benchmark::DoNotOptimize(text.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AppendLoadDataRowGrowing)->Arg(5000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace seimbang::db

BENCHMARK_MAIN();
