#include "common/db/value.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace seimbang::db {
namespace {

const Value& NullValue() {
  static const Value* const kNull = new Value(std::monostate{});
  return *kNull;
}

int64_t ToInt(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(std::llround(*d));
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t i = 0;
    if (absl::SimpleAtoi(*s, &i)) return i;
    double d = 0;
    if (absl::SimpleAtod(*s, &d)) return static_cast<int64_t>(std::llround(d));
  }
  return 0;
}

double ToDouble(const Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&v)) {
    double d = 0;
    if (absl::SimpleAtod(*s, &d)) return d;
  }
  return 0;
}

std::string ToText(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<int64_t>(&v)) return absl::StrCat(*i);
  if (const auto* d = std::get_if<double>(&v)) return absl::StrCat(*d);
  return "";
}

}  // namespace

std::string ValueToString(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "NULL";
  if (const auto* s = std::get_if<std::string>(&v)) return absl::StrCat("'", *s, "'");
  return ToText(v);
}

const Value& Row::at(size_t i) const { return i < values_.size() ? values_[i] : NullValue(); }

bool Row::IsNull(size_t i) const { return std::holds_alternative<std::monostate>(at(i)); }
int64_t Row::GetInt(size_t i) const { return ToInt(at(i)); }
double Row::GetDouble(size_t i) const { return ToDouble(at(i)); }
std::string Row::GetString(size_t i) const { return ToText(at(i)); }

std::optional<int64_t> Row::GetOptionalInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return GetInt(i);
}
std::optional<double> Row::GetOptionalDouble(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return GetDouble(i);
}
std::optional<std::string> Row::GetOptionalString(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return GetString(i);
}

const std::vector<std::string>& Row::columns() const {
  static const auto* const kNone = new std::vector<std::string>();
  return columns_ == nullptr ? *kNone : *columns_;
}

int Row::ColumnIndex(std::string_view name) const {
  if (columns_ == nullptr) return -1;
  for (size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {
// An unknown column maps past the end, which reads as NULL.
size_t IndexOr(const Row& row, std::string_view name) {
  int i = row.ColumnIndex(name);
  return i < 0 ? row.size() : static_cast<size_t>(i);
}
}  // namespace

bool Row::IsNull(std::string_view name) const { return IsNull(IndexOr(*this, name)); }
int64_t Row::GetInt(std::string_view name) const { return GetInt(IndexOr(*this, name)); }
double Row::GetDouble(std::string_view name) const { return GetDouble(IndexOr(*this, name)); }
std::string Row::GetString(std::string_view name) const { return GetString(IndexOr(*this, name)); }
std::optional<int64_t> Row::GetOptionalInt(std::string_view name) const {
  return GetOptionalInt(IndexOr(*this, name));
}
std::optional<double> Row::GetOptionalDouble(std::string_view name) const {
  return GetOptionalDouble(IndexOr(*this, name));
}
std::optional<std::string> Row::GetOptionalString(std::string_view name) const {
  return GetOptionalString(IndexOr(*this, name));
}

}  // namespace seimbang::db
