-- Replica membership: one heartbeat lease per replica, for dividing clusters among replicas.
-- `epoch` grows by one each time the id joins anew (after its lease expired), so a process that
-- lost its lease can tell it is no longer the member of that name. Rows stay after leaving
-- (expired), so the epoch never repeats.

CREATE TABLE sb_replicas (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  joined_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
