-- Personnel schema (MySQL 8 / MariaDB >= 10.6). Same meaning as sqlite/001_init.sql.
CREATE TABLE agencies (
  code VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  kind INT NOT NULL,
  province_code VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  create_time_ms BIGINT NOT NULL,
  KEY agencies_province (province_code, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE units (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  agency_code VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  parent_id BIGINT NOT NULL DEFAULT 0,
  name VARCHAR(200) NOT NULL,
  kind INT NOT NULL,
  kecamatan VARCHAR(200) NOT NULL DEFAULT '',
  latitude DOUBLE NOT NULL DEFAULT 0,
  longitude DOUBLE NOT NULL DEFAULT 0,
  active TINYINT NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1,
  path VARCHAR(700) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  KEY units_agency (agency_code, id),
  KEY units_path (path),
  KEY units_parent (parent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE positions (
  code VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  kind INT NOT NULL,
  level INT NOT NULL DEFAULT 0,
  job_family VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  rank_min VARCHAR(8) NOT NULL DEFAULT '',
  rank_max VARCHAR(8) NOT NULL DEFAULT '',
  min_education INT NOT NULL DEFAULT 0,
  retirement_age INT NOT NULL DEFAULT 0,
  KEY positions_family (job_family, code),
  KEY positions_kind (kind, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE employees (
  nip CHAR(18) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  employment_type INT NOT NULL,
  rank_text VARCHAR(8) NOT NULL DEFAULT '',
  education_level INT NOT NULL DEFAULT 0,
  education_field VARCHAR(200) NOT NULL DEFAULT '',
  competency_tags TEXT NOT NULL,
  performance_ratings VARCHAR(200) NOT NULL DEFAULT '',
  disciplinary_process TINYINT NOT NULL DEFAULT 0,
  judicial_process TINYINT NOT NULL DEFAULT 0,
  study_assignment TINYINT NOT NULL DEFAULT 0,
  service_bond_until CHAR(10) NULL,
  leave_until CHAR(10) NULL,
  unit_id BIGINT NOT NULL,
  position_code VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  in_post_since CHAR(10) NULL,
  home_kecamatan VARCHAR(200) NOT NULL DEFAULT '',
  home_latitude DOUBLE NOT NULL DEFAULT 0,
  home_longitude DOUBLE NOT NULL DEFAULT 0,
  birth_date CHAR(10) NOT NULL,
  gender INT NOT NULL,
  appointment CHAR(7) NOT NULL DEFAULT '',
  agency_code VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  KEY employees_agency (agency_code, nip),
  KEY employees_unit (unit_id, nip),
  KEY employees_position (position_code, nip),
  KEY employees_type (employment_type, nip)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE placements (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  nip CHAR(18) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  from_unit_id BIGINT NOT NULL DEFAULT 0,
  from_position_code VARCHAR(64) NOT NULL DEFAULT '',
  to_unit_id BIGINT NOT NULL,
  to_position_code VARCHAR(64) NOT NULL,
  effective_date CHAR(10) NULL,
  reason INT NOT NULL,
  decree_number VARCHAR(200) NOT NULL DEFAULT '',
  plan_id VARCHAR(128) NOT NULL DEFAULT '',
  move_id VARCHAR(128) NOT NULL DEFAULT '',
  record_time_ms BIGINT NOT NULL,
  KEY placements_nip (nip, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE transfer_outcomes (
  plan_id VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  move_id VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  outcome INT NOT NULL,
  detail VARCHAR(500) NOT NULL DEFAULT '',
  record_time_ms BIGINT NOT NULL,
  PRIMARY KEY (plan_id, move_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE changes (
  sequence BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind INT NOT NULL,
  agency_code VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  resource_id VARCHAR(128) NOT NULL,
  change_time_ms BIGINT NOT NULL,
  plan_id VARCHAR(128) NOT NULL DEFAULT '',
  KEY changes_agency (agency_code, sequence)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE audit_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  time_ms BIGINT NOT NULL,
  subject VARCHAR(200) NOT NULL,
  role VARCHAR(32) NOT NULL,
  method VARCHAR(200) NOT NULL,
  resource VARCHAR(200) NOT NULL DEFAULT '',
  request_id VARCHAR(200) NOT NULL DEFAULT '',
  agency_code VARCHAR(32) NOT NULL DEFAULT '',
  KEY audit_method (method, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE idempotency (
  request_id VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY,
  method VARCHAR(200) NOT NULL,
  response LONGTEXT NOT NULL,
  record_time_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
