-- A Rockpool store at schema version 13, the previous release.
-- Made by src/store/testdata/make_previous_release.sh; do not edit by hand.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;
INSERT INTO schema_migrations VALUES(1,'workspaces, ports, jobs','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(2,'workspaces revision counter','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(3,'workspace resource limits','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(4,'port state (pending, active)','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(5,'job kinds checked by the code','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(6,'workspace sources','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(7,'idle timeout and last activity','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(8,'job argument','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(9,'leases','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(10,'workspace location','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(11,'API tokens','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(12,'accounts and workspace owners','2026-01-01T00:00:00.000Z');
INSERT INTO schema_migrations VALUES(13,'browser sessions','2026-01-01T00:00:00.000Z');
CREATE TABLE workspaces (
  id            TEXT NOT NULL PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  status        TEXT NOT NULL CHECK (status IN
                  ('creating', 'running', 'stopping', 'stopped', 'starting', 'error')),
  image         TEXT NOT NULL,
  status_reason TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
, limit_cpus REAL CHECK (limit_cpus IS NULL OR limit_cpus > 0), limit_memory_mib INTEGER
  CHECK (limit_memory_mib IS NULL OR limit_memory_mib > 0), limit_processes INTEGER
  CHECK (limit_processes IS NULL OR limit_processes > 0), limit_disk_gib INTEGER
  CHECK (limit_disk_gib IS NULL OR limit_disk_gib > 0), idle_timeout_seconds INTEGER
  CHECK (idle_timeout_seconds IS NULL OR idle_timeout_seconds >= 0), last_activity_at TEXT, location TEXT CHECK (location IS NULL OR length(location) <= 255), owner TEXT CHECK (owner IS NULL OR length(owner) <= 128)) STRICT;
INSERT INTO workspaces VALUES('11111111-1111-4111-8111-111111111111','alpha','running','rockpool-workspace',NULL,'2026-01-01T10:00:00.000Z','2026-01-01T10:00:05.000Z',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO workspaces VALUES('22222222-2222-4222-8222-222222222222','beta','stopped','rockpool-workspace',NULL,'2026-01-01T10:01:00.000Z','2026-01-01T11:00:00.000Z',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO workspaces VALUES('33333333-3333-4333-8333-333333333333','gamma-9','error','custom-image','incus: start instance rp-gamma-9: 500 boom','2026-01-01T10:02:00.000Z','2026-01-01T10:02:30.000Z',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO workspaces VALUES('44444444-4444-4444-8444-444444444444','4delta','creating','rockpool-workspace',NULL,'2026-01-01T10:03:00.000Z','2026-01-01T10:03:00.000Z',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE ports (
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  port         INTEGER NOT NULL CHECK (port BETWEEN 1024 AND 65535),
  label        TEXT CHECK (label IS NULL OR length(label) <= 64),
  created_at   TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'active'
  CHECK (state IN ('pending', 'active')),
  PRIMARY KEY (workspace_id, port)
) STRICT;
INSERT INTO ports VALUES('11111111-1111-4111-8111-111111111111',3000,'web','2026-01-01T10:05:00.000Z','active');
INSERT INTO ports VALUES('11111111-1111-4111-8111-111111111111',8888,NULL,'2026-01-01T10:06:00.000Z','active');
INSERT INTO ports VALUES('22222222-2222-4222-8222-222222222222',65535,'top','2026-01-01T10:07:00.000Z','active');
CREATE TABLE workspaces_revision (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
) STRICT;
INSERT INTO workspaces_revision VALUES(1,4);
CREATE TABLE IF NOT EXISTS "jobs" (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
  state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
  run_after    INTEGER NOT NULL,
  lease_owner  TEXT,
  lease_until  INTEGER,
  last_error   TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
, argument TEXT CHECK (argument IS NULL OR length(argument) <= 255)) STRICT;
INSERT INTO jobs VALUES(1,'11111111-1111-4111-8111-111111111111','create','done',1,5,1767261600000,NULL,NULL,NULL,1767261600000,1767261605000,NULL);
INSERT INTO jobs VALUES(2,'22222222-2222-4222-8222-222222222222','stop','done',1,5,1767265200000,NULL,NULL,NULL,1767265200000,1767265201000,NULL);
INSERT INTO jobs VALUES(3,'33333333-3333-4333-8333-333333333333','start','failed',5,5,1767261750000,NULL,NULL,'incus: start instance rp-gamma-9: 500 boom',1767261720000,1767261750000,NULL);
INSERT INTO jobs VALUES(4,'44444444-4444-4444-8444-444444444444','create','running',1,5,1767261780000,'worker-1',1767261840000,NULL,1767261780000,1767261781000,NULL);
INSERT INTO jobs VALUES(5,'44444444-4444-4444-8444-444444444444','delete','queued',0,5,1767261900000,NULL,NULL,NULL,1767261790000,1767261790000,NULL);
CREATE TABLE workspace_sources (
  workspace_id TEXT NOT NULL PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  url          TEXT NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
  ref          TEXT,
  username     TEXT NOT NULL,
  sealed_token TEXT,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'cloned', 'failed')),
  error_kind   TEXT,
  error        TEXT,
  updated_at   TEXT NOT NULL
) STRICT;
CREATE TABLE leases (
  name     TEXT NOT NULL PRIMARY KEY,
  holder   TEXT NOT NULL,
  until_ms INTEGER NOT NULL
) STRICT;
CREATE TABLE api_tokens (
  id           TEXT NOT NULL PRIMARY KEY,
  username     TEXT NOT NULL,
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  digest       TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  expires_at   TEXT,
  last_used_at TEXT, kind TEXT NOT NULL DEFAULT 'token'
  CHECK (kind IN ('token', 'session')), binding TEXT CHECK (binding IS NULL OR length(binding) <= 64),
  UNIQUE (username, name)
) STRICT;
CREATE TABLE users (
  username      TEXT NOT NULL PRIMARY KEY CHECK (length(username) BETWEEN 2 AND 32),
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX workspaces_by_created ON workspaces (created_at, id);
CREATE INDEX workspaces_by_status ON workspaces (status);
CREATE TRIGGER workspaces_revision_on_insert AFTER INSERT ON workspaces
BEGIN UPDATE workspaces_revision SET revision = revision + 1; END;
CREATE TRIGGER workspaces_revision_on_update AFTER UPDATE ON workspaces
BEGIN UPDATE workspaces_revision SET revision = revision + 1; END;
CREATE TRIGGER workspaces_revision_on_delete AFTER DELETE ON workspaces
BEGIN UPDATE workspaces_revision SET revision = revision + 1; END;
CREATE INDEX ports_pending ON ports (created_at) WHERE state = 'pending';
CREATE INDEX jobs_unfinished ON jobs (state, run_after) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_by_workspace ON jobs (workspace_id, id);
CREATE TRIGGER workspaces_revision_on_source_insert AFTER INSERT ON workspace_sources
BEGIN UPDATE workspaces_revision SET revision = revision + 1; END;
CREATE TRIGGER workspaces_revision_on_source_update AFTER UPDATE ON workspace_sources
BEGIN UPDATE workspaces_revision SET revision = revision + 1; END;
CREATE INDEX workspaces_by_owner ON workspaces (owner, created_at, id);
COMMIT;
