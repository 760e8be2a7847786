#ifndef SEIMBANG_COMMON_DB_VALUE_H_
#define SEIMBANG_COMMON_DB_VALUE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace seimbang::db {

// One SQL value: NULL, integer, real or text. Dates are 'YYYY-MM-DD' text, timestamps integer
// unix milliseconds and booleans integer 0/1 on both engines (see README.md).
using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Params = std::vector<Value>;

inline Value Null() { return std::monostate{}; }
inline Value Int(int64_t v) { return v; }
inline Value Real(double v) { return v; }
inline Value Text(std::string v) { return Value(std::move(v)); }
inline Value Bool(bool v) { return static_cast<int64_t>(v ? 1 : 0); }
inline Value OptionalInt(const std::optional<int64_t>& v) { return v ? Value(*v) : Null(); }
inline Value OptionalText(const std::optional<std::string>& v) { return v ? Value(*v) : Null(); }
inline Value OptionalReal(const std::optional<double>& v) { return v ? Value(*v) : Null(); }

// For logs and test failure messages; text is quoted, NULL is NULL.
std::string ValueToString(const Value& v);

// One result row. Getters are lenient on purpose: integers, reals and numeric text convert to
// each other (MySQL returns DECIMAL as text); NULL reads as 0 / "" -- use IsNull or the
// GetOptional* getters for nullable columns. An unknown column name reads as NULL.
class Row {
 public:
  // Column names are shared by every row of a result set, hence the shared_ptr.
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  const Value& at(size_t i) const;
  const std::vector<Value>& values() const { return values_; }

  bool IsNull(size_t i) const;
  int64_t GetInt(size_t i) const;
  double GetDouble(size_t i) const;
  std::string GetString(size_t i) const;
  bool GetBool(size_t i) const { return GetInt(i) != 0; }
  std::optional<int64_t> GetOptionalInt(size_t i) const;
  std::optional<double> GetOptionalDouble(size_t i) const;
  std::optional<std::string> GetOptionalString(size_t i) const;

  // -1 when the result has no such column.
  int ColumnIndex(std::string_view name) const;
  // The column names, in the order of the values (empty for a row made without them).
  const std::vector<std::string>& columns() const;
  bool IsNull(std::string_view name) const;
  int64_t GetInt(std::string_view name) const;
  double GetDouble(std::string_view name) const;
  std::string GetString(std::string_view name) const;
  bool GetBool(std::string_view name) const { return GetInt(name) != 0; }
  std::optional<int64_t> GetOptionalInt(std::string_view name) const;
  std::optional<double> GetOptionalDouble(std::string_view name) const;
  std::optional<std::string> GetOptionalString(std::string_view name) const;

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

struct ResultSet {
  std::vector<std::string> columns;
  std::vector<Row> rows;

  bool empty() const { return rows.empty(); }
  size_t size() const { return rows.size(); }
};

}  // namespace seimbang::db

#endif  // SEIMBANG_COMMON_DB_VALUE_H_
