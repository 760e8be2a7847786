-- Workload-analysis schema (MySQL/MariaDB). Same meaning as sqlite/001_init.sql.
-- One workload definition per unit x position; its tasks in workload_tasks.
CREATE TABLE workloads (
  unit_id BIGINT NOT NULL,
  position_code VARCHAR(64) NOT NULL,
  agency_code VARCHAR(32) NOT NULL,
  job_family VARCHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  update_time_ms BIGINT NOT NULL,
  PRIMARY KEY (unit_id, position_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX workloads_agency ON workloads (agency_code, unit_id, position_code);

CREATE TABLE workload_tasks (
  unit_id BIGINT NOT NULL,
  position_code VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  name VARCHAR(500) NOT NULL,
  output_unit VARCHAR(100) NOT NULL,
  volume DOUBLE NOT NULL,
  task_period BIGINT NOT NULL,
  norm_minutes DOUBLE NOT NULL,
  driver_kind BIGINT NOT NULL,
  driver_baseline DOUBLE NOT NULL,
  PRIMARY KEY (unit_id, position_code, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- month_key = year * 100 + month.
CREATE TABLE demand_signals (
  unit_id BIGINT NOT NULL,
  kind BIGINT NOT NULL,
  month_key BIGINT NOT NULL,
  agency_code VARCHAR(32) NOT NULL,
  signal_count BIGINT NOT NULL,
  update_time_ms BIGINT NOT NULL,
  PRIMARY KEY (unit_id, kind, month_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX demand_signals_agency ON demand_signals (agency_code, unit_id, kind, month_key);
CREATE INDEX demand_signals_agency_month ON demand_signals (agency_code, month_key);

CREATE TABLE agency_settings (
  agency_code VARCHAR(32) NOT NULL PRIMARY KEY,
  effective_minutes_per_year DOUBLE NOT NULL,
  factor_year DOUBLE NOT NULL,
  factor_month DOUBLE NOT NULL,
  factor_week DOUBLE NOT NULL,
  factor_day DOUBLE NOT NULL,
  rounding BIGINT NOT NULL,
  band_a_above DOUBLE NOT NULL,
  band_b_from DOUBLE NOT NULL,
  band_c_from DOUBLE NOT NULL,
  band_d_from DOUBLE NOT NULL,
  balanced_min DOUBLE NOT NULL,
  balanced_max DOUBLE NOT NULL,
  signal_window_months BIGINT NOT NULL,
  version BIGINT NOT NULL,
  update_time_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Immutable analysis runs; summary is the base64 AnalysisSummary (settings included).
CREATE TABLE analysis_runs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  run_id VARCHAR(64) NOT NULL UNIQUE,
  agency_code VARCHAR(32) NOT NULL,
  as_of CHAR(10) NOT NULL,
  label VARCHAR(200) NOT NULL,
  create_time_ms BIGINT NOT NULL,
  staffing_digest VARCHAR(128) NOT NULL,
  input_version VARCHAR(128) NOT NULL,
  summary MEDIUMTEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX analysis_runs_agency ON analysis_runs (agency_code, id);

CREATE TABLE analysis_position_rows (
  run_pk BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  position_code VARCHAR(64) NOT NULL,
  job_family VARCHAR(64) NOT NULL,
  workload_minutes DOUBLE NOT NULL,
  required_fte DOUBLE NOT NULL,
  required_headcount BIGINT NOT NULL,
  staff BIGINT NOT NULL,
  staff_pns BIGINT NOT NULL,
  staff_pppk BIGINT NOT NULL,
  gap BIGINT NOT NULL,
  ej DOUBLE NOT NULL,
  grade BIGINT NOT NULL,
  vacant BIGINT NOT NULL,
  has_workload BIGINT NOT NULL,
  PRIMARY KEY (run_pk, unit_id, position_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX analysis_position_rows_grade ON analysis_position_rows (run_pk, grade, unit_id, position_code);

CREATE TABLE analysis_unit_rows (
  run_pk BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  workload_minutes DOUBLE NOT NULL,
  required_fte DOUBLE NOT NULL,
  required_headcount BIGINT NOT NULL,
  staff BIGINT NOT NULL,
  surplus BIGINT NOT NULL,
  deficit BIGINT NOT NULL,
  eu DOUBLE NOT NULL,
  grade BIGINT NOT NULL,
  PRIMARY KEY (run_pk, unit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE audit_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  time_ms BIGINT NOT NULL,
  subject VARCHAR(255) NOT NULL,
  caller_role VARCHAR(32) NOT NULL,
  method VARCHAR(200) NOT NULL,
  resource VARCHAR(255) NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  agency_code VARCHAR(32) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX audit_events_method ON audit_events (method, id);

-- request_id -> base64 response bytes of the first call.
CREATE TABLE idempotency (
  method VARCHAR(200) NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  response MEDIUMTEXT NOT NULL,
  create_time_ms BIGINT NOT NULL,
  PRIMARY KEY (method, request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
