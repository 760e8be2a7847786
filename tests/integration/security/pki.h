#ifndef SEIMBANG_TESTS_INTEGRATION_SECURITY_PKI_H_
#define SEIMBANG_TESTS_INTEGRATION_SECURITY_PKI_H_

#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace seimbang::testing {

// A throwaway PKI made with the openssl command line, valid for one day:
// the trusted CA, a server certificate for localhost/127.0.0.1 and a client
// certificate it signed, and an unrelated CA with its own client certificate.
// All keys are EC P-256 so that generating them costs milliseconds.
struct TestPki {
  std::string dir;
  std::string ca_cert;
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;
  std::string other_ca_cert;
  std::string other_client_cert;
  std::string other_client_key;
};

// Creates the PKI in a fresh directory under $TMPDIR. FAILED_PRECONDITION
// naming the command when openssl fails (or is not installed).
[[nodiscard]] absl::StatusOr<TestPki> MakeTestPki();

// Writes `content` to a new file in `dir` and returns its path.
std::string WriteFile(const std::string& dir, const std::string& name, const std::string& content);

// A fixture with a fresh TestPki in `pki_` for each test, removed after it. A subclass that
// overrides SetUp starts with ASSERT_NO_FATAL_FAILURE(PkiTest::SetUp()); one that overrides
// TearDown stops whatever reads the PKI's files, then calls PkiTest::TearDown().
class PkiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  TestPki pki_;
};

}  // namespace seimbang::testing

#endif  // SEIMBANG_TESTS_INTEGRATION_SECURITY_PKI_H_
