-- One row that every transaction writing change-feed rows locks (FOR UPDATE) just before it
-- writes them, and holds until it commits: change sequences then become visible in order, so
-- a WatchChanges reader that has seen sequence N never misses a smaller one committed later
-- (concurrent import batches and writers would otherwise interleave their commits).
CREATE TABLE change_feed_lock (
  id INT NOT NULL PRIMARY KEY
) ENGINE=InnoDB;
INSERT INTO change_feed_lock (id) VALUES (1);
