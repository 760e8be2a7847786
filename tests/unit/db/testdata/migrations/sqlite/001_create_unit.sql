-- Units of an agency.
CREATE TABLE unit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL
);
CREATE INDEX unit_name ON unit (name);
