#!/bin/sh
# Writes previous_release.sql: a store as the previous release left it (every migration in
# ../sqlite_migrations.cc but the newest, applied the way SqliteStore::Migrate applies them),
# holding workspaces in each state, their ports and jobs in each state. The upgrade test loads
# it and migrates it to the newest schema. Regenerate only when a new migration is added (then
# "previous" moves on by one): sh make_previous_release.sh > previous_release.sql
set -eu
here=$(dirname "$0")
migrations="$here/../sqlite_migrations.cc"
db=$(mktemp -d)/store.db
trap 'rm -rf "$(dirname "$db")"' EXIT

# The versions in the migration table, newest last; the previous release has all but the newest.
table=$(sed -n 's/^ *{\([0-9][0-9]*\), "\(.*\)", kV[0-9]*},$/\1|\2/p' "$migrations")
newest=$(echo "$table" | tail -n 1 | cut -d'|' -f1)

{
  echo "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;"
  echo "$table" | while IFS='|' read -r v description; do
    [ "$v" = "$newest" ] && break
    sed -n "/^constexpr std::string_view kV$v = R\"sql(/,/^)sql\";/p" "$migrations" | sed '1d;$d'
    echo "INSERT INTO schema_migrations VALUES ($v, '$description', '2026-01-01T00:00:00.000Z');"
  done
} | sqlite3 "$db"

sqlite3 "$db" <<'SQL'
INSERT INTO workspaces (id, name, status, image, status_reason, created_at, updated_at) VALUES
 ('11111111-1111-4111-8111-111111111111', 'alpha', 'running', 'rockpool-workspace', NULL,
  '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:05.000Z'),
 ('22222222-2222-4222-8222-222222222222', 'beta', 'stopped', 'rockpool-workspace', NULL,
  '2026-01-01T10:01:00.000Z', '2026-01-01T11:00:00.000Z'),
 ('33333333-3333-4333-8333-333333333333', 'gamma-9', 'error', 'custom-image',
  'incus: start instance rp-gamma-9: 500 boom', '2026-01-01T10:02:00.000Z',
  '2026-01-01T10:02:30.000Z'),
 ('44444444-4444-4444-8444-444444444444', '4delta', 'creating', 'rockpool-workspace', NULL,
  '2026-01-01T10:03:00.000Z', '2026-01-01T10:03:00.000Z');
INSERT INTO ports (workspace_id, port, label, created_at) VALUES
 ('11111111-1111-4111-8111-111111111111', 3000, 'web', '2026-01-01T10:05:00.000Z'),
 ('11111111-1111-4111-8111-111111111111', 8888, NULL, '2026-01-01T10:06:00.000Z'),
 ('22222222-2222-4222-8222-222222222222', 65535, 'top', '2026-01-01T10:07:00.000Z');
INSERT INTO jobs (id, workspace_id, kind, state, attempts, max_attempts, run_after,
                  lease_owner, lease_until, last_error, created_at, updated_at) VALUES
 (1, '11111111-1111-4111-8111-111111111111', 'create', 'done', 1, 5, 1767261600000,
  NULL, NULL, NULL, 1767261600000, 1767261605000),
 (2, '22222222-2222-4222-8222-222222222222', 'stop', 'done', 1, 5, 1767265200000,
  NULL, NULL, NULL, 1767265200000, 1767265201000),
 (3, '33333333-3333-4333-8333-333333333333', 'start', 'failed', 5, 5, 1767261750000,
  NULL, NULL, 'incus: start instance rp-gamma-9: 500 boom', 1767261720000, 1767261750000),
 (4, '44444444-4444-4444-8444-444444444444', 'create', 'running', 1, 5, 1767261780000,
  'worker-1', 1767261840000, NULL, 1767261780000, 1767261781000),
 (5, '44444444-4444-4444-8444-444444444444', 'delete', 'queued', 0, 5, 1767261900000,
  NULL, NULL, NULL, 1767261790000, 1767261790000);
SQL

echo "-- A Rockpool store at schema version $(sqlite3 "$db" 'SELECT max(version) FROM schema_migrations'), the previous release."
echo "-- Made by src/store/testdata/make_previous_release.sh; do not edit by hand."
sqlite3 "$db" .dump
