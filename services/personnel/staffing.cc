#include "services/personnel/staffing.h"

#include <openssl/evp.h>

#include <algorithm>
#include <string_view>

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
  auto it = snapshot_.rows.find(std::pair<int64_t, std::string_view>(unit_id, position_code));
  if (it == snapshot_.rows.end()) {
    it = snapshot_.rows.emplace(std::make_pair(unit_id, position_code), StaffingCount{}).first;
  }
  StaffingCount& row = it->second;
  if (row.job_family != job_family) row.job_family = job_family;
  (pppk ? row.pppk : row.pns)++;
  ++snapshot_.counted;
  const size_t offset = lines_.size();
  absl::StrAppend(&lines_, nip, "|", unit_id, "|", position_code, "\n");
  const Line line{offset, static_cast<uint32_t>(nip.size()),
                  static_cast<uint32_t>(lines_.size() - offset), unit_id};
  if (in_order_ && !counted_.empty() && !Before(counted_.back(), line)) in_order_ = false;
  counted_.push_back(line);
}

// The order of the (nip, unit, position) tuples the lines were made from.
bool StaffingBuilder::Before(const Line& a, const Line& b) const {
  const std::string_view all(lines_);
  const std::string_view nip_a = all.substr(a.offset, a.nip_size);
  const std::string_view nip_b = all.substr(b.offset, b.nip_size);
  if (nip_a != nip_b) return nip_a < nip_b;
  if (a.unit_id != b.unit_id) return a.unit_id < b.unit_id;
  // The position: what follows "nip|unit|", without the newline.
  const auto position = [&](const Line& l) {
    const std::string_view text = all.substr(l.offset, l.size - 1);
    return text.substr(text.find('|', l.nip_size + 1) + 1);
  };
  return position(a) < position(b);
}

StaffingSnapshot StaffingBuilder::Finish() {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  if (in_order_) {
    EVP_DigestUpdate(ctx, lines_.data(), lines_.size());
  } else {
    std::stable_sort(counted_.begin(), counted_.end(),
                     [this](const Line& a, const Line& b) { return Before(a, b); });
    for (const Line& l : counted_) EVP_DigestUpdate(ctx, lines_.data() + l.offset, l.size);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  snapshot_.digest =
      absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(md), len));
  lines_.clear();
  counted_.clear();
  return std::move(snapshot_);
}

std::string Sha256Hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(md), len));
}

}  // namespace seimbang::personnel
