-- Stored staffing projections (issue 21): one row per projection with its summary and totals
-- (base64 of the contract's messages, as analysis_runs stores its summary), and one row per
-- unit x position with its years.
CREATE TABLE projections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  projection_id TEXT NOT NULL UNIQUE,
  agency_code TEXT NOT NULL,
  run_id TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  create_time_ms INTEGER NOT NULL,
  summary TEXT NOT NULL,
  totals TEXT NOT NULL
);
CREATE INDEX projections_agency ON projections (agency_code, id);

CREATE TABLE projection_positions (
  projection_pk INTEGER NOT NULL,
  unit_id INTEGER NOT NULL,
  position_code TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (projection_pk, unit_id, position_code)
);
