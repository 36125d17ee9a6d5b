// Runs code-server's server in this one process, for code-server.service.
//
// code-server's own entry point (out/node/entry.js) is a wrapper: it loads all of
// code-server's modules, then forks a second node process that loads them all again and
// serves. That costs one extra node boot, about 0.3 s of a 0.7 s start on 2 cores. The
// wrapper's jobs are done here by systemd: it restarts the service when it exits
// (Restart=always) and keeps its output (the journal).
//
// The calls are the ones entry.js makes in its child process, for the code-server version
// pinned in versions.env.
"use strict";

const root = "/opt/code-server";
const { logger } = require(`${root}/node_modules/@coder/logger`);
const cli = require(`${root}/out/node/cli`);
const { runCodeServer } = require(`${root}/out/node/main`);

// As in code-server's child process: VS Code's server calls process.exit in places (say, when
// its last extension host closes) where the IDE must keep serving. Only a signal or a failed
// start ends this process.
const exit = process.exit.bind(process);
process.exit = (code) => logger.warn(`process.exit() was prevented: ${code ?? "unknown code"}.`);

async function start() {
  const cliArgs = cli.parse(process.argv.slice(2));
  const configArgs = await cli.readConfigFile(cliArgs.config);
  const args = await cli.setDefaults(cliArgs, configArgs);
  // VS Code's server module starts a standalone server of its own when it is loaded
  // outside code-server's child process; this variable is how it tells the two apart.
  process.env.CODE_SERVER_PARENT_PID = String(process.pid);
  process.env.NODE_EXEC_PATH = process.execPath;
  const server = await runCodeServer(args);

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    setTimeout(() => exit(0), 5000).unref();
    Promise.resolve(server.dispose()).finally(() => exit(0));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

start().catch((error) => {
  logger.error(error.message);
  exit(1);
});
