-- Units of an agency.
CREATE TABLE unit (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(200) NOT NULL
) ENGINE=InnoDB;
CREATE INDEX unit_name ON unit (name);
