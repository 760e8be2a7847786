-- transfer-planning schema (MySQL 8 / MariaDB >= 10.6). Same meaning as sqlite/001_init.sql.
-- Resource bodies are stored as base64 protobuf (body) next to the columns
-- that are filtered or ordered on; dates are 'YYYY-MM-DD', times unix millis.

CREATE TABLE policies (
  id VARCHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  agency_code VARCHAR(32) NOT NULL,
  name VARCHAR(400) NOT NULL,
  update_time_ms BIGINT NOT NULL,
  body LONGTEXT NOT NULL,
  PRIMARY KEY (id, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX policies_agency ON policies (agency_code, id);

CREATE TABLE preferences (
  nip VARCHAR(18) NOT NULL PRIMARY KEY,
  agency_code VARCHAR(32) NOT NULL,
  valid_until CHAR(10) NOT NULL,
  update_time_ms BIGINT NOT NULL,
  body LONGTEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX preferences_agency ON preferences (agency_code, nip);

CREATE TABLE plans (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  agency_code VARCHAR(32) NOT NULL,
  state BIGINT NOT NULL,
  version BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  parent_plan_id VARCHAR(64) NOT NULL,
  analysis_run_id VARCHAR(64) NOT NULL,
  policy_id VARCHAR(64) NOT NULL,
  policy_version BIGINT NOT NULL,
  effective_date CHAR(10) NOT NULL,
  staffing_digest VARCHAR(128) NOT NULL,
  create_time_ms BIGINT NOT NULL,
  submit_time_ms BIGINT NOT NULL,
  body LONGTEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX plans_agency_time ON plans (agency_code, create_time_ms, id);
CREATE INDEX plans_time ON plans (create_time_ms, id);
CREATE INDEX plans_state ON plans (state);

CREATE TABLE moves (
  plan_id VARCHAR(64) NOT NULL,
  move_id VARCHAR(32) NOT NULL,
  nip VARCHAR(18) NOT NULL,
  from_unit_id BIGINT NOT NULL,
  to_unit_id BIGINT NOT NULL,
  job_family VARCHAR(64) NOT NULL,
  importance DOUBLE NOT NULL,
  exec_state BIGINT NOT NULL,
  exec_detail TEXT NOT NULL,
  body LONGTEXT NOT NULL,
  PRIMARY KEY (plan_id, move_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX moves_importance ON moves (plan_id, importance, move_id);
CREATE INDEX moves_from ON moves (plan_id, from_unit_id, move_id);
CREATE INDEX moves_to ON moves (plan_id, to_unit_id, move_id);
CREATE INDEX moves_family ON moves (plan_id, job_family, move_id);
CREATE INDEX moves_exec ON moves (plan_id, exec_state, move_id);
CREATE INDEX moves_nip ON moves (nip);

CREATE TABLE unfilled_needs (
  plan_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  body LONGTEXT NOT NULL,
  PRIMARY KEY (plan_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE objections (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  plan_id VARCHAR(64) NOT NULL,
  move_id VARCHAR(32) NOT NULL,
  nip VARCHAR(18) NOT NULL,
  agency_code VARCHAR(32) NOT NULL,
  state BIGINT NOT NULL,
  reason TEXT NOT NULL,
  resolution_note TEXT NOT NULL,
  filed_by VARCHAR(255) NOT NULL,
  resolved_by VARCHAR(255) NOT NULL,
  file_time_ms BIGINT NOT NULL,
  resolve_time_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX objections_plan ON objections (plan_id, state, id);

CREATE TABLE executions (
  plan_id VARCHAR(64) NOT NULL PRIMARY KEY,
  agency_code VARCHAR(32) NOT NULL,
  start_time_ms BIGINT NOT NULL,
  finish_time_ms BIGINT NOT NULL,
  batches_done BIGINT NOT NULL,
  last_error TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE audit_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  time_ms BIGINT NOT NULL,
  subject VARCHAR(255) NOT NULL,
  role VARCHAR(32) NOT NULL,
  method VARCHAR(255) NOT NULL,
  resource VARCHAR(255) NOT NULL,
  request_id VARCHAR(255) NOT NULL,
  agency_code VARCHAR(32) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX audit_events_method ON audit_events (method, id);

CREATE TABLE idempotency (
  method VARCHAR(255) NOT NULL,
  request_id VARCHAR(255) NOT NULL,
  create_time_ms BIGINT NOT NULL,
  response LONGTEXT NOT NULL,
  PRIMARY KEY (method, request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
