// Fuzzes the CSV reader used by the bulk imports: any bytes either read as
// records or fail with INVALID_ARGUMENT, and every record read survives a
// write/read round trip (what datagen writes, the import reads back).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "tests/fuzz/fuzz_check.h"
#include "tools/csv/csv.h"

namespace {

namespace csv = seimbang::csv;

void CheckRoundTrip(const std::vector<std::string>& fields) {
  // A record of one empty field is a blank line, which readers skip by design.
  if (fields.size() == 1 && fields[0].empty()) return;
  const std::string text = csv::FormatRecord(fields);
  absl::StatusOr<std::vector<std::string>> back = csv::ParseRecord(text);
  SEIMBANG_FUZZ_CHECK(back.ok(), "written record does not parse: %s",
                      std::string(back.status().message()).c_str());
  SEIMBANG_FUZZ_CHECK(*back == fields, "record of %zu fields reads back as %zu fields: '%s'",
                      fields.size(), back->size(), text.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<std::vector<std::string>> record = csv::ParseRecord(text);
  if (!record.ok()) {
    SEIMBANG_FUZZ_CHECK_INVALID_ARGUMENT(record.status());
  }

  std::istringstream in(text);
  absl::StatusOr<std::unique_ptr<csv::Reader>> reader = csv::Reader::FromStream(in);
  if (!reader.ok()) {
    SEIMBANG_FUZZ_CHECK_INVALID_ARGUMENT(reader.status());
    return 0;
  }
  const std::vector<std::string> header = (*reader)->header();
  SEIMBANG_FUZZ_CHECK(!header.empty(), "empty header");
  SEIMBANG_FUZZ_CHECK((*reader)->Column(header[0]) == 0, "first column not found");
  CheckRoundTrip(header);

  int64_t last_line = (*reader)->line();
  std::vector<std::string> fields;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(fields);
    if (!more.ok()) {
      SEIMBANG_FUZZ_CHECK_INVALID_ARGUMENT(more.status());
      break;
    }
    if (!*more) break;
    SEIMBANG_FUZZ_CHECK((*reader)->line() > last_line, "line %lld after %lld",
                        static_cast<long long>((*reader)->line()),
                        static_cast<long long>(last_line));
    last_line = (*reader)->line();
    CheckRoundTrip(fields);
  }
  return 0;
}
