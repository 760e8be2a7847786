// seimbangctl objection file | resolve | list.
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace tv1 = seimbang::transfer::v1;

int Cli::Objection() {
  const std::string& sub = args_.words[1];
  auto row = [&](const tv1::Objection& o) {
    return std::vector<std::string>{o.id(),
                                    o.plan_id(),
                                    o.move_id(),
                                    o.nip(),
                                    Word_(tv1::ObjectionState_Name(o.state()), "OBJECTION_STATE_"),
                                    o.reason(),
                                    o.resolution_note()};
  };
  const std::vector<std::string> header = {"objection_id", "plan_id", "move_id",   "nip",
                                           "state",        "reason",  "resolution"};
  // file and resolve print the objection they answer.
  auto print = [&](const tv1::Objection& o) {
    Emit(o, Table{header, {row(o)}});
    return kExitOk;
  };
  if (sub == "file") {
    tv1::FileObjectionRequest req;
    req.set_plan_id(Word(2, "PLAN"));
    req.set_move_id(Word(3, "MOVE"));
    req.set_reason(Required("reason"));
    req.set_request_id(Flag("request-id"));
    return print(
        CallOrExit("FileObjection", &Cli::Transfer, &TransferStub::FileObjection, req).objection());
  }
  if (sub == "resolve") {
    if (Switch("accept") == Switch("reject")) throw UsageError{T("err.accept_or_reject")};
    tv1::ResolveObjectionRequest req;
    req.set_objection_id(Word(2, "ID"));
    req.set_accept(Switch("accept"));
    req.set_note(Flag("note"));
    req.set_request_id(Flag("request-id"));
    return print(
        CallOrExit("ResolveObjection", &Cli::Transfer, &TransferStub::ResolveObjection, req)
            .objection());
  }
  tv1::ListObjectionsRequest req;
  req.set_plan_id(Word(2, "PLAN"));
  return ListRpc("ListObjections", Table{header, {}}, &Cli::Transfer, &TransferStub::ListObjections,
                 req, [&](const tv1::ListObjectionsResponse& resp, Table& t) {
                   for (const auto& o : resp.objections()) t.rows.push_back(row(o));
                 });
}

// seimbangctl me: what concerns the employee whose token this is (ListMyMoves, ListPreferences).
int Cli::Me() {
  const auto mine = CallOrExit("ListMyMoves", &Cli::Transfer, &TransferStub::ListMyMoves,
                               tv1::ListMyMovesRequest());
  const auto prefs = CallOrExit("ListPreferences", &Cli::Transfer, &TransferStub::ListPreferences,
                                tv1::ListPreferencesRequest());
  if (output_ == "json" || output_ == "yaml") {
    Emit(mine, {});
    Emit(prefs, {});
    return kExitOk;
  }
  Table moves{{"plan_id", "state", "move_id", "to_unit", "to_position", "effective",
               "objections_until", "execution"},
              {}};
  for (const auto& m : mine.moves()) {
    moves.rows.push_back(
        {m.move().plan_id(), Word_(tv1::PlanState_Name(m.plan_state()), "PLAN_STATE_"),
         m.move().id(), m.move().to_unit_name(), m.move().to_position_code(),
         DateText(m.effective_date()), WitaTime(m.objection_window_close_ms()),
         Word_(tv1::MoveExecutionState_Name(m.execution_state()), "MOVE_EXECUTION_STATE_")});
  }
  out_ << T("me.moves", mine.moves_size()) << "\n";
  PrintTable(moves);
  out_ << "\n" << T("me.objections", mine.objections_size()) << "\n";
  Table objections{{"objection_id", "plan_id", "move_id", "state", "resolution"}, {}};
  for (const auto& o : mine.objections()) {
    objections.rows.push_back({o.id(), o.plan_id(), o.move_id(),
                               Word_(tv1::ObjectionState_Name(o.state()), "OBJECTION_STATE_"),
                               o.resolution_note()});
  }
  PrintTable(objections);
  out_ << "\n" << T("me.preferences", prefs.preferences_size()) << "\n";
  for (const auto& p : prefs.preferences()) out_ << "  " << p.ShortDebugString() << "\n";
  return kExitOk;
}

}  // namespace seimbang::ctl
