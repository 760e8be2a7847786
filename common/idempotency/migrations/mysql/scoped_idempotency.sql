-- Idempotency keys scoped to the caller, the method and a fingerprint of the request (issue 15
-- item 2, common/idempotency/README.md). The old table keyed a request_id globally; its rows
-- cannot be attributed to a caller, so they are dropped (a retry spanning the upgrade runs anew).
-- Key columns compare bytes (scope <= 255, request_id <= 128 bytes, checked by the library);
-- response is the base64 of the serialized response.
DROP TABLE idempotency;
CREATE TABLE idempotency_records (
  scope VARBINARY(255) NOT NULL,
  method VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  request_id VARBINARY(128) NOT NULL,
  fingerprint CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  response LONGTEXT NOT NULL,
  create_time_ms BIGINT NOT NULL,
  PRIMARY KEY (scope, method, request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
