-- Stitch results, per Backstage instance. Each table keeps the columns the store filters and
-- joins on, and the full record as JSON in `data`. Key columns use the "C" collation so that
-- ORDER BY sorts exactly as SQLite and JavaScript do, whatever the database's locale.

CREATE TABLE sb_components (
  instance text COLLATE "C" NOT NULL,
  ref text COLLATE "C" NOT NULL,
  owner_status text NOT NULL CHECK (owner_status IN ('linked', 'not-in-catalog', 'unresolved', 'invalid')),
  owner_ref text COLLATE "C",
  data text NOT NULL,
  PRIMARY KEY (instance, ref)
);
CREATE INDEX sb_components_owner ON sb_components (owner_ref);

CREATE TABLE sb_links (
  instance text COLLATE "C" NOT NULL,
  cluster text COLLATE "C" NOT NULL,
  namespace text COLLATE "C" NOT NULL,
  service text COLLATE "C" NOT NULL,
  component_ref text COLLATE "C" NOT NULL,
  owner_ref text COLLATE "C",
  match_by text NOT NULL CHECK (match_by IN ('name-namespace', 'name-only')),
  stitched_at bigint NOT NULL,
  data text NOT NULL,
  PRIMARY KEY (instance, cluster, namespace, service)
);
CREATE INDEX sb_links_service ON sb_links (cluster, namespace, service);
CREATE INDEX sb_links_component ON sb_links (instance, component_ref);
CREATE INDEX sb_links_owner ON sb_links (owner_ref);

CREATE TABLE sb_misses (
  instance text COLLATE "C" NOT NULL,
  component_ref text COLLATE "C" NOT NULL,
  cluster text COLLATE "C" NOT NULL,
  reason text NOT NULL CHECK (reason IN ('no-such-service', 'ambiguous', 'conflict')),
  data text NOT NULL,
  PRIMARY KEY (instance, component_ref, cluster)
);

CREATE TABLE sb_unclaimed (
  instance text COLLATE "C" NOT NULL,
  cluster text COLLATE "C" NOT NULL,
  namespace text COLLATE "C" NOT NULL,
  service text COLLATE "C" NOT NULL,
  data text NOT NULL,
  PRIMARY KEY (instance, cluster, namespace, service)
);

CREATE TABLE sb_owners (
  instance text COLLATE "C" NOT NULL,
  ref text COLLATE "C" NOT NULL,
  kind text NOT NULL CHECK (kind IN ('group', 'user')),
  in_catalog integer NOT NULL CHECK (in_catalog IN (0, 1)),
  data text NOT NULL,
  PRIMARY KEY (instance, ref)
);

CREATE TABLE sb_runs (
  id bigserial PRIMARY KEY,
  instance text COLLATE "C" NOT NULL,
  started_at bigint NOT NULL,
  duration_ms bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
  counts text NOT NULL,
  errors text NOT NULL
);
CREATE INDEX sb_runs_instance ON sb_runs (instance, id);

CREATE TABLE sb_leases (
  name text PRIMARY KEY,
  holder text NOT NULL,
  expires_at bigint NOT NULL
);
