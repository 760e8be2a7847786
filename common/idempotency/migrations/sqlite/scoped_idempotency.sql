-- Idempotency keys scoped to the caller, the method and a fingerprint of the request (issue 15
-- item 2, common/idempotency/README.md). The old table keyed a request_id globally; its rows
-- cannot be attributed to a caller, so they are dropped (a retry spanning the upgrade runs anew).
DROP TABLE idempotency;
CREATE TABLE idempotency_records (
  scope TEXT NOT NULL,
  method TEXT NOT NULL,
  request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  response TEXT NOT NULL,
  create_time_ms INTEGER NOT NULL,
  PRIMARY KEY (scope, method, request_id)
);
