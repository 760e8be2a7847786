#include "tests/integration/security/pki.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace seimbang::testing {
namespace {

absl::Status Run(const std::string& dir, const std::string& cmd) {
  // Quiet on success; the test prints the command when it fails.
  const std::string full = absl::StrCat("cd '", dir, "' && ", cmd, " > openssl.log 2>&1");
  if (std::system(full.c_str()) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("openssl failed: ", cmd, " (see ", dir, "/openssl.log)"));
  }
  return absl::OkStatus();
}

constexpr char kEcKey[] = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

absl::Status MakeCa(const std::string& dir, const std::string& name, const std::string& cn) {
  return Run(dir, absl::StrCat("openssl req -x509 ", kEcKey, " -days 1 -subj '/O=Seimbang test/CN=",
                               cn, "' -keyout ", name, ".key -out ", name, ".crt"));
}

// A leaf certificate `name` signed by CA `ca` with the extensions in `ext`.
absl::Status MakeLeaf(const std::string& dir, const std::string& ca, const std::string& name,
                      const std::string& cn, const std::string& ext) {
  WriteFile(dir, name + ".ext", ext);
  absl::Status s = Run(dir, absl::StrCat("openssl req ", kEcKey, " -subj '/O=Seimbang test/CN=", cn,
                                         "' -keyout ", name, ".key -out ", name, ".csr"));
  if (!s.ok()) return s;
  return Run(dir, absl::StrCat("openssl x509 -req -in ", name, ".csr -CA ", ca, ".crt -CAkey ", ca,
                               ".key -CAcreateserial -days 1 -extfile ", name, ".ext -out ", name,
                               ".crt"));
}

}  // namespace

std::string WriteFile(const std::string& dir, const std::string& name, const std::string& content) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::trunc) << content;
  return path;
}

absl::StatusOr<TestPki> MakeTestPki() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/seimbang-pki-XXXXXX");
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  // A unique directory: ctest runs test cases of this binary in parallel.
  if (mkdtemp(buf.data()) == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("cannot create ", pattern));
  }
  TestPki p;
  p.dir = buf.data();
  const std::string leaf = "basicConstraints=critical,CA:FALSE\nkeyUsage=digitalSignature\n";
  for (absl::Status s : {
           MakeCa(p.dir, "ca", "Seimbang Test CA"),
           MakeLeaf(p.dir, "ca", "server", "localhost",
                    leaf + "extendedKeyUsage=serverAuth\n"
                           "subjectAltName=DNS:localhost,IP:127.0.0.1\n"),
           MakeLeaf(p.dir, "ca", "client", "transfer-planning",
                    leaf + "extendedKeyUsage=clientAuth\n"),
           MakeCa(p.dir, "other-ca", "Unrelated CA"),
           MakeLeaf(p.dir, "other-ca", "other-client", "transfer-planning",
                    leaf + "extendedKeyUsage=clientAuth\n"),
       }) {
    if (!s.ok()) return s;
  }
  p.ca_cert = p.dir + "/ca.crt";
  p.server_cert = p.dir + "/server.crt";
  p.server_key = p.dir + "/server.key";
  p.client_cert = p.dir + "/client.crt";
  p.client_key = p.dir + "/client.key";
  p.other_ca_cert = p.dir + "/other-ca.crt";
  p.other_client_cert = p.dir + "/other-client.crt";
  p.other_client_key = p.dir + "/other-client.key";
  return p;
}

void PkiTest::SetUp() {
  absl::StatusOr<TestPki> pki = MakeTestPki();
  ASSERT_TRUE(pki.ok()) << pki.status();
  pki_ = *std::move(pki);
}

void PkiTest::TearDown() {
  if (!pki_.dir.empty()) std::filesystem::remove_all(pki_.dir);
}

}  // namespace seimbang::testing
