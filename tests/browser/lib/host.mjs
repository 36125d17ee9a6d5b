// Commands on the test host: the LXD client and Rockpool's own CLI.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ROCKPOOL_BIN = process.env.ROCKPOOL_BIN || `${REPO_ROOT}build/rockpool`;

/**
 * A setting the private Rockpool (scripts/harness.sh) exports; the tests never fall back to a
 * deployment's defaults, so run without the harness they stop here and say so.
 */
export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests through ./scripts/test.sh, or bring up a ` +
      'private Rockpool with scripts/harness.sh\'s start_private and export what it sets');
  }
  return value;
}

/** Runs a program; resolves {code, stdout, stderr}, never rejects on a non-zero exit. */
export function run(file, args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new Error(`${file} ${args.join(' ')}: ${err.message}\n${stderr}`));
        return;
      }
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

/** Like run, but rejects with the command and its output when it exits non-zero. */
export async function runOk(file, args, options) {
  const result = await run(file, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${file} ${args.join(' ')}: exit ${result.code}\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/** Runs a shell command inside an LXD instance as root; resolves {code, stdout, stderr}. */
export function execIn(instance, script, options) {
  return run('lxc', ['exec', instance, '--', 'sh', '-c', script], options);
}

/** Content of a file inside an instance, or null while it does not exist. */
export async function readFileIn(instance, path) {
  const result = await run('lxc', ['exec', instance, '--', 'cat', path]);
  return result.code === 0 ? result.stdout : null;
}

/** The IPv4 address of an LXD network's gateway on this host, e.g. "10.187.42.1". */
export async function bridgeAddress(network) {
  const cidr = (await runOk('lxc', ['network', 'get', network, 'ipv4.address'])).trim();
  if (!cidr) throw new Error(`lxc network get ${network} ipv4.address: empty`);
  return cidr.split('/')[0];
}

/** Runs `build/rockpool <args...>`. */
export function rockpool(args, options) {
  return run(ROCKPOOL_BIN, args, options);
}
