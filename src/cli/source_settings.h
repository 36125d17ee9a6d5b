// The deployment's settings for workspaces created from a repository, from the environment:
//   ROCKPOOL_GIT_CA_FILE    PEM certificates git in workspaces trusts besides the system's
//                           (an internal git server with a private CA)
//   ROCKPOOL_DOTFILES       an https:// dotfiles repository applied at every create
//   ROCKPOOL_CLONE_TIMEOUT  seconds one clone may take (default 600)
// and the key that seals repository tokens: <state>/secret.key, made at the first start.
#pragma once

#include <memory>

#include "auth/secret_box.h"
#include "core/status.h"
#include "worker/source_clone.h"

namespace rockpool {

// InvalidArgument naming the setting and how to fix it when one is wrong.
Result<CloneOptions> CloneOptionsFromEnvironment();

// The deployment's secret key (auth::SecretBox::OpenOrCreate on <state_dir>/secret.key).
Result<std::unique_ptr<auth::SecretBox>> OpenSecretKey(const std::string& state_dir);

}  // namespace rockpool
