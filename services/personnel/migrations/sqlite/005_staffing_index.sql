-- GetStaffing (issue 22 item 4) reads an agency's staff in NIP order and only these columns: the
-- agency index now carries them (a covering index), and replaces employees_agency, whose
-- (agency_code, nip) it begins with.
CREATE INDEX employees_agency_staffing ON employees (agency_code, nip, unit_id, position_code,
                                                     employment_type, birth_date,
                                                     employment_status, status_since);
DROP INDEX employees_agency;
