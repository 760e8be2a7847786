-- Stored staffing projections (issue 21): one row per projection with its summary and totals
-- (base64 of the contract's messages, as analysis_runs stores its summary), and one row per
-- unit x position with its years.
CREATE TABLE projections (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  projection_id VARCHAR(64) NOT NULL UNIQUE,
  agency_code VARCHAR(32) NOT NULL,
  run_id VARCHAR(64) NOT NULL,
  plan_id VARCHAR(128) NOT NULL,
  create_time_ms BIGINT NOT NULL,
  summary MEDIUMTEXT NOT NULL,
  totals LONGTEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX projections_agency ON projections (agency_code, id);

CREATE TABLE projection_positions (
  projection_pk BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  position_code VARCHAR(64) NOT NULL,
  body MEDIUMTEXT NOT NULL,
  PRIMARY KEY (projection_pk, unit_id, position_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
