// A minimal HTTP/1.0 client for tests, enough to scrape a service's /metrics (the exposer's
// text format) on 127.0.0.1, and the loopback sockets it is made of.
#ifndef SEIMBANG_TESTS_SUPPORT_HTTP_H_
#define SEIMBANG_TESTS_SUPPORT_HTTP_H_

#include <string>

namespace seimbang::testsupport {

// A TCP connection to 127.0.0.1:`port`: its descriptor (the caller closes it), or -1 when
// nothing accepts it.
[[nodiscard]] int ConnectLoopback(int port);

// A loopback port nobody listens on at this moment (0 when none could be had); another
// process may still take it before the caller binds it.
[[nodiscard]] int FreeLoopbackPort();

// The body of GET `path` on 127.0.0.1:`port` (headers dropped); "" when nothing answers.
[[nodiscard]] std::string HttpGet(int port, const std::string& path = "/metrics");

}  // namespace seimbang::testsupport

#endif  // SEIMBANG_TESTS_SUPPORT_HTTP_H_
