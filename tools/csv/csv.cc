#include "tools/csv/csv.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace seimbang::csv {

std::string QuoteField(std::string_view field) {
  // A field starting with a byte-order mark is quoted, so that a reader skipping a file's
  // leading BOM still reads it back whole when it is the file's first field.
  const bool starts_with_bom = field.substr(0, 3) == "\xEF\xBB\xBF";
  if (!starts_with_bom && field.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(field);
  }
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string FormatRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += QuoteField(fields[i]);
  }
  out += '\n';
  return out;
}

namespace {

// Spreadsheets (Excel's "CSV UTF-8") start the file with a UTF-8 byte-order mark; it is not
// part of the first column's name. Anything else at the start is left to be read.
void SkipByteOrderMark(std::istream& in) {
  const std::istream::pos_type start = in.tellg();
  char head[3] = {};
  in.read(head, 3);
  if (in.gcount() == 3 && head[0] == '\xEF' && head[1] == '\xBB' && head[2] == '\xBF') return;
  in.clear();
  in.seekg(start);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Reader>> Reader::Open(const std::string& path) {
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::unique_ptr<Reader> reader(new Reader(*file));
  reader->file_ = std::move(file);
  SkipByteOrderMark(*reader->file_);
  auto has = reader->Next(reader->header_);
  if (!has.ok()) return has.status();
  if (!*has) return absl::InvalidArgumentError(absl::StrCat(path, ": no header"));
  return reader;
}

absl::StatusOr<std::unique_ptr<Reader>> Reader::FromStream(std::istream& in) {
  std::unique_ptr<Reader> reader(new Reader(in));
  SkipByteOrderMark(in);
  auto has = reader->Next(reader->header_);
  if (!has.ok()) return has.status();
  if (!*has) return absl::InvalidArgumentError("no header");
  return reader;
}

absl::StatusOr<bool> Reader::Next(std::vector<std::string>& fields) {
  fields.clear();
  std::string line;
  // A CR before LF ends a line (CRLF files); inside a quoted field the line
  // break is kept exactly as written, CRLF or LF.
  auto strip_cr = [](std::string& l) {
    const bool cr = !l.empty() && l.back() == '\r';
    if (cr) l.pop_back();
    return cr;
  };
  bool line_had_cr = false;
  // Skip blank lines between records.
  while (true) {
    if (!std::getline(in_, line)) return false;
    record_line_ = next_line_++;
    line_had_cr = strip_cr(line);
    if (!line.empty()) break;
  }
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  size_t i = 0;
  while (true) {
    if (i >= line.size()) {
      if (!quoted) break;
      // A quoted field continues on the next physical line.
      std::string more;
      if (!std::getline(in_, more)) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", record_line_, ": unterminated quoted field"));
      }
      ++next_line_;
      field += line_had_cr ? "\r\n" : "\n";
      line_had_cr = strip_cr(more);
      line = std::move(more);
      i = 0;
      continue;
    }
    char c = line[i++];
    if (quoted) {
      if (c == '"') {
        if (i < line.size() && line[i] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
    } else {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return true;
}

int Reader::Column(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

absl::Status Reader::RequireColumns(const std::vector<std::string>& names) const {
  std::vector<std::string> missing;
  for (const auto& n : names) {
    if (Column(n) < 0) missing.push_back(n);
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("missing column(s): ", absl::StrJoin(missing, ", ")));
}

absl::StatusOr<std::vector<std::string>> ParseRecord(std::string_view text) {
  // A header-less reader: the record itself is what FromStream reads as the header.
  std::istringstream in{std::string(text)};
  auto reader = Reader::FromStream(in);
  if (!reader.ok()) {
    if (absl::IsInvalidArgument(reader.status()) && reader.status().message() == "no header") {
      return std::vector<std::string>{};
    }
    return reader.status();
  }
  return (*reader)->header();
}

}  // namespace seimbang::csv
