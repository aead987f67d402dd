-- Stitch results, per Backstage instance. Each table keeps the columns the store filters and
-- joins on, and the full record as JSON in `data`.

CREATE TABLE sb_components (
  instance TEXT NOT NULL,
  ref TEXT NOT NULL,
  owner_status TEXT NOT NULL CHECK (owner_status IN ('linked', 'not-in-catalog', 'unresolved', 'invalid')),
  owner_ref TEXT,
  data TEXT NOT NULL,
  PRIMARY KEY (instance, ref)
);
CREATE INDEX sb_components_owner ON sb_components (owner_ref);

CREATE TABLE sb_links (
  instance TEXT NOT NULL,
  cluster TEXT NOT NULL,
  namespace TEXT NOT NULL,
  service TEXT NOT NULL,
  component_ref TEXT NOT NULL,
  owner_ref TEXT,
  match_by TEXT NOT NULL CHECK (match_by IN ('name-namespace', 'name-only')),
  stitched_at INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (instance, cluster, namespace, service)
);
CREATE INDEX sb_links_service ON sb_links (cluster, namespace, service);
CREATE INDEX sb_links_component ON sb_links (instance, component_ref);
CREATE INDEX sb_links_owner ON sb_links (owner_ref);

CREATE TABLE sb_misses (
  instance TEXT NOT NULL,
  component_ref TEXT NOT NULL,
  cluster TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('no-such-service', 'ambiguous', 'conflict')),
  data TEXT NOT NULL,
  PRIMARY KEY (instance, component_ref, cluster)
);

CREATE TABLE sb_unclaimed (
  instance TEXT NOT NULL,
  cluster TEXT NOT NULL,
  namespace TEXT NOT NULL,
  service TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (instance, cluster, namespace, service)
);

CREATE TABLE sb_owners (
  instance TEXT NOT NULL,
  ref TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('group', 'user')),
  in_catalog INTEGER NOT NULL CHECK (in_catalog IN (0, 1)),
  data TEXT NOT NULL,
  PRIMARY KEY (instance, ref)
);

CREATE TABLE sb_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
  counts TEXT NOT NULL,
  errors TEXT NOT NULL
);
CREATE INDEX sb_runs_instance ON sb_runs (instance, id);

CREATE TABLE sb_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
