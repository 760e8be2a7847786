-- Employment status with its day (issue 20), the inspectorate clearance flag (issue 17 item 4),
-- the pelaksana class of a position (issue 17 item 1) and external unit ids (issue 20). Existing
-- employees are ACTIVE and cleared; existing units have no external id (NULL: the unique key
-- per agency allows any number of them).
ALTER TABLE employees
  ADD COLUMN inspectorate_pending TINYINT NOT NULL DEFAULT 0,
  ADD COLUMN employment_status INT NOT NULL DEFAULT 1,
  ADD COLUMN status_since CHAR(10) NULL;
ALTER TABLE positions ADD COLUMN pelaksana_class INT NOT NULL DEFAULT 0;
ALTER TABLE units
  ADD COLUMN external_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  ADD UNIQUE KEY units_external (agency_code, external_id);
