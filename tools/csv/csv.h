#ifndef SEIMBANG_TOOLS_CSV_CSV_H_
#define SEIMBANG_TOOLS_CSV_CSV_H_

// RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a field
// holding a comma, quote, CR or LF is quoted and its quotes doubled.

#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace seimbang::csv {

// One field as it must appear in a record (quoted only when needed).
[[nodiscard]] std::string QuoteField(std::string_view field);
// A whole record with the trailing "\n".
[[nodiscard]] std::string FormatRecord(const std::vector<std::string>& fields);

// Writes records to a stream; LF line ends so files diff cleanly.
class Writer {
 public:
  explicit Writer(std::ostream& out) : out_(out) {}
  void Write(const std::vector<std::string>& fields) { out_ << FormatRecord(fields); }

 private:
  std::ostream& out_;
};

// Reads records one at a time (a quoted field may span lines). The first
// record is the header; Column() finds a column by name. A UTF-8 byte-order
// mark at the very start (spreadsheets write one) is skipped.
class Reader {
 public:
  // NOT_FOUND "cannot open <path>" when the file cannot be read;
  // INVALID_ARGUMENT when it has no header.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Reader>> Open(const std::string& path);
  // Reads from a caller-owned stream (tests).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Reader>> FromStream(std::istream& in);

  // Next record into `fields`; false at the end. INVALID_ARGUMENT
  // "line N: unterminated quoted field" on malformed input.
  [[nodiscard]] absl::StatusOr<bool> Next(std::vector<std::string>& fields);

  const std::vector<std::string>& header() const { return header_; }
  // Index of a header column, or -1.
  [[nodiscard]] int Column(std::string_view name) const;
  // INVALID_ARGUMENT "missing column(s): a, b" unless every name is in the header.
  [[nodiscard]] absl::Status RequireColumns(const std::vector<std::string>& names) const;
  // Line number (1-based) where the last record returned by Next started.
  int64_t line() const { return record_line_; }

 private:
  explicit Reader(std::istream& in) : in_(in) {}
  std::unique_ptr<std::ifstream> file_;
  std::istream& in_;
  std::vector<std::string> header_;
  int64_t next_line_ = 1;
  int64_t record_line_ = 0;
};

// One record parsed from a single string (no trailing newline needed).
[[nodiscard]] absl::StatusOr<std::vector<std::string>> ParseRecord(std::string_view text);

}  // namespace seimbang::csv

#endif  // SEIMBANG_TOOLS_CSV_CSV_H_
