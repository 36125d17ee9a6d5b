#include "store/sqlite_migrations.h"

namespace rockpool {
namespace {

constexpr std::string_view kV1 = R"sql(
CREATE TABLE workspaces (
  id            TEXT NOT NULL PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  status        TEXT NOT NULL CHECK (status IN
                  ('creating', 'running', 'stopping', 'stopped', 'starting', 'error')),
  image         TEXT NOT NULL,
  status_reason TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX workspaces_by_created ON workspaces (created_at, id);
CREATE INDEX workspaces_by_status ON workspaces (status);

CREATE TABLE ports (
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  port         INTEGER NOT NULL CHECK (port BETWEEN 1024 AND 65535),
  label        TEXT CHECK (label IS NULL OR length(label) <= 64),
  created_at   TEXT NOT NULL,
  PRIMARY KEY (workspace_id, port)
) STRICT;

CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('create', 'start', 'stop', 'delete')),
  state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
  run_after    INTEGER NOT NULL,
  lease_owner  TEXT,
  lease_until  INTEGER,
  last_error   TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_unfinished ON jobs (state, run_after) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_by_workspace ON jobs (workspace_id, id);
)sql";

// A counter that every committed change to `workspaces` moves on, from any connection or
// process: readers compare it to tell whether a list they answered before is still current.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE workspaces_revision (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
) STRICT;
INSERT INTO workspaces_revision (id, revision) VALUES (1, 0);
CREATE TRIGGER workspaces_revision_on_insert AFTER INSERT ON workspaces
BEGIN UPDATE workspaces_revision SET revision = revision + 1; END;
CREATE TRIGGER workspaces_revision_on_update AFTER UPDATE ON workspaces
BEGIN UPDATE workspaces_revision SET revision = revision + 1; END;
CREATE TRIGGER workspaces_revision_on_delete AFTER DELETE ON workspaces
BEGIN UPDATE workspaces_revision SET revision = revision + 1; END;
)sql";

// Each workspace's resource limits. Rows from before this migration keep NULLs: the store
// reads them as the deployment's defaults of the day (StoreOptions::default_limits).
constexpr std::string_view kV3 = R"sql(
ALTER TABLE workspaces ADD COLUMN limit_cpus REAL CHECK (limit_cpus IS NULL OR limit_cpus > 0);
ALTER TABLE workspaces ADD COLUMN limit_memory_mib INTEGER
  CHECK (limit_memory_mib IS NULL OR limit_memory_mib > 0);
ALTER TABLE workspaces ADD COLUMN limit_processes INTEGER
  CHECK (limit_processes IS NULL OR limit_processes > 0);
ALTER TABLE workspaces ADD COLUMN limit_disk_gib INTEGER
  CHECK (limit_disk_gib IS NULL OR limit_disk_gib > 0);
)sql";

// Ports are added in two phases: the row is committed pending, the runtime is asked outside any
// transaction, then the row turns active (or is removed). Rows from before were all forwarded.
constexpr std::string_view kV4 = R"sql(
ALTER TABLE ports ADD COLUMN state TEXT NOT NULL DEFAULT 'active'
  CHECK (state IN ('pending', 'active'));
CREATE INDEX ports_pending ON ports (created_at) WHERE state = 'pending';
)sql";

// A job's kind is checked by the code that reads it (ParseJobKind), so a release can add kinds
// without rebuilding the table again; a row of a kind this release does not know fails its read.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE jobs_v5 (
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
) STRICT;
INSERT INTO jobs_v5 (id, workspace_id, kind, state, attempts, max_attempts, run_after,
                     lease_owner, lease_until, last_error, created_at, updated_at)
  SELECT id, workspace_id, kind, state, attempts, max_attempts, run_after,
         lease_owner, lease_until, last_error, created_at, updated_at FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_v5 RENAME TO jobs;
CREATE INDEX jobs_unfinished ON jobs (state, run_after) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_by_workspace ON jobs (workspace_id, id);
)sql";

// The git repository each workspace was created from, with the outcome of its clone. Changes
// move the workspaces revision: a workspace's answer carries its source.
constexpr std::string_view kV6 = R"sql(
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
CREATE TRIGGER workspaces_revision_on_source_insert AFTER INSERT ON workspace_sources
BEGIN UPDATE workspaces_revision SET revision = revision + 1; END;
CREATE TRIGGER workspaces_revision_on_source_update AFTER UPDATE ON workspace_sources
BEGIN UPDATE workspaces_revision SET revision = revision + 1; END;
)sql";

// Idle auto-stop: each workspace's own timeout (NULL: the deployment's default of the day, 0:
// never) and the last activity the control plane recorded for it.
constexpr std::string_view kV7 = R"sql(
ALTER TABLE workspaces ADD COLUMN idle_timeout_seconds INTEGER
  CHECK (idle_timeout_seconds IS NULL OR idle_timeout_seconds >= 0);
ALTER TABLE workspaces ADD COLUMN last_activity_at TEXT;
)sql";

// A job may carry one argument for its kind (a restore job: the snapshot to restore).
constexpr std::string_view kV8 = R"sql(
ALTER TABLE jobs ADD COLUMN argument TEXT CHECK (argument IS NULL OR length(argument) <= 255);
)sql";

// Named leases for work exactly one control-plane process does (store/lease_repository.h).
constexpr std::string_view kV9 = R"sql(
CREATE TABLE leases (
  name     TEXT NOT NULL PRIMARY KEY,
  holder   TEXT NOT NULL,
  until_ms INTEGER NOT NULL
) STRICT;
)sql";

// The cluster member each workspace lives on (NULL: not a cluster, or not seen yet).
constexpr std::string_view kV10 = R"sql(
ALTER TABLE workspaces ADD COLUMN location TEXT CHECK (location IS NULL OR length(location) <= 255);
)sql";

// API tokens: only a digest of each secret is kept (store/token_repository.h).
constexpr std::string_view kV11 = R"sql(
CREATE TABLE api_tokens (
  id           TEXT NOT NULL PRIMARY KEY,
  username     TEXT NOT NULL,
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  digest       TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  expires_at   TEXT,
  last_used_at TEXT,
  UNIQUE (username, name)
) STRICT;
)sql";

// Accounts made by admins (the deployment's own admin account stays in auth.json), and the
// account that owns each workspace: NULL for one made before there were accounts.
constexpr std::string_view kV12 = R"sql(
CREATE TABLE users (
  username      TEXT NOT NULL PRIMARY KEY CHECK (length(username) BETWEEN 2 AND 32),
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    TEXT NOT NULL
) STRICT;
ALTER TABLE workspaces ADD COLUMN owner TEXT CHECK (owner IS NULL OR length(owner) <= 128);
CREATE INDEX workspaces_by_owner ON workspaces (owner, created_at, id);
)sql";

// Browser sessions kept beside the API tokens: the same digest lookup, told apart by kind. A
// session's idle limit counts from last_used_at, its absolute limit is expires_at, and its
// binding ties it to the password it was started with (store/token_repository.h).
constexpr std::string_view kV13 = R"sql(
ALTER TABLE api_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'token'
  CHECK (kind IN ('token', 'session'));
ALTER TABLE api_tokens ADD COLUMN binding TEXT CHECK (binding IS NULL OR length(binding) <= 64);
)sql";

// Port mode's origins: the host port each workspace IDE (forwarded_port 0) and forwarded port
// is served on, and the grants that let a browser's session reach one origin: one-time
// tickets, and the cookies they are exchanged for. A grant ends with its session.
constexpr std::string_view kV14 = R"sql(
CREATE TABLE origins (
  port           INTEGER NOT NULL PRIMARY KEY CHECK (port BETWEEN 1 AND 65535),
  workspace_id   TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  forwarded_port INTEGER NOT NULL CHECK (forwarded_port BETWEEN 0 AND 65535),
  UNIQUE (workspace_id, forwarded_port)
) STRICT;
CREATE TABLE origin_grants (
  id          TEXT NOT NULL PRIMARY KEY,
  digest      TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL CHECK (kind IN ('ticket', 'cookie')),
  session_id  TEXT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
  origin_port INTEGER NOT NULL,
  expires_at  TEXT NOT NULL
) STRICT;
CREATE INDEX origin_grants_by_session ON origin_grants (session_id);
)sql";

}  // namespace

const std::vector<Migration>& SqliteMigrations() {
  // One entry per line: testdata/make_previous_release.sh reads this table.
  // clang-format off
  static const std::vector<Migration> kMigrations = {
      {1, "workspaces, ports, jobs", kV1},
      {2, "workspaces revision counter", kV2},
      {3, "workspace resource limits", kV3},
      {4, "port state (pending, active)", kV4},
      {5, "job kinds checked by the code", kV5},
      {6, "workspace sources", kV6},
      {7, "idle timeout and last activity", kV7},
      {8, "job argument", kV8},
      {9, "leases", kV9},
      {10, "workspace location", kV10},
      {11, "API tokens", kV11},
      {12, "accounts and workspace owners", kV12},
      {13, "browser sessions", kV13},
      {14, "workspace origins", kV14},
  };
  // clang-format on
  return kMigrations;
}

}  // namespace rockpool
