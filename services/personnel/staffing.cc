#include "services/personnel/staffing.h"

#include <openssl/evp.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace seimbang::personnel {

void StaffingBuilder::Add(const std::string& nip, int64_t unit_id, const std::string& position_code,
                          const std::string& job_family, bool pppk,
                          const domain::Date& retirement_date,
                          const std::optional<domain::Date>& inactive_since) {
  if (inactive_since && *inactive_since <= as_of_) {
    ++snapshot_.inactive_excluded;
    return;
  }
  if (retirement_date <= as_of_) {
    ++snapshot_.retired_excluded;
    return;
  }
  auto& row = snapshot_.rows[{unit_id, position_code}];
  row.job_family = job_family;
  (pppk ? row.pppk : row.pns)++;
  ++snapshot_.counted;
  counted_.emplace_back(nip, unit_id, position_code);
}

StaffingSnapshot StaffingBuilder::Finish() {
  std::sort(counted_.begin(), counted_.end());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const auto& [nip, unit, position] : counted_) {
    std::string line = absl::StrCat(nip, "|", unit, "|", position, "\n");
    EVP_DigestUpdate(ctx, line.data(), line.size());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  snapshot_.digest =
      absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(md), len));
  return std::move(snapshot_);
}

std::string Sha256Hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(md), len));
}

}  // namespace seimbang::personnel
