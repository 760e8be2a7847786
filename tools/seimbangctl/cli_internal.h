#ifndef SEIMBANG_TOOLS_SEIMBANGCTL_CLI_INTERNAL_H_
#define SEIMBANG_TOOLS_SEIMBANGCTL_CLI_INTERNAL_H_

// The runner of one seimbangctl command line, shared by cli.cc (parsing,
// dispatch, usage) and the cmd_*.cc files (one command group each). Its
// plumbing (flags, token, channels, output, progress, RPC errors) is in
// cli_io.cc; the helpers that fetch every page of a list are in fetch_all.cc.
// Not a public header: only seimbangctl's own files include it.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "common/server/channel.h"
#include "seimbang/personnel/v1/personnel.grpc.pb.h"
#include "seimbang/transfer/v1/transfer.grpc.pb.h"
#include "seimbang/workload/v1/workload.grpc.pb.h"
#include "tools/seimbangctl/cli.h"
#include "tools/seimbangctl/messages.h"

namespace seimbang::csv {
class Reader;
}  // namespace seimbang::csv

namespace seimbang::ctl {

namespace decree {
struct Plan;
struct Move;
struct Settings;
}  // namespace decree
struct ReportInput;

// The services' stubs.
using PersonnelStub = seimbang::personnel::v1::PersonnelService::Stub;
using WorkloadStub = seimbang::workload::v1::WorkloadAnalysisService::Stub;
using TransferStub = seimbang::transfer::v1::TransferPlanningService::Stub;

// Thrown for a usage error: RunCli prints the message and the command's usage, exit 2.
struct UsageError {
  std::string message;
};

// Thrown once the error is printed (e.g. by RpcError): RunCli returns the code.
struct ExitNow {
  int code;
};

// A simple table printed aligned (table) or as CSV (csv).
// A unix-millis instant in WITA (UTC+8), "2026-12-03 09:15 WITA"; "" for 0.
std::string WitaTime(int64_t unix_ms);

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// Why a need stayed unfilled, in words: "tidak ada kandidat (min_tenure)".
std::string UnfilledReasonText(Lang lang, const seimbang::transfer::v1::UnfilledNeed& u);

class Cli {
 public:
  Cli(Args args, const std::map<std::string, std::string>& env, std::ostream& out,
      std::ostream& err, bool terminal)
      : args_(std::move(args)),
        env_(env),
        out_(out),
        err_(err),
        terminal_(terminal),
        lang_(args_.lang) {}

  int Run();

 private:
  // A text of the catalogue (messages.h) in this command line's language.
  template <typename... A>
  std::string T(absl::string_view key, const A&... a) const {
    return Text(lang_, key, a...);
  }
  std::string StatusWord(const personnel::v1::Employee& e) const;
  // An enum value in words (plan states, objection states, ...).
  std::string Word_(const std::string& value_name, absl::string_view prefix) const {
    return EnumWord(lang_, value_name, prefix);
  }

  // ---- plumbing (cli_io.cc)
  std::string Global(const std::string& flag, const std::string& env, const std::string& def) const;
  std::string Flag(const std::string& name, const std::string& def = "") const;
  // Every value given for a repeatable flag, each split at commas (--growth a=0.1,b=0.2).
  std::vector<std::string> Flags(const std::string& name) const;
  std::string Required(const std::string& name) const;
  const std::string& Word(size_t i, const std::string& what) const;
  bool Switch(const std::string& name) const;
  int64_t IntFlag(const std::string& name, int64_t def) const;
  seimbang::common::v1::Date DateFlag(const std::string& name) const;

  std::string Token();
  std::unique_ptr<grpc::ClientContext> Ctx(int64_t ms = 60000);
  server::ClientTlsOptions Tls() const;
  std::shared_ptr<grpc::Channel> Channel(const std::string& flag, const std::string& env,
                                         const std::string& def);
  void Note(const char* service, const char* flag, const char* env, const char* def);
  template <typename Stub, typename NewStub>
  Stub& Connect(std::unique_ptr<Stub>& stub, const char* service, const char* flag, const char* env,
                const char* def, NewStub new_stub);
  PersonnelStub& Personnel();
  WorkloadStub& Workload();
  TransferStub& Transfer();

  // An RPC failed: plain words, the field violations, and the exit code. An
  // unreachable service names the address tried and what to check.
  int RpcError(const std::string& what, const grpc::Status& s);
  // --family as the proto's name: given by that name or in words; an unknown
  // family is a usage error naming the known ones. "" when not given.
  std::string FamilyFlag() const;
  // A unit given by id, its external id or (part of) its name, within the agency: its id; 0 when
  // `text` is empty. Several or no matching names are usage errors naming them.
  int64_t ResolveUnit(const std::string& agency, const std::string& text);
  // Unit names of the agency by id (empty when the agency's units cannot be read).
  std::map<int64_t, std::string> UnitNames(const std::string& agency);
  // The same for a list's table or CSV: none when no agency is given or for JSON / YAML.
  std::map<int64_t, std::string> UnitNamesToShow(const std::string& agency);
  static std::string CodeName(grpc::StatusCode c);

  std::string Json(const google::protobuf::Message& m);
  // Prints `m` as JSON or YAML, or `t` as a table / CSV. `next_page_token`
  // (lists): a table ends with the flag to pass for the next page, a CSV with
  // a "# next_page_token: T" line.
  void Emit(const google::protobuf::Message& m, const Table& t,
            const std::string& next_page_token = "");
  std::string Yaml(const google::protobuf::Message& m);
  void PrintTable(const Table& t);

  // Progress: a redrawn bar on a terminal, plain lines otherwise (to stderr, so
  // stdout stays machine-readable).
  void Progress(const seimbang::common::v1::Progress& p);
  void Progress(const std::string& stage, const std::string& message, int64_t done, int64_t total);
  void EndProgress();
  std::chrono::steady_clock::time_point progress_start_;

  static std::string DateText(const seimbang::common::v1::Date& d);
  // Numbers for people: with --lang id in a table or a sentence, the decimal comma (and
  // thousands dots) of the report and the decrees (FormatDecimal); CSV and English keep the point.
  std::string Decimal(double v, int decimals) const;
  std::string F2(double v) const { return Decimal(v, 2); }
  std::string Pct(double v) const;

  // ---- commands, one file each (cmd_<group>.cc)
  int Token_();
  int Import();
  // The file opened and its header checked, or nullptr after saying why on stderr.
  std::unique_ptr<csv::Reader> OpenCsv(const std::string& path,
                                       const std::vector<std::string>& required);
  // Sends the file `path` (`kind`.csv) as one import stream through `send`, which reads it from
  // the start; a stream that ends UNAVAILABLE applied nothing (the contracts of ImportRecords and
  // ImportWorkload), so it is sent once more. The exit code: a failure is printed.
  int SendImport(const std::string& path, const std::string& kind,
                 const std::function<grpc::Status(csv::Reader&)>& send);
  int ImportPersonnel(const std::string& path, const std::string& kind, bool dry_run);
  int ImportWorkloads(const std::string& path, bool dry_run);
  int ImportSignals(const std::string& path, bool dry_run);
  void PrintSummary(const std::string& file, const seimbang::common::v1::ImportSummary& s,
                    int64_t local_rejected);
  int Employees();
  int Units();
  // Lists without a command group of their own (cmd_lists.cc).
  int Agencies();
  int AgencyShow();
  int UnitShow();
  int Positions();
  int PositionShow();
  std::string LevelWord(int level) const;
  int EmployeeHistory();
  int Workloads();
  int Signals();
  int Preferences();
  int Audit();
  template <typename Req, typename Resp, typename Stub>
  int AuditOf(Stub& stub);
  int AnalysisRun();
  int AnalysisShow();
  int AnalysisCompare();
  int AnalysisList();
  int Policy();
  int PolicyList();
  int PlanList();
  // plan create | revise, and plan submit | approve | reject | cancel (the second word says which).
  int PlanCreateOrRevise();
  int PlanShow();
  int PlanMoves();
  int PlanExplain();
  int PlanCompare();
  int PlanTransition();
  int PlanExecute();
  seimbang::transfer::v1::Execution ExecutionOf(const std::string& plan_id);
  int PlanExport();
  // plan decrees (cmd_decrees.cc): SK drafts from the decree templates.
  int PlanDecrees();
  void DecreeInputs(const std::string& plan_id, decree::Plan& plan,
                    std::vector<decree::Move>& moves);
  decree::Settings DecreeFlags() const;
  decree::Settings PolicySigner(const decree::Plan& plan);
  bool AllPositions(std::vector<seimbang::personnel::v1::Position>& positions, grpc::Status& st);
  // The employees of `nips` by NIP (BatchGetEmployees, 1000 a call); missing NIPs left out.
  bool EmployeesByNip(const std::vector<std::string>& nips,
                      std::map<std::string, seimbang::personnel::v1::Employee>& out,
                      grpc::Status& st);
  int PlanStory();
  void PrintStoryMoves(const std::string& title,
                       const std::vector<const seimbang::transfer::v1::Move*>& moves);
  int Objection();
  int Me();
  int Report();
  bool ReportObjectionsAndPeople(ReportInput& in);
  // projection run | get | list | formasi (cmd_projection.cc).
  int ProjectionRun();
  int ProjectionGet();
  int ProjectionList();
  int ProjectionFormasi();
  // The projection the command's argument names (GetProjection); a failed call ends the command.
  seimbang::workload::v1::Projection ProjectionArg();
  void PrintProjection(const seimbang::workload::v1::Projection& p);
  // The plan's moves and unfilled needs as ProjectStaffing takes them; false with `st` set
  // when transfer cannot be read.
  bool ProjectionPlanOf(const std::string& plan_id, seimbang::workload::v1::ProjectionPlan& out,
                        std::string& agency, grpc::Status& st);
  // The projection the report shows (--projection latest|plan|none|ID); false when there is
  // none to show (or none wanted); exits through RpcError on a failed call.
  bool ReportProjection(const seimbang::transfer::v1::PlanSummary& plan,
                        seimbang::workload::v1::Projection& out);

  // A unary method of a service's stub, and the Cli's getter of that stub (&Cli::Personnel, ...).
  template <typename Stub, typename Req, typename Resp>
  using Method = server::UnaryMethod<Stub, Req, Resp>;
  template <typename Stub>
  using StubGetter = Stub& (Cli::*)();

  // A request's page: its size and the token of the page to read.
  template <typename Req>
  static void SetPage(Req& req, int32_t size, const std::string& token) {
    req.mutable_page()->set_page_size(size);
    req.mutable_page()->set_page_token(token);
  }

  // Calls `method` of `service` with a fresh context whose deadline is `ms` away.
  template <typename Stub, typename Req, typename Resp>
  grpc::Status Call(StubGetter<Stub> service, Method<Stub, Req, Resp> method, const Req& req,
                    Resp& resp, int64_t ms = 60000) {
    auto ctx = Ctx(ms);
    return ((this->*service)().*method)(ctx.get(), req, &resp);
  }

  // The same, returning the response; a failed call is printed (RpcError) and ends the
  // command with RpcError's exit code.
  template <typename Stub, typename Req, typename Resp>
  Resp CallOrExit(const std::string& rpc, StubGetter<Stub> service, Method<Stub, Req, Resp> method,
                  const Req& req, int64_t ms = 60000) {
    Resp resp;
    grpc::Status st = Call(service, method, req, resp, ms);
    if (!st.ok()) throw ExitNow{RpcError(rpc, st)};
    return resp;
  }

  // Every page of a list, 1000 a call: `take(resp)` takes each page's items. False with `st`
  // set when a call fails.
  template <typename Stub, typename Req, typename Resp, typename Take>
  bool FetchAll(StubGetter<Stub> service, Method<Stub, Req, Resp> method, Req req, grpc::Status& st,
                Take take) {
    std::string token;
    do {
      SetPage(req, 1000, token);
      Resp resp;
      st = Call(service, method, req, resp);
      if (!st.ok()) return false;
      take(resp);
      token = resp.page().next_page_token();
    } while (!token.empty());
    return true;
  }

  // FetchAll moving each page's items (the repeated field `items(resp)` points to) to `out`.
  template <typename Stub, typename Req, typename Resp, typename T, typename Items>
  bool FetchInto(StubGetter<Stub> service, Method<Stub, Req, Resp> method, Req req,
                 grpc::Status& st, std::vector<T>& out, Items items) {
    return FetchAll(service, method, std::move(req), st, [&](Resp& resp) {
      for (auto& item : *items(resp)) out.push_back(std::move(item));
    });
  }

  // A list command: one page (--page-size, --page-token), or with --all every
  // page; `call(token, resp)` asks for the page at `token`, `add(resp, t)` adds
  // its rows. Prints the rows and the next page token (table, CSV) or the
  // response (JSON, YAML; with --all every page's items in one).
  template <typename Resp, typename Call, typename Add>
  int ListPages(const std::string& rpc, Table t, Call call, Add add) {
    const bool all = Switch("all");
    const int32_t size = static_cast<int32_t>(all ? 1000 : IntFlag("page-size", 100));
    std::string token = Flag("page-token");
    Resp merged;
    do {
      Resp resp;
      grpc::Status st = call(size, token, resp);
      if (!st.ok()) return RpcError(rpc, st);
      add(resp, t);
      token = resp.page().next_page_token();
      merged.MergeFrom(resp);
    } while (all && !token.empty());
    merged.mutable_page()->set_next_page_token(token);
    Emit(merged, t, token);
    return kExitOk;
  }

  // ListPages over one List RPC of a service: `req` (its filter set) is sent for every page.
  template <typename Stub, typename Req, typename Resp, typename Add>
  int ListRpc(const std::string& rpc, Table t, StubGetter<Stub> service,
              Method<Stub, Req, Resp> method, Req req, Add add) {
    return ListPages<Resp>(
        rpc, std::move(t),
        [&](int32_t size, const std::string& token, Resp& resp) {
          SetPage(req, size, token);
          return Call(service, method, req, resp);
        },
        add);
  }

  // workloads list, signals list (cmd_lists.cc): a workload list of the agency's units (--agency,
  // --unit); `items(resp)` are a page's items and `row(item)` an item's row under `header`.
  template <typename Req, typename Resp, typename Items, typename Row>
  int WorkloadUnitList(const std::string& rpc, std::vector<std::string> header,
                       Method<WorkloadStub, Req, Resp> method, Items items, Row row);

  // Helpers fetching everything across pages (fetch_all.cc).
  bool AllAnalysisRows(const std::string& run,
                       std::vector<seimbang::workload::v1::PositionRow>& rows,
                       seimbang::workload::v1::AnalysisSummary* summary, grpc::Status& st);
  bool AllMoves(const std::string& plan, bool by_importance,
                std::vector<seimbang::transfer::v1::Move>& moves, grpc::Status& st);
  bool AllUnits(const std::string& agency, std::vector<seimbang::personnel::v1::Unit>& units,
                grpc::Status& st);
  bool GetPlan(const std::string& id, seimbang::transfer::v1::GetPlanResponse& resp,
               grpc::Status& st);
  // The saga's counts and, once finished with failures, the moves not applied and why.
  void PrintExecution(const seimbang::transfer::v1::Execution& ex);
  Table PlanFigures(const seimbang::transfer::v1::PlanSummary& p) const;
  void PrintPlanSummary(const seimbang::transfer::v1::PlanSummary& p,
                        const std::vector<seimbang::transfer::v1::UnfilledNeed>& unfilled);
  void PrintAnalysisSummary(const seimbang::workload::v1::AnalysisSummary& s);

  Args args_;
  const std::map<std::string, std::string>& env_;
  std::ostream& out_;
  std::ostream& err_;
  bool terminal_;
  Lang lang_;
  std::string output_ = "table";
  // The service of the last stub asked for, and its address: named when it is unreachable.
  std::string last_service_, last_address_, last_flag_, last_env_;
  bool token_loaded_ = false;
  std::string token_;
  bool progress_open_ = false;
  std::string last_stage_;
  std::unique_ptr<PersonnelStub> personnel_;
  std::unique_ptr<WorkloadStub> workload_;
  std::unique_ptr<TransferStub> transfer_;
};

}  // namespace seimbang::ctl

#endif  // SEIMBANG_TOOLS_SEIMBANGCTL_CLI_INTERNAL_H_
