-- Workload-analysis schema (SQLite). Same meaning as mysql/001_init.sql.
-- One workload definition per unit x position; its tasks in workload_tasks.
CREATE TABLE workloads (
  unit_id INTEGER NOT NULL,
  position_code TEXT NOT NULL,
  agency_code TEXT NOT NULL,
  job_family TEXT NOT NULL,
  version INTEGER NOT NULL,
  update_time_ms INTEGER NOT NULL,
  PRIMARY KEY (unit_id, position_code)
);
CREATE INDEX workloads_agency ON workloads (agency_code, unit_id, position_code);

CREATE TABLE workload_tasks (
  unit_id INTEGER NOT NULL,
  position_code TEXT NOT NULL,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  output_unit TEXT NOT NULL,
  volume REAL NOT NULL,
  task_period INTEGER NOT NULL,
  norm_minutes REAL NOT NULL,
  driver_kind INTEGER NOT NULL,
  driver_baseline REAL NOT NULL,
  PRIMARY KEY (unit_id, position_code, seq)
);

-- month_key = year * 100 + month.
CREATE TABLE demand_signals (
  unit_id INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  month_key INTEGER NOT NULL,
  agency_code TEXT NOT NULL,
  signal_count INTEGER NOT NULL,
  update_time_ms INTEGER NOT NULL,
  PRIMARY KEY (unit_id, kind, month_key)
);
CREATE INDEX demand_signals_agency ON demand_signals (agency_code, unit_id, kind, month_key);
CREATE INDEX demand_signals_agency_month ON demand_signals (agency_code, month_key);

CREATE TABLE agency_settings (
  agency_code TEXT NOT NULL PRIMARY KEY,
  effective_minutes_per_year REAL NOT NULL,
  factor_year REAL NOT NULL,
  factor_month REAL NOT NULL,
  factor_week REAL NOT NULL,
  factor_day REAL NOT NULL,
  rounding INTEGER NOT NULL,
  band_a_above REAL NOT NULL,
  band_b_from REAL NOT NULL,
  band_c_from REAL NOT NULL,
  band_d_from REAL NOT NULL,
  balanced_min REAL NOT NULL,
  balanced_max REAL NOT NULL,
  signal_window_months INTEGER NOT NULL,
  version INTEGER NOT NULL,
  update_time_ms INTEGER NOT NULL
);

-- Immutable analysis runs; summary is the base64 AnalysisSummary (settings included).
CREATE TABLE analysis_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL UNIQUE,
  agency_code TEXT NOT NULL,
  as_of TEXT NOT NULL,
  label TEXT NOT NULL,
  create_time_ms INTEGER NOT NULL,
  staffing_digest TEXT NOT NULL,
  input_version TEXT NOT NULL,
  summary TEXT NOT NULL
);
CREATE INDEX analysis_runs_agency ON analysis_runs (agency_code, id);

CREATE TABLE analysis_position_rows (
  run_pk INTEGER NOT NULL,
  unit_id INTEGER NOT NULL,
  position_code TEXT NOT NULL,
  job_family TEXT NOT NULL,
  workload_minutes REAL NOT NULL,
  required_fte REAL NOT NULL,
  required_headcount INTEGER NOT NULL,
  staff INTEGER NOT NULL,
  staff_pns INTEGER NOT NULL,
  staff_pppk INTEGER NOT NULL,
  gap INTEGER NOT NULL,
  ej REAL NOT NULL,
  grade INTEGER NOT NULL,
  vacant INTEGER NOT NULL,
  has_workload INTEGER NOT NULL,
  PRIMARY KEY (run_pk, unit_id, position_code)
);
CREATE INDEX analysis_position_rows_grade ON analysis_position_rows (run_pk, grade, unit_id, position_code);

CREATE TABLE analysis_unit_rows (
  run_pk INTEGER NOT NULL,
  unit_id INTEGER NOT NULL,
  workload_minutes REAL NOT NULL,
  required_fte REAL NOT NULL,
  required_headcount INTEGER NOT NULL,
  staff INTEGER NOT NULL,
  surplus INTEGER NOT NULL,
  deficit INTEGER NOT NULL,
  eu REAL NOT NULL,
  grade INTEGER NOT NULL,
  PRIMARY KEY (run_pk, unit_id)
);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ms INTEGER NOT NULL,
  subject TEXT NOT NULL,
  caller_role TEXT NOT NULL,
  method TEXT NOT NULL,
  resource TEXT NOT NULL,
  request_id TEXT NOT NULL,
  agency_code TEXT NOT NULL
);
CREATE INDEX audit_events_method ON audit_events (method, id);

-- request_id -> base64 response bytes of the first call.
CREATE TABLE idempotency (
  method TEXT NOT NULL,
  request_id TEXT NOT NULL,
  response TEXT NOT NULL,
  create_time_ms INTEGER NOT NULL,
  PRIMARY KEY (method, request_id)
);
