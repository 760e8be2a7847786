#include "bench/serving/load.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "absl/strings/str_cat.h"

namespace seimbang::bench {

void LoadResult::Merge(LoadResult other) {
  ok += other.ok;
  failed += other.failed;
  calls += other.calls;
  if (first_error.empty()) first_error = std::move(other.first_error);
  seconds += other.seconds;
  latency_ns.insert(latency_ns.end(), other.latency_ns.begin(), other.latency_ns.end());
}

namespace {

// Nearest rank q of the non-empty `sorted`: the smallest value with at least q of them at or
// below it.
template <typename T>
double NearestRank(const std::vector<T>& sorted, double q) {
  const size_t n = sorted.size();
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(n)));
  rank = std::clamp<size_t>(rank, 1, n);
  return static_cast<double>(sorted[rank - 1]);
}

}  // namespace

Percentiles ComputePercentiles(std::vector<int64_t> latency_ns) {
  Percentiles p;
  if (latency_ns.empty()) return p;
  std::sort(latency_ns.begin(), latency_ns.end());
  p.p50_us = NearestRank(latency_ns, 0.50) / 1000.0;
  p.p90_us = NearestRank(latency_ns, 0.90) / 1000.0;
  p.p99_us = NearestRank(latency_ns, 0.99) / 1000.0;
  return p;
}

double Percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return NearestRank(values, q);
}

std::vector<std::shared_ptr<grpc::Channel>> MakeBenchChannels(const std::string& address,
                                                              int count) {
  std::vector<std::shared_ptr<grpc::Channel>> out;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments args;
    // Without a local pool, channels with equal arguments share one connection.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("seimbang.bench.channel", i);
    out.push_back(grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
  }
  return out;
}

namespace internal {

namespace {
Clock::duration Seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}
}  // namespace

Tally::Tally(const LoadOptions& options) {
  measure_from_ = Clock::now() + Seconds(options.warmup_seconds);
  end_ = measure_from_ + Seconds(options.seconds);
  result_.seconds = options.seconds;
}

void Tally::Record(Clock::time_point started, Clock::time_point done, const absl::Status& status) {
  // Every call must succeed, warm-up and drain included; only calls that start
  // and end inside the window are timed.
  ++result_.calls;
  if (!status.ok()) {
    ++result_.failed;
    if (result_.first_error.empty()) result_.first_error = status.ToString();
    return;
  }
  if (started < measure_from_ || done >= end_) return;
  ++result_.ok;
  result_.latency_ns.push_back(
      std::chrono::duration_cast<std::chrono::nanoseconds>(done - started).count());
}

LoadResult Tally::Finish() { return std::move(result_); }

}  // namespace internal

LoadResult RunWorkerLoad(const LoadOptions& options, const WorkerCall& call) {
  const internal::Tally window(options);
  std::vector<LoadResult> results(static_cast<size_t>(options.concurrency));
  std::vector<std::thread> workers;
  for (int w = 0; w < options.concurrency; ++w) {
    workers.emplace_back([&, w] {
      internal::Tally mine = window;  // same window, own tallies: no lock per call
      while (true) {
        const Clock::time_point started = Clock::now();
        if (!mine.Running(started)) break;
        absl::Status st = call(w);
        mine.Record(started, Clock::now(), st);
      }
      results[static_cast<size_t>(w)] = mine.Finish();
    });
  }
  for (std::thread& t : workers) t.join();
  LoadResult total;
  total.seconds = options.seconds;
  for (LoadResult& r : results) {
    r.seconds = 0;  // the window is counted once
    total.Merge(std::move(r));
  }
  return total;
}

LoadResult RunDbLoad(const LoadOptions& options, db::Pool& pool, const DbCall& call) {
  // Connections first, so connecting is not part of the measured window.
  std::vector<db::PooledConnection> conns;
  LoadResult failed;
  for (int i = 0; i < options.concurrency; ++i) {
    absl::StatusOr<db::PooledConnection> c = pool.Acquire();
    if (!c.ok()) {
      failed.failed = 1;
      failed.first_error = absl::StrCat("connection ", i, ": ", c.status().ToString());
      return failed;
    }
    conns.push_back(*std::move(c));
  }
  return RunWorkerLoad(options, [&](int w) { return call(*conns[static_cast<size_t>(w)], w); });
}

}  // namespace seimbang::bench
