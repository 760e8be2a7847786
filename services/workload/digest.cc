#include "services/workload/digest.h"

#include <openssl/evp.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

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

void AppendHexFloat(double v, std::string& out) {
  static_assert(sizeof(double) == sizeof(uint64_t), "IEEE 754 binary64 expected");
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  const bool negative = (bits >> 63) != 0;
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  uint64_t fraction = bits & ((uint64_t{1} << 52) - 1);
  if (negative) out.push_back('-');
  if (biased == 0x7ff) {
    out += fraction != 0 ? "nan" : "inf";
    return;
  }
  // A subnormal is 0x0.<fraction>p-1022, zero is 0x0p+0; a normal number is 0x1.<fraction>.
  int exponent = 0;
  if (biased != 0) {
    out += "0x1";
    exponent = biased - 1023;
  } else {
    out += "0x0";
    exponent = fraction != 0 ? -1022 : 0;
  }
  if (fraction != 0) {  // the 52 bits as 13 hex digits, trailing zeros left out
    int digits = 13;
    while ((fraction & 0xf) == 0) {
      fraction >>= 4;
      --digits;
    }
    out.push_back('.');
    for (int i = digits - 1; i >= 0; --i)
      out.push_back("0123456789abcdef"[(fraction >> (4 * i)) & 0xf]);
  }
  out.push_back('p');
  out.push_back(exponent < 0 ? '-' : '+');
  absl::StrAppend(&out, exponent < 0 ? -exponent : exponent);
}

std::string Sha256Hex(std::string_view bytes) {
  Sha256 sha;
  sha.Update(bytes);
  return sha.HexDigest();
}

namespace {

// Bytes gathered before each hash update: one EVP call per 64 KiB, not one per task.
constexpr size_t kHashChunk = 64 * 1024;

}  // namespace

std::string InputVersion(const std::vector<StoredWorkload>& workloads,
                         const std::vector<pb::DemandSignal>& signals) {
  Sha256 sha;
  std::string buf;
  buf.reserve(kHashChunk + 4096);
  const auto flush_if_full = [&] {
    if (buf.size() >= kHashChunk) {
      sha.Update(buf);
      buf.clear();
    }
  };
  for (const StoredWorkload& w : workloads) {
    absl::StrAppend(&buf, "W\x1f", w.workload.unit_id(), "\x1f", w.workload.position_code(), "\x1f",
                    w.job_family, "\x1f");
    for (const pb::Task& t : w.workload.tasks()) {
      absl::StrAppend(&buf, "T\x1f", t.name(), "\x1f", t.output_unit(), "\x1f");
      AppendHexFloat(t.volume(), buf);
      absl::StrAppend(&buf, "\x1f", t.period(), "\x1f");
      AppendHexFloat(t.norm_minutes(), buf);
      absl::StrAppend(&buf, "\x1f", t.driver().signal_kind(), "\x1f");
      AppendHexFloat(t.driver().baseline_per_month(), buf);
      buf.push_back('\n');
      flush_if_full();
    }
    flush_if_full();
  }
  for (const pb::DemandSignal& s : signals) {
    absl::StrAppend(&buf, "S\x1f", s.unit_id(), "\x1f", s.kind(), "\x1f", s.month().year(), "\x1f",
                    s.month().month(), "\x1f", s.count(), "\n");
    flush_if_full();
  }
  sha.Update(buf);
  return sha.HexDigest();
}

}  // namespace seimbang::workload
