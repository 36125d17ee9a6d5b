// SourceCloner: puts a workspace's source (core/source.h) into its IDE folder and records how
// that went. git runs in the workspace, never on the host: whatever a repository holds stays
// with the code it belongs to. It runs as the workspace's root, in root's home, and the
// checkout is then handed over to the workspace's user: a token reaches git through the
// script's environment and a credential helper that reads it there, so it is on no command
// line, in no file, shell history or remote URL, in no log, and out of reach of the processes
// of the workspace's user (code from the repository itself, on a retry).
//
// Each step is idempotent, so a job re-run after a crash converges: a folder that already holds
// the repository counts as cloned, and a half-finished clone is redone from the start.
#pragma once

#include <chrono>
#include <string>

#include "core/workspace.h"
#include "runtime/runtime.h"
#include "store/store.h"

namespace rockpool {

namespace auth {
class SecretBox;
}

struct CloneOptions {
  const auth::SecretBox* secrets = nullptr;  // opens sealed tokens; none: tokens cannot be used
  std::string ca_pem;  // certificates git trusts besides the system's (an internal git server)
  // A dotfiles repository (https:// URL) cloned to ~/.dotfiles at every create; its install
  // script runs, or its top-level dotfiles are linked into the home folder.
  std::string dotfiles_url;
  std::chrono::seconds timeout{600};      // per clone
  std::string handover_dir = "/var/tmp";  // in the workspace: where root hands the checkout over
};

class SourceCloner {
 public:
  // Every reference must outlive the cloner.
  SourceCloner(Store& store, Runtime& runtime, CloneOptions options)
      : store_(store), runtime_(runtime), options_(std::move(options)) {}

  // Clones the source of `ws`, if it has one that is not cloned yet, and records the outcome
  // (cloned, or failed with the kind of failure and git's words). A failed clone leaves the
  // workspace usable. Errors are the store's only.
  Status Clone(const Workspace& ws);
  // Applies the dotfiles repository, if one is set. A failure is logged; the workspace is
  // usable either way.
  void ApplyDotfiles(const Workspace& ws);

  // The scripts, for tests.
  static std::string CheckScript();
  static std::string CloneScript();
  static std::string MoveScript();
  static std::string CleanupScript();
  static std::string DotfilesScript();

 private:
  Store& store_;
  Runtime& runtime_;
  const CloneOptions options_;
};

}  // namespace rockpool
