// Fuzzes the NIP parser: whatever the bytes, ParseNip either rejects them with
// INVALID_ARGUMENT or returns an info that is self-consistent.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "common/domain/date.h"
#include "common/domain/nip.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using seimbang::domain::Date;

// A fixed "today" keeps runs reproducible.
constexpr Date kToday{2026, 1, 1};

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace d = seimbang::domain;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const std::string masked = d::MaskNip(text);
  // A value over 32 bytes is masked as a bounded run of 32 stars and "…" (issue 15 item 6).
  const bool bounded = text.size() > 32 && masked == std::string(32, '*') + "\xE2\x80\xA6";
  SEIMBANG_FUZZ_CHECK(masked.size() == text.size() || masked.size() == 18 || bounded,
                      "mask of %zu bytes has %zu", text.size(), masked.size());

  absl::StatusOr<d::NipInfo> info = d::ParseNip(text, kToday);
  absl::StatusOr<std::string> pns = d::ValidateEmployeeNumber(d::EmploymentType::kPns, text);
  SEIMBANG_FUZZ_CHECK(info.ok() == pns.ok(), "ParseNip and ValidateEmployeeNumber(kPns) disagree");
  absl::StatusOr<std::string> pppk = d::ValidateEmployeeNumber(d::EmploymentType::kPppk, text);
  if (pppk.ok()) {
    SEIMBANG_FUZZ_CHECK(pppk->size() == 18 && AllDigits(*pppk), "PPPK number '%s'", pppk->c_str());
  }
  if (!info.ok()) {
    SEIMBANG_FUZZ_CHECK_REJECTION(info.status());
    return 0;
  }

  const d::NipInfo& nip = *info;
  SEIMBANG_FUZZ_CHECK(nip.nip.size() == 18 && AllDigits(nip.nip), "normalised '%s'",
                      nip.nip.c_str());
  SEIMBANG_FUZZ_CHECK(*pns == nip.nip, "ValidateEmployeeNumber normalised differently");
  SEIMBANG_FUZZ_CHECK(d::IsValidDate(nip.birth_date), "birth date %s",
                      d::FormatDate(nip.birth_date).c_str());
  SEIMBANG_FUZZ_CHECK(nip.birth_date.year >= 1940 && nip.birth_date.year <= kToday.year,
                      "birth date %s", d::FormatDate(nip.birth_date).c_str());
  SEIMBANG_FUZZ_CHECK(nip.appointment_month >= 1 && nip.appointment_month <= 12,
                      "appointment month %d", nip.appointment_month);
  SEIMBANG_FUZZ_CHECK(nip.appointment_year * 12 + nip.appointment_month >=
                          (nip.birth_date.year + 18) * 12 + nip.birth_date.month,
                      "appointed before 18 in %s", nip.nip.c_str());
  SEIMBANG_FUZZ_CHECK(nip.sequence >= 1 && nip.sequence <= 999, "sequence %d", nip.sequence);
  SEIMBANG_FUZZ_CHECK(nip.gender == d::Gender::kMale || nip.gender == d::Gender::kFemale,
                      "gender %d", static_cast<int>(nip.gender));
  // The digits encode the fields (YYYYMMDD YYYYMM G NNN).
  SEIMBANG_FUZZ_CHECK(nip.nip.substr(0, 8) == d::FormatDate(nip.birth_date).substr(0, 4) +
                                                  d::FormatDate(nip.birth_date).substr(5, 2) +
                                                  d::FormatDate(nip.birth_date).substr(8, 2),
                      "birth date digits of %s", nip.nip.c_str());
  SEIMBANG_FUZZ_CHECK(nip.nip[14] - '0' == static_cast<int>(nip.gender), "gender digit of %s",
                      nip.nip.c_str());

  // The normalised form is itself a valid NIP with the same meaning.
  absl::StatusOr<d::NipInfo> again = d::ParseNip(nip.nip, kToday);
  SEIMBANG_FUZZ_CHECK(again.ok(), "normalised %s does not re-parse: %s", nip.nip.c_str(),
                      std::string(again.status().message()).c_str());
  SEIMBANG_FUZZ_CHECK(again->nip == nip.nip && again->birth_date == nip.birth_date &&
                          again->appointment_year == nip.appointment_year &&
                          again->appointment_month == nip.appointment_month &&
                          again->gender == nip.gender && again->sequence == nip.sequence,
                      "re-parse of %s differs", nip.nip.c_str());
  SEIMBANG_FUZZ_CHECK(d::CheckNipConsistency(nip, nip.birth_date, nip.gender,
                                             Date{nip.appointment_year, nip.appointment_month, 1})
                          .ok(),
                      "NIP %s inconsistent with its own fields", nip.nip.c_str());

  // Masking keeps only the first 6 and last 2 digits.
  const std::string mask = d::MaskNip(nip.nip);
  SEIMBANG_FUZZ_CHECK(mask == nip.nip.substr(0, 6) + std::string(10, '*') + nip.nip.substr(16),
                      "mask '%s' of %s", mask.c_str(), nip.nip.c_str());
  return 0;
}
