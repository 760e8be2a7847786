#ifndef SEIMBANG_BENCH_SERVING_LOAD_H_
#define SEIMBANG_BENCH_SERVING_LOAD_H_

// Closed-loop load generators for the serving benchmark: N calls outstanding at
// all times, a new one started as soon as one completes. gRPC calls go through
// one completion queue over several channels (separate TCP connections);
// database selects run on N threads with one connection each.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/db/pool.h"

namespace seimbang::bench {

using Clock = std::chrono::steady_clock;

// What one measured phase did. Calls completing during the warm-up are not counted.
struct LoadResult {
  int64_t ok = 0;
  int64_t failed = 0;
  int64_t calls = 0;                // every call that ended, warm-up and drain included
  std::string first_error;          // empty when every call succeeded
  double seconds = 0;               // measured window
  std::vector<int64_t> latency_ns;  // one per successful measured call

  // Adds another run of the same phase (rounds of a benchmark).
  void Merge(LoadResult other);
  double CallsPerSecond() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
};

// Latency percentiles in microseconds; q in [0, 1]. Nearest rank on the sorted
// latencies; 0 when there are none.
struct Percentiles {
  double p50_us = 0;
  double p90_us = 0;
  double p99_us = 0;
};
[[nodiscard]] Percentiles ComputePercentiles(std::vector<int64_t> latency_ns);

// The nearest-rank percentile q (0..1) of `values`, as ComputePercentiles takes them: the
// smallest value with at least q of the values at or below it; 0 when there are none. q = 0.5
// of an odd count is its median.
[[nodiscard]] double Percentile(std::vector<double> values, double q);

struct LoadOptions {
  int concurrency = 8;  // calls outstanding
  int channels = 4;     // gRPC only: connections the calls are spread over
  double warmup_seconds = 1;
  double seconds = 10;
};

// Plain channels, each on its own TCP connection (a local subchannel pool),
// with no retry policy: the client adds nothing to what the server costs.
std::vector<std::shared_ptr<grpc::Channel>> MakeBenchChannels(const std::string& address,
                                                              int count);

// Starts one call on `cq` for outstanding slot `slot` (the caller picks the
// channel, e.g. slot % channels, and the request). The returned reader gets
// Finish(response, status, tag) from the driver.
template <typename Response>
using StartCall = std::function<std::unique_ptr<grpc::ClientAsyncResponseReader<Response>>(
    int slot, grpc::ClientContext* ctx, grpc::CompletionQueue* cq)>;

// Checks a successful response (e.g. a page has 100 rows); a non-OK status
// counts the call as failed.
template <typename Response>
using CheckResponse = std::function<absl::Status(int slot, const Response& response)>;

// Runs the closed loop on the calling thread until warm-up + seconds are over
// and every outstanding call has completed.
template <typename Response>
LoadResult RunGrpcLoad(const LoadOptions& options, const StartCall<Response>& start,
                       const CheckResponse<Response>& check);

// One select per call on its own pooled connection per worker: `query(conn,
// worker)` runs one statement and reports whether it found what it should.
using DbCall = std::function<absl::Status(db::Connection& conn, int worker)>;
LoadResult RunDbLoad(const LoadOptions& options, db::Pool& pool, const DbCall& call);

// `concurrency` threads, each calling `call(worker)` back to back: the closed loop of work
// that is not a gRPC call (RunDbLoad; the services' own repository reads).
using WorkerCall = std::function<absl::Status(int worker)>;
LoadResult RunWorkerLoad(const LoadOptions& options, const WorkerCall& call);

// ------------------------------------------------------------------ template

namespace internal {
// Shared bookkeeping of one phase: window bounds and the tallies.
class Tally {
 public:
  explicit Tally(const LoadOptions& options);
  bool Running(Clock::time_point now) const { return now < end_; }
  void Record(Clock::time_point started, Clock::time_point done, const absl::Status& status);
  LoadResult Finish();

 private:
  Clock::time_point measure_from_;
  Clock::time_point end_;
  LoadResult result_;
};
}  // namespace internal

template <typename Response>
LoadResult RunGrpcLoad(const LoadOptions& options, const StartCall<Response>& start,
                       const CheckResponse<Response>& check) {
  struct Slot {
    std::unique_ptr<grpc::ClientContext> ctx;
    std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;
    Response response;
    grpc::Status status;
    Clock::time_point started;
  };
  grpc::CompletionQueue cq;
  std::vector<Slot> slots(static_cast<size_t>(options.concurrency));
  auto launch = [&](int i) {
    Slot& s = slots[static_cast<size_t>(i)];
    s.ctx = std::make_unique<grpc::ClientContext>();
    s.ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    s.response.Clear();
    s.started = Clock::now();
    s.reader = start(i, s.ctx.get(), &cq);
    s.reader->Finish(&s.response, &s.status, reinterpret_cast<void*>(static_cast<intptr_t>(i)));
  };
  internal::Tally tally(options);
  for (int i = 0; i < options.concurrency; ++i) launch(i);
  int outstanding = options.concurrency;
  void* tag = nullptr;
  bool ok = false;
  while (outstanding > 0 && cq.Next(&tag, &ok)) {
    const int i = static_cast<int>(reinterpret_cast<intptr_t>(tag));
    Slot& s = slots[static_cast<size_t>(i)];
    const Clock::time_point done = Clock::now();
    absl::Status st;
    if (!ok) {
      st = absl::InternalError("completion queue reported a failed operation");
    } else if (!s.status.ok()) {
      st = absl::Status(static_cast<absl::StatusCode>(s.status.error_code()),
                        s.status.error_message());
    } else {
      st = check(i, s.response);
    }
    tally.Record(s.started, done, st);
    if (tally.Running(done)) {
      launch(i);
    } else {
      --outstanding;
    }
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return tally.Finish();
}

}  // namespace seimbang::bench

#endif  // SEIMBANG_BENCH_SERVING_LOAD_H_
