-- Employment status with its day (issue 20), the inspectorate clearance flag (issue 17 item 4),
-- the pelaksana class of a position (issue 17 item 1) and external unit ids (issue 20). Existing
-- employees are ACTIVE and cleared; existing units have no external id (NULL: the unique index
-- per agency allows any number of them).
ALTER TABLE employees ADD COLUMN inspectorate_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE employees ADD COLUMN employment_status INTEGER NOT NULL DEFAULT 1;
ALTER TABLE employees ADD COLUMN status_since TEXT;
ALTER TABLE positions ADD COLUMN pelaksana_class INTEGER NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX units_external ON units (agency_code, external_id);
