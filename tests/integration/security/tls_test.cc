// Transport security over real gRPC: a throwaway CA made with openssl, the
// common/server bootstrap around the echo service, and common/server's
// MakeChannel as the services' client.
#include <memory>
#include <string>

#include "common/server/channel.h"
#include "common/server/server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/security/pki.h"
#include "tests/integration/security/support.h"
#include "tests/integration/server/echo_service.h"

namespace seimbang::testing {
namespace {

using ::testing::HasSubstr;

class SecurityTlsTest : public PkiTest {
 protected:
  void TearDown() override {
    server_.reset();
    PkiTest::TearDown();
  }

  // Starts the server with TLS, and with mTLS when `require_client_cert`.
  void StartServer(bool require_client_cert) {
    server::ServerConfig c = LocalEchoConfig();
    c.tls_cert = pki_.server_cert;
    c.tls_key = pki_.server_key;
    if (require_client_cert) c.tls_ca = pki_.ca_cert;
    c.auth_hs256_secret_file = WriteFile(pki_.dir, "hs256.secret", kSecret + "\n");
    absl::StatusOr<std::unique_ptr<server::RunningServer>> s = StartEchoServer(c, &echo_);
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    address_ = "127.0.0.1:" + std::to_string(server_->port());
  }

  std::shared_ptr<grpc::Channel> Channel(const std::string& ca, const std::string& cert = "",
                                         const std::string& key = "") {
    server::ChannelOptions o;
    o.tls.ca_file = ca;
    o.tls.cert_file = cert;
    o.tls.key_file = key;
    absl::StatusOr<std::shared_ptr<grpc::Channel>> ch = server::MakeChannel(address_, o);
    EXPECT_TRUE(ch.ok()) << ch.status();
    return ch.value_or(nullptr);
  }

  // Asserts Echo over `channel` fails in the transport (UNAVAILABLE) and no handler ran.
  void ExpectRefusedBeforeAnyHandler(const std::shared_ptr<grpc::Channel>& channel) {
    grpc::Status st = CallEcho(channel, admin_);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
    EXPECT_EQ(echo_.handled.load(), 0);
  }

  // Asserts Echo over `channel` without a token is UNAUTHENTICATED.
  void ExpectTokenRequired(const std::shared_ptr<grpc::Channel>& channel) {
    grpc::Status st = CallEcho(channel, "");
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(st.error_message(), "missing bearer token");
  }

  EchoService echo_;
  std::unique_ptr<server::RunningServer> server_;
  std::string address_;
  const std::string admin_ = MintToken({});
};

TEST_F(SecurityTlsTest, MtlsAcceptsAClientCertificateFromTheConfiguredCaWithAValidToken) {
  StartServer(/*require_client_cert=*/true);
  v1::EchoResponse resp;
  grpc::Status st =
      CallEcho(Channel(pki_.ca_cert, pki_.client_cert, pki_.client_key), admin_, &resp);
  ASSERT_TRUE(st.ok()) << st.error_code() << ": " << st.error_message();
  EXPECT_EQ(resp.text(), "halo");
  EXPECT_EQ(resp.caller_role(), "admin");
  EXPECT_EQ(echo_.handled.load(), 1);
}

TEST_F(SecurityTlsTest, MtlsRefusesAClientWithoutACertificateBeforeAnyHandler) {
  StartServer(true);
  ExpectRefusedBeforeAnyHandler(Channel(pki_.ca_cert));
}

TEST_F(SecurityTlsTest, MtlsRefusesAClientCertificateFromAnotherCa) {
  StartServer(true);
  ExpectRefusedBeforeAnyHandler(
      Channel(pki_.ca_cert, pki_.other_client_cert, pki_.other_client_key));
}

TEST_F(SecurityTlsTest, MtlsStillRequiresAValidTokenWithARightCertificate) {
  StartServer(true);
  ExpectTokenRequired(Channel(pki_.ca_cert, pki_.client_cert, pki_.client_key));
  EXPECT_EQ(echo_.handled.load(), 0);
}

TEST_F(SecurityTlsTest, MtlsAnswersHealthWithoutATokenToACertifiedClient) {
  StartServer(true);
  EXPECT_EQ(HealthStatus(Channel(pki_.ca_cert, pki_.client_cert, pki_.client_key)), "SERVING");
}

TEST_F(SecurityTlsTest, APlaintextChannelToATlsPortFails) {
  StartServer(true);
  ExpectRefusedBeforeAnyHandler(Channel(/*ca=*/""));
  EXPECT_THAT(HealthStatus(Channel("")), HasSubstr("error: 14:"));
}

TEST_F(SecurityTlsTest, AClientThatDoesNotTrustTheServersCaRefusesTheServer) {
  StartServer(true);
  ExpectRefusedBeforeAnyHandler(Channel(pki_.other_ca_cert, pki_.client_cert, pki_.client_key));
}

TEST_F(SecurityTlsTest, TlsWithoutACaServesClientsWithoutACertificate) {
  StartServer(/*require_client_cert=*/false);
  v1::EchoResponse resp;
  grpc::Status st = CallEcho(Channel(pki_.ca_cert), admin_, &resp);
  ASSERT_TRUE(st.ok()) << st.error_code() << ": " << st.error_message();
  EXPECT_EQ(resp.text(), "halo");
}

TEST_F(SecurityTlsTest, TlsWithoutACaStillRefusesPlaintext) {
  StartServer(false);
  grpc::Status st = CallEcho(Channel(""), admin_);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
}

TEST_F(SecurityTlsTest, TlsWithoutACaStillRequiresAToken) {
  StartServer(false);
  ExpectTokenRequired(Channel(pki_.ca_cert));
}

TEST_F(SecurityTlsTest, AServerWhoseCertificateFileIsMissingDoesNotStart) {
  server::ServerConfig c = LocalEchoConfig();
  c.tls_cert = pki_.dir + "/absent.crt";
  c.tls_key = pki_.server_key;
  c.auth_hs256_secret_file = WriteFile(pki_.dir, "hs256.secret", kSecret);
  absl::StatusOr<std::unique_ptr<server::RunningServer>> s = StartEchoServer(c, &echo_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "--tls-cert: cannot read " + pki_.dir + "/absent.crt");
}

}  // namespace
}  // namespace seimbang::testing
