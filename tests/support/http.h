// A minimal HTTP/1.0 client for tests: enough to scrape a service's /metrics (the exposer's
// text format) on 127.0.0.1.
#ifndef SEIMBANG_TESTS_SUPPORT_HTTP_H_
#define SEIMBANG_TESTS_SUPPORT_HTTP_H_

#include <string>

namespace seimbang::testsupport {

// The body of GET `path` on 127.0.0.1:`port` (headers dropped); "" when nothing answers.
[[nodiscard]] std::string HttpGet(int port, const std::string& path = "/metrics");

}  // namespace seimbang::testsupport

#endif  // SEIMBANG_TESTS_SUPPORT_HTTP_H_
