-- The same table as on MySQL; SQLite's single writer already orders commits, so it is never
-- locked here (see Tx::LockChangeFeed).
CREATE TABLE change_feed_lock (
  id INTEGER NOT NULL PRIMARY KEY
);
INSERT INTO change_feed_lock (id) VALUES (1);
