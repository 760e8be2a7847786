-- Personnel schema (SQLite). Dates are 'YYYY-MM-DD' text, timestamps unix millis, booleans 0/1.
CREATE TABLE agencies (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  province_code TEXT NOT NULL DEFAULT '',
  create_time_ms INTEGER NOT NULL
);
CREATE INDEX agencies_province ON agencies (province_code, code);

-- path is the materialised ancestor path "/root/.../id/" so a subtree is one range scan.
CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  agency_code TEXT NOT NULL,
  parent_id INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  kecamatan TEXT NOT NULL DEFAULT '',
  latitude REAL NOT NULL DEFAULT 0,
  longitude REAL NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  path TEXT NOT NULL
);
CREATE INDEX units_agency ON units (agency_code, id);
CREATE INDEX units_path ON units (path);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE positions (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  level INTEGER NOT NULL DEFAULT 0,
  job_family TEXT NOT NULL DEFAULT '',
  rank_min TEXT NOT NULL DEFAULT '',
  rank_max TEXT NOT NULL DEFAULT '',
  min_education INTEGER NOT NULL DEFAULT 0,
  retirement_age INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX positions_family ON positions (job_family, code);
CREATE INDEX positions_kind ON positions (kind, code);

CREATE TABLE employees (
  nip TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  employment_type INTEGER NOT NULL,
  rank_text TEXT NOT NULL DEFAULT '',
  education_level INTEGER NOT NULL DEFAULT 0,
  education_field TEXT NOT NULL DEFAULT '',
  competency_tags TEXT NOT NULL DEFAULT '',
  performance_ratings TEXT NOT NULL DEFAULT '',
  disciplinary_process INTEGER NOT NULL DEFAULT 0,
  judicial_process INTEGER NOT NULL DEFAULT 0,
  study_assignment INTEGER NOT NULL DEFAULT 0,
  service_bond_until TEXT,
  leave_until TEXT,
  unit_id INTEGER NOT NULL,
  position_code TEXT NOT NULL,
  in_post_since TEXT,
  home_kecamatan TEXT NOT NULL DEFAULT '',
  home_latitude REAL NOT NULL DEFAULT 0,
  home_longitude REAL NOT NULL DEFAULT 0,
  birth_date TEXT NOT NULL,
  gender INTEGER NOT NULL,
  appointment TEXT NOT NULL DEFAULT '',
  agency_code TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX employees_agency ON employees (agency_code, nip);
CREATE INDEX employees_unit ON employees (unit_id, nip);
CREATE INDEX employees_position ON employees (position_code, nip);
CREATE INDEX employees_type ON employees (employment_type, nip);

CREATE TABLE placements (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  nip TEXT NOT NULL,
  from_unit_id INTEGER NOT NULL DEFAULT 0,
  from_position_code TEXT NOT NULL DEFAULT '',
  to_unit_id INTEGER NOT NULL,
  to_position_code TEXT NOT NULL,
  effective_date TEXT,
  reason INTEGER NOT NULL,
  decree_number TEXT NOT NULL DEFAULT '',
  plan_id TEXT NOT NULL DEFAULT '',
  move_id TEXT NOT NULL DEFAULT '',
  record_time_ms INTEGER NOT NULL
);
CREATE INDEX placements_nip ON placements (nip, id);

-- Outcome of every ApplyTransfers move, so a replay returns the first outcome.
CREATE TABLE transfer_outcomes (
  plan_id TEXT NOT NULL,
  move_id TEXT NOT NULL,
  outcome INTEGER NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  record_time_ms INTEGER NOT NULL,
  PRIMARY KEY (plan_id, move_id)
);

-- Change feed (outbox), written in the same transaction as the change.
CREATE TABLE changes (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  kind INTEGER NOT NULL,
  agency_code TEXT NOT NULL DEFAULT '',
  resource_id TEXT NOT NULL,
  change_time_ms INTEGER NOT NULL,
  plan_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX changes_agency ON changes (agency_code, sequence);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ms INTEGER NOT NULL,
  subject TEXT NOT NULL,
  role TEXT NOT NULL,
  method TEXT NOT NULL,
  resource TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  agency_code TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_method ON audit_events (method, id);

-- request_id -> base64 of the serialized response of the first call.
CREATE TABLE idempotency (
  request_id TEXT PRIMARY KEY,
  method TEXT NOT NULL,
  response TEXT NOT NULL,
  record_time_ms INTEGER NOT NULL
);
