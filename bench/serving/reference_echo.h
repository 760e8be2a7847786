#ifndef SEIMBANG_BENCH_SERVING_REFERENCE_ECHO_H_
#define SEIMBANG_BENCH_SERVING_REFERENCE_ECHO_H_
// The reference of issue #22 item 2: the smallest echo server gRPC's callback API allows
// (no interceptors, no auth, no logs), run inside the benchmark's own process, so that the
// project's echo is measured against what gRPC itself does on the same machine in the same run.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace seimbang::bench {

class ReferenceEchoServer {
 public:
  // Listens on 127.0.0.1 at a port the OS picks. with_health adds gRPC's default health service
  // (SERVING), for the standalone minimal-echo-server that the harness probes.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<ReferenceEchoServer>> Start(
      bool with_health = false);
  ~ReferenceEchoServer();

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  ReferenceEchoServer() = default;
  std::unique_ptr<grpc::Service> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace seimbang::bench

#endif  // SEIMBANG_BENCH_SERVING_REFERENCE_ECHO_H_
