// The /metrics endpoint stops with its service: a service's stop is not held up by the HTTP
// exposer (civetweb looks at its stop flag only when its accept poll returns, after up to 2 s).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>

#include "common/metrics/metrics.h"
#include "gtest/gtest.h"

namespace seimbang::metrics {
namespace {

bool Connects(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

TEST(MetricsExposer, StopsWellWithinItsAcceptPollsTwoSecondTimeoutAndFreesThePort) {
  absl::StatusOr<std::unique_ptr<Metrics>> m = Metrics::Create("127.0.0.1:0", "test", "0");
  ASSERT_TRUE(m.ok()) << m.status();
  const int port = (*m)->port();
  ASSERT_GT(port, 0);
  // A moment after start the accept loop is in a 2 s poll: without the wake the stop takes
  // about 2 s. (A connection now would wake that poll and hide the wait.)
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto start = std::chrono::steady_clock::now();
  m->reset();
  const auto took_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  EXPECT_LT(took_ms, 1000) << "the exposer took " << took_ms << " ms to stop";
  EXPECT_FALSE(Connects(port));
}

}  // namespace
}  // namespace seimbang::metrics
