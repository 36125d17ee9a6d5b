// The rockpool subcommands: a table of rows, one file each.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace rockpool {

struct Command {
  const char* name;
  const char* description;
  // Adds the subcommand's options and callback to `sub`.
  void (*add)(CLI::App& sub, Context& ctx);
};

void AddUp(CLI::App& sub, Context& ctx);
void AddDown(CLI::App& sub, Context& ctx);
void AddVerify(CLI::App& sub, Context& ctx);
void AddDoctor(CLI::App& sub, Context& ctx);
void AddImage(CLI::App& sub, Context& ctx);
void AddServe(CLI::App& sub, Context& ctx);
void AddWorker(CLI::App& sub, Context& ctx);
void AddSupervise(CLI::App& sub, Context& ctx);
void AddUninstall(CLI::App& sub, Context& ctx);
void AddLogs(CLI::App& sub, Context& ctx);
void AddPaths(CLI::App& sub, Context& ctx);
void AddBackup(CLI::App& sub, Context& ctx);
void AddRestore(CLI::App& sub, Context& ctx);

// Ends the program with "error: <message>" and exit code 1 when `status` is not ok.
void ExitOnError(const Status& status);

}  // namespace rockpool
