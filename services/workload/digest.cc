#include "services/workload/digest.h"

#include <openssl/evp.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace seimbang::workload {

namespace {

// Incremental SHA-256 so a national input is hashed without one giant buffer.
class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }
  std::string HexDigest() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_, out, &len);
    return absl::BytesToHexString(
        std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(len)));
  }

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  Sha256 sha;
  sha.Update(bytes);
  return sha.HexDigest();
}

std::string InputVersion(const std::vector<StoredWorkload>& workloads,
                         const std::vector<pb::DemandSignal>& signals) {
  Sha256 sha;
  for (const StoredWorkload& w : workloads) {
    sha.Update(absl::StrCat("W\x1f", w.workload.unit_id(), "\x1f", w.workload.position_code(),
                            "\x1f", w.job_family, "\x1f"));
    for (const pb::Task& t : w.workload.tasks()) {
      sha.Update(absl::StrCat("T\x1f", t.name(), "\x1f", t.output_unit(), "\x1f",
                              absl::StrFormat("%a", t.volume()), "\x1f", t.period(), "\x1f",
                              absl::StrFormat("%a", t.norm_minutes()), "\x1f",
                              t.driver().signal_kind(), "\x1f",
                              absl::StrFormat("%a", t.driver().baseline_per_month()), "\n"));
    }
  }
  for (const pb::DemandSignal& s : signals) {
    sha.Update(absl::StrCat("S\x1f", s.unit_id(), "\x1f", s.kind(), "\x1f", s.month().year(),
                            "\x1f", s.month().month(), "\x1f", s.count(), "\n"));
  }
  return sha.HexDigest();
}

}  // namespace seimbang::workload
