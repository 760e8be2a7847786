#ifndef SEIMBANG_TOOLS_SEIMBANGCTL_IMPORT_ROWS_H_
#define SEIMBANG_TOOLS_SEIMBANGCTL_IMPORT_ROWS_H_

// CSV rows of the seimbang-datagen files (tools/datagen/README.md) to protobuf
// messages. A row that cannot be converted is rejected on the client with the
// column at fault, e.g. {"unit_id", "'x' is not a whole number"}.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "seimbang/workload/v1/workload.pb.h"

namespace seimbang::ctl {

struct RowProblem;

// A record with its header, read by column name.
class CsvRow {
 public:
  CsvRow(const std::vector<std::string>& header, const std::vector<std::string>& fields)
      : header_(header), fields_(fields) {}
  // "" when the column is absent or the record is short.
  [[nodiscard]] std::string Get(std::string_view column) const;
  // What is wrong with the record as a whole, before any column is read: a
  // field count unlike the header's, a field that is not UTF-8 (the contracts'
  // strings must be, and one such row would otherwise break the import stream).
  [[nodiscard]] std::vector<RowProblem> ShapeProblems() const;

 private:
  const std::vector<std::string>& header_;
  const std::vector<std::string>& fields_;
};

// Why a row was refused: the column and the reason.
struct RowProblem {
  std::string column;
  std::string reason;
};

template <typename T>
struct Converted {
  T message;
  std::vector<RowProblem> problems;  // empty = ok
};

Converted<seimbang::personnel::v1::Agency> AgencyFromCsv(const CsvRow& row);
Converted<seimbang::personnel::v1::Unit> UnitFromCsv(const CsvRow& row);
Converted<seimbang::personnel::v1::Position> PositionFromCsv(const CsvRow& row);
Converted<seimbang::personnel::v1::Employee> EmployeeFromCsv(const CsvRow& row);
// One task row of workloads.csv.
Converted<seimbang::workload::v1::ImportWorkloadRequest> WorkloadFromCsv(const CsvRow& row);
Converted<seimbang::workload::v1::DemandSignal> SignalFromCsv(const CsvRow& row);

// The columns each file must have, by the file's name without ".csv" ("agencies", "units",
// "positions", "employees", "workloads", "signals"); the full headers are in tools/csv/columns.h.
const std::vector<std::string>& RequiredColumns(const std::string& file);

}  // namespace seimbang::ctl

#endif  // SEIMBANG_TOOLS_SEIMBANGCTL_IMPORT_ROWS_H_
