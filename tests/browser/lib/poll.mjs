// Polling with a deadline: the only way these tests wait for something to happen.

/**
 * Calls `probe` until it returns a truthy value, then returns that value. A probe that throws
 * counts as "not yet"; the last error (or value) is named when the deadline passes.
 */
export async function waitFor(what, probe, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no attempt finished';
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = `last result: ${JSON.stringify(value)}`;
    } catch (err) {
      last = `last error: ${err && err.message ? err.message : err}`;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${last})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Runs `fn`, returning its result; logs how long the named step took. */
export async function timed(step, fn) {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    console.log(`# step "${step}" took ${Date.now() - start} ms`);
  }
}
