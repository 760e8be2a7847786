-- transfer-planning schema (SQLite). Same meaning as mysql/001_init.sql.
-- Resource bodies are stored as base64 protobuf (body) next to the columns
-- that are filtered or ordered on; dates are 'YYYY-MM-DD', times unix millis.

CREATE TABLE policies (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  agency_code TEXT NOT NULL,
  name TEXT NOT NULL,
  update_time_ms INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE INDEX policies_agency ON policies (agency_code, id);

CREATE TABLE preferences (
  nip TEXT NOT NULL PRIMARY KEY,
  agency_code TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  update_time_ms INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX preferences_agency ON preferences (agency_code, nip);

CREATE TABLE plans (
  id TEXT NOT NULL PRIMARY KEY,
  agency_code TEXT NOT NULL,
  state INTEGER NOT NULL,
  version INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  parent_plan_id TEXT NOT NULL,
  analysis_run_id TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  policy_version INTEGER NOT NULL,
  effective_date TEXT NOT NULL,
  staffing_digest TEXT NOT NULL,
  create_time_ms INTEGER NOT NULL,
  submit_time_ms INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX plans_agency_time ON plans (agency_code, create_time_ms, id);
CREATE INDEX plans_time ON plans (create_time_ms, id);
CREATE INDEX plans_state ON plans (state);

CREATE TABLE moves (
  plan_id TEXT NOT NULL,
  move_id TEXT NOT NULL,
  nip TEXT NOT NULL,
  from_unit_id INTEGER NOT NULL,
  to_unit_id INTEGER NOT NULL,
  job_family TEXT NOT NULL,
  importance REAL NOT NULL,
  exec_state INTEGER NOT NULL,
  exec_detail TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (plan_id, move_id)
);
CREATE INDEX moves_importance ON moves (plan_id, importance, move_id);
CREATE INDEX moves_from ON moves (plan_id, from_unit_id, move_id);
CREATE INDEX moves_to ON moves (plan_id, to_unit_id, move_id);
CREATE INDEX moves_family ON moves (plan_id, job_family, move_id);
CREATE INDEX moves_exec ON moves (plan_id, exec_state, move_id);
CREATE INDEX moves_nip ON moves (nip);

CREATE TABLE unfilled_needs (
  plan_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (plan_id, seq)
);

CREATE TABLE objections (
  id TEXT NOT NULL PRIMARY KEY,
  plan_id TEXT NOT NULL,
  move_id TEXT NOT NULL,
  nip TEXT NOT NULL,
  agency_code TEXT NOT NULL,
  state INTEGER NOT NULL,
  reason TEXT NOT NULL,
  resolution_note TEXT NOT NULL,
  filed_by TEXT NOT NULL,
  resolved_by TEXT NOT NULL,
  file_time_ms INTEGER NOT NULL,
  resolve_time_ms INTEGER NOT NULL
);
CREATE INDEX objections_plan ON objections (plan_id, state, id);

CREATE TABLE executions (
  plan_id TEXT NOT NULL PRIMARY KEY,
  agency_code TEXT NOT NULL,
  start_time_ms INTEGER NOT NULL,
  finish_time_ms INTEGER NOT NULL,
  batches_done INTEGER NOT NULL,
  last_error TEXT NOT NULL
);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ms INTEGER NOT NULL,
  subject TEXT NOT NULL,
  role TEXT NOT NULL,
  method TEXT NOT NULL,
  resource TEXT NOT NULL,
  request_id TEXT NOT NULL,
  agency_code TEXT NOT NULL
);
CREATE INDEX audit_events_method ON audit_events (method, id);

CREATE TABLE idempotency (
  method TEXT NOT NULL,
  request_id TEXT NOT NULL,
  create_time_ms INTEGER NOT NULL,
  response TEXT NOT NULL,
  PRIMARY KEY (method, request_id)
);
