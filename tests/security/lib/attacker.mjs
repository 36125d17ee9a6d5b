// Workspaces for the browser attack tests: made and removed through the rockpool CLI, and a
// page served from one of them on a forwarded port by a small node server inside it.
import assert from 'node:assert/strict';
import { writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { rockpool, runOk } from '../../browser/lib/host.mjs';
import { waitFor } from '../../browser/lib/poll.mjs';

/** Creates each of `names`, adding each to `created` (for the cleanup) once it exists. */
export async function createWorkspaces(names, created) {
  for (const name of names) {
    const made = await rockpool(['ws', 'create', name], { timeoutMs: 200_000 });
    assert.equal(made.code, 0, `rockpool ws create ${name}: ${made.stdout}${made.stderr}`);
    created.push(name);
  }
}

/** Removes workspace `name`, stopping it first when it will not go while running. */
export async function removeWorkspace(name) {
  await waitFor(`workspace ${name} to be removed`, async () => {
    const removed = await rockpool(['ws', 'rm', name], { timeoutMs: 120_000 });
    if (removed.code === 0 || /not found|no workspace/i.test(removed.stderr)) return true;
    await rockpool(['ws', 'stop', name], { timeoutMs: 120_000 });
    return false;
  }, { timeoutMs: 180_000, intervalMs: 2_000 });
}

/**
 * Copies `files` ({ name: text }) to /tmp of workspace `workspace` (owned by its user), runs
 * `node /tmp/<script>` there in the background, and forwards `port`.
 */
export async function serveFromWorkspace(workspace, files, script, port) {
  const dir = tmpdir();
  for (const [name, text] of Object.entries(files)) {
    const local = `${dir}/${workspace}-${name}`;
    await writeFile(local, text);
    await runOk('lxc', ['file', 'push', '--uid', '1000', '--gid', '1000', local, `rp-${workspace}/tmp/${name}`]);
    await rm(local);
  }
  await runOk('lxc', ['exec', `rp-${workspace}`, '--user', '1000', '--group', '1000', '--', 'sh', '-c',
    `nohup node /tmp/${script} </dev/null >/dev/null 2>&1 &`]);
  const added = await rockpool(['ws', 'port', 'add', workspace, String(port)], { timeoutMs: 60_000 });
  assert.equal(added.code, 0, `port add: ${added.stdout}${added.stderr}`);
}
