// seimbangctl import DIR: the datagen CSV files to personnel, workload and demand signals.
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/csv/csv.h"
#include "tools/seimbangctl/cli_internal.h"
#include "tools/seimbangctl/import_rows.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;
namespace wv1 = seimbang::workload::v1;
namespace cv1 = seimbang::common::v1;

void Cli::PrintSummary(const std::string& file, const cv1::ImportSummary& s,
                       int64_t local_rejected) {
  out_ << absl::StrFormat("%-14s ", file)
       << T("import.summary", s.received() + local_rejected, s.inserted(), s.updated(),
            s.unchanged(), s.rejected() + local_rejected, s.conflicts())
       << "\n";
  if (s.conflicts() > 0) out_ << "  " << T("import.conflicts") << "\n";
  for (const auto& e : s.errors()) {
    out_ << "  "
         << T("import.line", e.sequence(),
              absl::StrCat(e.natural_key().empty() ? "" : absl::StrCat(" [", e.natural_key(), "]"),
                           " ", e.field().empty() ? T("word.row") : e.field()),
              e.reason())
         << "\n";
  }
}

int Cli::Import() {
  const std::string dir = Word(1, "DIR");
  const bool dry_run = Switch("dry-run");
  for (const char* kind : {"agencies", "units", "positions", "employees"}) {
    int rc = ImportPersonnel(absl::StrCat(dir, "/", kind, ".csv"), kind, dry_run);
    if (rc != kExitOk) return rc;
  }
  int rc = ImportWorkloads(dir + "/workloads.csv", dry_run);
  if (rc != kExitOk) return rc;
  return ImportSignals(dir + "/signals.csv", dry_run);
}

namespace {
// "  line 7 unit_id: 'x' is not a whole number", or without a column for the record as a whole.
std::string RejectedLine(Lang lang, int64_t line, const RowProblem& p) {
  return absl::StrCat("  ", p.column.empty()
                                ? Text(lang, "import.line_row", line, p.reason)
                                : Text(lang, "import.line", line, " " + p.column, p.reason));
}

// The next record into `fields`; false at the end of the file, or at a record the reader
// cannot read, which is noted in `local` (rows refused before sending).
bool NextRecord(csv::Reader& r, std::vector<std::string>& fields, std::vector<std::string>& local) {
  auto more = r.Next(fields);
  if (!more.ok()) {
    local.push_back(absl::StrCat("  ", more.status().message()));
    return false;
  }
  return *more;
}

// One record of agencies/units/positions/employees.csv into `req`, and what is wrong with it.
// `nip_lines` holds the first line of each NIP of employees.csv seen so far.
std::vector<RowProblem> PersonnelRecord(const std::string& kind, const CsvRow& row, int64_t line,
                                        absl::flat_hash_map<std::string, int64_t>& nip_lines,
                                        pv1::ImportRecordsRequest& req) {
  if (kind == "agencies") {
    auto c = AgencyFromCsv(row);
    *req.mutable_agency() = std::move(c.message);
    return c.problems;
  }
  if (kind == "units") {
    auto c = UnitFromCsv(row);
    *req.mutable_unit() = std::move(c.message);
    return c.problems;
  }
  if (kind == "positions") {
    auto c = PositionFromCsv(row);
    *req.mutable_position() = std::move(c.message);
    return c.problems;
  }
  auto c = EmployeeFromCsv(row);
  // Two rows of one file with the same NIP are two people or a typo, never an update.
  if (c.problems.empty()) {
    auto [it, first_time] = nip_lines.emplace(c.message.nip(), line);
    if (!first_time) {
      c.problems.push_back({"nip", absl::StrCat("the same NIP is on line ", it->second)});
    }
  }
  *req.mutable_employee() = std::move(c.message);
  return c.problems;
}
}  // namespace

std::unique_ptr<csv::Reader> Cli::OpenCsv(const std::string& path,
                                          const std::vector<std::string>& required) {
  auto reader = csv::Reader::Open(path);
  if (!reader.ok()) {
    err_ << "seimbangctl: "
         << (absl::IsNotFound(reader.status()) ? T("err.cannot_open", path)
                                               : std::string(reader.status().message()))
         << "\n";
    return nullptr;
  }
  if (auto s = (*reader)->RequireColumns(required); !s.ok()) {
    err_ << "seimbangctl: " << path << ": " << s.message() << "\n";
    return nullptr;
  }
  return *std::move(reader);
}

int Cli::SendImport(const std::string& path, const std::string& kind,
                    const std::function<grpc::Status(csv::Reader&)>& send) {
  // A connection a server closes at its maximum age (about 5 minutes, so clients rebalance) can
  // fail a stream that starts just then with UNAVAILABLE "GOAWAY received" (grpc/grpc#31733).
  // Nothing of it was applied, so the file is sent again from its start, once; a second
  // UNAVAILABLE is reported as it is.
  const std::string file = absl::StrCat(kind, ".csv");
  for (int attempt = 1;; ++attempt) {
    std::unique_ptr<csv::Reader> reader = OpenCsv(path, RequiredColumns(kind));
    if (reader == nullptr) return kExitError;
    grpc::Status st = send(*reader);
    if (st.ok()) return kExitOk;
    if (st.error_code() != grpc::StatusCode::UNAVAILABLE || attempt == 2) {
      return RpcError(T("import.of", file), st);
    }
    err_ << "seimbangctl: " << T("import.resend", file) << "\n";
  }
}

int Cli::ImportPersonnel(const std::string& path, const std::string& kind, bool dry_run) {
  pv1::ImportRecordsResponse resp;
  std::vector<std::string> local;  // rows refused before sending
  int64_t sent = 0;
  const std::string file = absl::StrCat(kind, ".csv");
  // One stream of the whole file, from its start: every attempt starts afresh.
  auto send = [&](csv::Reader& r) {
    resp.Clear();
    local.clear();
    sent = 0;
    auto ctx = Ctx(30 * 60 * 1000);
    auto stream = Personnel().ImportRecords(ctx.get(), &resp);
    pv1::ImportRecordsRequest first;
    first.mutable_options()->set_dry_run(dry_run);
    // Issue 18 item 3: rows that would undo executed transfers are conflicts unless the file is
    // newer than the transfer (--as-of) or the operator overrides (recorded in the audit log).
    if (!Flag("as-of").empty()) *first.mutable_options()->mutable_as_of() = DateFlag("as-of");
    first.mutable_options()->set_override_transfers(Switch("override-transfers"));
    bool open = stream->Write(first);
    std::vector<std::string> fields;
    absl::flat_hash_map<std::string, int64_t> nip_lines;  // employees: NIP -> first line
    while (open && NextRecord(r, fields, local)) {
      CsvRow row(r.header(), fields);
      pv1::ImportRecordsRequest req;
      req.set_sequence(r.line());
      std::vector<RowProblem> problems = PersonnelRecord(kind, row, r.line(), nip_lines, req);
      if (!problems.empty()) {
        local.push_back(RejectedLine(lang_, r.line(), problems[0]));
        continue;
      }
      open = stream->Write(req, grpc::WriteOptions().set_buffer_hint());
      if (++sent % 500 == 0) Progress("import", file, sent, 0);
    }
    stream->WritesDone();
    grpc::Status st = stream->Finish();
    EndProgress();
    return st;
  };
  if (int rc = SendImport(path, kind, send); rc != kExitOk) return rc;
  PrintSummary(file, resp.summary(), static_cast<int64_t>(local.size()));
  if (resp.summary().received() != sent) {
    // Never report a partial import as a finished one.
    err_ << "seimbangctl: " << T("import.partial", file, resp.summary().received(), sent) << "\n";
    return kExitError;
  }
  for (const auto& l : local) out_ << l << "\n";
  // Warnings (e.g. rank outside band) are counted, not listed: messy data is expected.
  if (resp.warnings_size() > 0) out_ << "  " << T("import.warnings", resp.warnings_size()) << "\n";
  return kExitOk;
}

int Cli::ImportWorkloads(const std::string& path, bool dry_run) {
  wv1::ImportWorkloadResponse resp;
  std::vector<std::string> local;  // rows refused before sending
  // One stream of the whole file, from its start: every attempt starts afresh.
  auto send = [&](csv::Reader& r) {
    resp.Clear();
    local.clear();
    auto ctx = Ctx(30 * 60 * 1000);
    auto stream = Workload().ImportWorkload(ctx.get(), &resp);
    std::vector<std::string> fields;
    bool open = true, first = true;
    int64_t sent = 0;
    while (open && NextRecord(r, fields, local)) {
      auto c = WorkloadFromCsv(CsvRow(r.header(), fields));
      if (!c.problems.empty()) {
        local.push_back(RejectedLine(lang_, r.line(), c.problems[0]));
        continue;
      }
      c.message.set_sequence(r.line());
      if (first) c.message.set_dry_run(dry_run);
      first = false;
      open = stream->Write(c.message, grpc::WriteOptions().set_buffer_hint());
      if (++sent % 500 == 0) Progress("import", "workloads.csv", sent, 0);
    }
    stream->WritesDone();
    grpc::Status st = stream->Finish();
    EndProgress();
    return st;
  };
  if (int rc = SendImport(path, "workloads", send); rc != kExitOk) return rc;
  PrintSummary("workloads.csv", resp.summary(), static_cast<int64_t>(local.size()));
  for (const auto& l : local) out_ << l << "\n";
  return kExitOk;
}

int Cli::ImportSignals(const std::string& path, bool dry_run) {
  std::unique_ptr<csv::Reader> reader = OpenCsv(path, RequiredColumns("signals"));
  if (reader == nullptr) return kExitError;
  csv::Reader& r = *reader;
  constexpr int kBatch = 10000;  // the RPC's limit per call
  std::vector<std::string> fields, local;
  int64_t received = 0, recorded = 0, first_line = 0, last_line = 0;
  wv1::RecordDemandSignalsRequest batch;
  int rc = kExitOk;
  auto flush = [&]() {
    if (batch.signals_size() == 0) return true;
    if (dry_run) {
      recorded += batch.signals_size();
      batch.Clear();
      return true;
    }
    wv1::RecordDemandSignalsResponse resp;
    auto ctx = Ctx(5 * 60 * 1000);
    grpc::Status st = Workload().RecordDemandSignals(ctx.get(), batch, &resp);
    if (!st.ok()) {
      rc = RpcError(T("import.signal_lines", first_line, last_line), st);
      return false;
    }
    recorded += resp.recorded();
    batch.Clear();
    Progress("import", "signals.csv", recorded, 0);
    return true;
  };
  while (NextRecord(r, fields, local)) {
    ++received;
    auto c = SignalFromCsv(CsvRow(r.header(), fields));
    if (!c.problems.empty()) {
      local.push_back(RejectedLine(lang_, r.line(), c.problems[0]));
      continue;
    }
    if (batch.signals_size() == 0) first_line = r.line();
    last_line = r.line();
    *batch.add_signals() = std::move(c.message);
    if (batch.signals_size() == kBatch && !flush()) break;
  }
  if (rc == kExitOk) flush();
  EndProgress();
  if (rc != kExitOk) return rc;
  out_ << absl::StrFormat("%-14s ", "signals.csv")
       << T("import.signals", received, recorded, local.size()) << "\n";
  for (const auto& l : local) out_ << l << "\n";
  return kExitOk;
}

}  // namespace seimbang::ctl
