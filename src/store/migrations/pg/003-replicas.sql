-- Replica membership: one heartbeat lease per replica, for dividing clusters among replicas.
-- `epoch` grows by one each time the id joins anew (after its lease expired), so a process that
-- lost its lease can tell it is no longer the member of that name. Rows stay after leaving
-- (expired), so the epoch never repeats.

CREATE TABLE sb_replicas (
  id text COLLATE "C" PRIMARY KEY,
  url text NOT NULL,
  epoch bigint NOT NULL,
  joined_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
