#include "worker/source_clone.h"

#include <spdlog/spdlog.h>

#include "auth/secret_box.h"

namespace rockpool {
namespace {

// The scripts take their inputs from the environment only. The prelude makes git fail rather
// than prompt, and trusts RP_GIT_CA (the deployment's extra certificates) besides the system's,
// for the user running it (the workspace's user: for the IDE's later pulls too).
constexpr char kPrelude[] = R"sh(set -u
export GIT_TERMINAL_PROMPT=0 LC_ALL=C
if [ -n "${RP_GIT_CA:-}" ]; then
  mkdir -p "$HOME/.config/rockpool"
  { cat /etc/ssl/certs/ca-certificates.crt 2>/dev/null; printf '%s\n' "$RP_GIT_CA"; } \
    > "$HOME/.config/rockpool/git-ca.pem"
  git config --global http.sslCAInfo "$HOME/.config/rockpool/git-ca.pem"
fi
)sh";

// 1. The workspace's user: is the IDE folder free? Input: RP_GIT_URL. Exit codes: 0 it holds
// that repository already, 20 it is empty, 3 it holds something else.
constexpr char kCheckBody[] = R"sh(dest="$HOME/workspace"
mkdir -p "$dest" || exit 3
if [ -e "$dest/.git" ]; then
  [ "$(git -C "$dest" config --get remote.origin.url)" = "$RP_GIT_URL" ] && exit 0
  echo "rockpool: $dest already holds another repository; move it away, then retry" >&2
  exit 3
fi
if [ -n "$(ls -A "$dest")" ]; then
  echo "rockpool: $dest is not empty; move its files away, then retry" >&2
  exit 3
fi
exit 20
)sh";

// 2. Root clones in its own home, which the workspace's user cannot enter, so the token in
// git's environment is out of reach of the user's processes (/proc/<pid>/environ is readable
// by the same user only). The checkout is then handed over: given to uid 1000 and moved into a
// fresh folder that only root may write and anyone may pass through. Inputs: RP_GIT_URL,
// RP_GIT_REF, RP_GIT_USERNAME, RP_GIT_TOKEN, RP_CLONE_TMP (where that folder goes). Prints the
// folder. Exit codes: 10 git clone failed, 11 a checkout failed, 12 the ref matches nothing.
constexpr char kCloneBody[] = R"sh(umask 022
work="$HOME/.cache/rockpool-clone"
trap 'rm -rf "$work"' EXIT
rm -rf "$work" && mkdir -p "$work" || exit 10
if [ -n "${RP_GIT_TOKEN:-}" ]; then
  git -c credential.helper= \
    -c 'credential.helper=!f() { test "$1" = get && printf "username=%s\npassword=%s\n" "$RP_GIT_USERNAME" "$RP_GIT_TOKEN"; }; f' \
    clone --quiet -- "$RP_GIT_URL" "$work/repo" || exit 10
else
  git -c credential.helper= clone --quiet -- "$RP_GIT_URL" "$work/repo" || exit 10
fi
cd "$work/repo" || exit 10
ref="${RP_GIT_REF:-}"
if [ -n "$ref" ]; then
  if git rev-parse --verify --quiet "refs/remotes/origin/$ref^{commit}" >/dev/null; then
    git checkout --quiet -B "$ref" "origin/$ref" || exit 11
  elif git rev-parse --verify --quiet "refs/tags/$ref^{commit}" >/dev/null; then
    git -c advice.detachedHead=false checkout --quiet "refs/tags/$ref" || exit 11
  elif git rev-parse --verify --quiet "$ref^{commit}" >/dev/null; then
    git -c advice.detachedHead=false checkout --quiet "$ref" || exit 11
  else
    echo "rockpool: ref $ref did not match any branch, tag or commit of the repository" >&2
    exit 12
  fi
fi
cd / && chown -R 1000:1000 "$work/repo" || exit 10
out=$(mktemp -d "${RP_CLONE_TMP:-/var/tmp}/rockpool-clone.XXXXXX") && chmod 0711 "$out" &&
  mv "$work/repo" "$out/repo" && rmdir "$work" || exit 10
echo "$out"
)sh";

// 3. The workspace's user moves the checkout into the IDE folder. Input: RP_CLONE_OUT.
constexpr char kMoveBody[] = R"sh(dest="$HOME/workspace"
if [ -n "$(ls -A "$dest")" ]; then
  echo "rockpool: $dest is not empty; move its files away, then retry" >&2
  exit 3
fi
find "$RP_CLONE_OUT/repo" -mindepth 1 -maxdepth 1 -exec mv -t "$dest" {} + || exit 10
)sh";

// 4. Root removes the hand-over folder.
constexpr char kCleanupBody[] = R"sh(case "$RP_CLONE_OUT" in
  */rockpool-clone.*) rm -rf "$RP_CLONE_OUT" ;;
esac
)sh";

// Input: RP_DOTFILES_URL. Exit codes: 10 git clone failed, 13 the install script failed, 14 a
// link could not be made.
constexpr char kDotfilesBody[] = R"sh(dir="$HOME/.dotfiles"
if [ ! -d "$dir/.git" ]; then
  rm -rf "$dir"
  git -c credential.helper= clone --quiet --depth 1 -- "$RP_DOTFILES_URL" "$dir" || exit 10
fi
cd "$dir" || exit 10
for s in install.sh install bootstrap.sh bootstrap setup.sh setup; do
  if [ -f "$s" ]; then
    chmod +x "$s" && "./$s" || { echo "rockpool: dotfiles $s failed" >&2; exit 13; }
    exit 0
  fi
done
for f in .[!.]* ..?*; do
  [ -e "$f" ] || continue
  [ "$f" = .git ] && continue
  ln -sfn "$dir/$f" "$HOME/$f" || exit 14
done
)sh";

constexpr size_t kMaxErrorLength = 600;

// The last lines of what the script wrote, at most kMaxErrorLength characters, with `secret`
// blanked wherever it appears.
std::string Complaint(std::string err, const std::string& secret) {
  if (!secret.empty()) {
    for (size_t at = err.find(secret); at != std::string::npos; at = err.find(secret, at)) {
      err.replace(at, secret.size(), "***");
    }
  }
  while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
  if (err.size() > kMaxErrorLength) err = "..." + err.substr(err.size() - kMaxErrorLength);
  return err.empty() ? "git wrote nothing" : err;
}

}  // namespace

std::string SourceCloner::CheckScript() { return std::string(kPrelude) + kCheckBody; }
std::string SourceCloner::CloneScript() { return std::string(kPrelude) + kCloneBody; }
std::string SourceCloner::MoveScript() { return kMoveBody; }
std::string SourceCloner::CleanupScript() { return kCleanupBody; }
std::string SourceCloner::DotfilesScript() { return std::string(kPrelude) + kDotfilesBody; }

Status SourceCloner::Clone(const Workspace& ws) {
  auto source = store_.sources().Get(ws.id);
  if (source.status().code() == Code::kNotFound) return Status::Ok();  // nothing to clone
  RP_RETURN_IF_ERROR(source.status());
  if (source->status == SourceStatus::kCloned) return Status::Ok();
  auto fail = [&](CloneError kind, const std::string& why) {
    spdlog::warn("workspace \"{}\": clone of {} failed ({}): {}", ws.name, source->url,
                 CloneErrorName(kind), why);
    return store_.sources().SetOutcome(ws.id, SourceStatus::kFailed, kind, why);
  };
  auto cloned = [&] {
    spdlog::info("workspace \"{}\": cloned {}", ws.name, source->url);
    return store_.sources().SetOutcome(ws.id, SourceStatus::kCloned, std::nullopt, std::nullopt);
  };
  std::string token;
  if (source->sealed_token) {
    if (options_.secrets == nullptr) {
      return fail(CloneError::kAuthentication,
                  "this control plane has no secret key to open the repository token with");
    }
    auto opened = options_.secrets->Open(*source->sealed_token);
    if (!opened.ok()) {
      return fail(CloneError::kAuthentication, opened.status().message() +
                                                   "; delete the workspace and create it again "
                                                   "with the token");
    }
    token = std::move(*opened);
  }
  // Runs one step; an engine error becomes the clone's failure.
  auto step = [&](std::string script, std::map<std::string, std::string> env,
                  ScriptSpec::User user) -> Result<ScriptResult> {
    auto ran =
        runtime_.RunScript(ws.name, {std::move(script), std::move(env), options_.timeout, user});
    if (!ran.ok()) {
      return Status::Unavailable("git could not run in the workspace: " + ran.status().message() +
                                 "; start the workspace, then retry the clone");
    }
    return ran;
  };
  const std::string ca = options_.ca_pem;
  auto check = step(CheckScript(), {{"RP_GIT_URL", source->url}, {"RP_GIT_CA", ca}},
                    ScriptSpec::User::kWorkspace);
  if (!check.ok()) return fail(CloneError::kOther, check.status().message());
  if (check->exit_code == 0) return cloned();  // a crashed attempt got this far
  if (check->exit_code != 20) return fail(CloneError::kOther, Complaint(check->err, ""));

  std::map<std::string, std::string> env = {{"RP_GIT_URL", source->url},
                                            {"RP_GIT_REF", source->ref.value_or("")},
                                            {"RP_GIT_CA", ca},
                                            {"RP_CLONE_TMP", options_.handover_dir}};
  if (!token.empty()) {
    env["RP_GIT_USERNAME"] = source->username;
    env["RP_GIT_TOKEN"] = token;
  }
  auto clone = step(CloneScript(), std::move(env), ScriptSpec::User::kRoot);
  if (!clone.ok()) return fail(CloneError::kOther, clone.status().message());
  if (clone->exit_code != 0) {
    const std::string why = Complaint(clone->err, token);
    switch (clone->exit_code) {
      case 12:
        return fail(CloneError::kMissingRef, why);
      case 124:
      case 137:
        return fail(
            CloneError::kUnreachable,
            "git did not finish within " + std::to_string(options_.timeout.count()) + " s: " + why);
      case 10:
      case 11:
        return fail(ClassifyCloneError(why), why);
      default:
        return fail(CloneError::kOther, why);
    }
  }
  std::string out = clone->out;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  out = out.substr(out.find_last_of('\n') == std::string::npos ? 0 : out.find_last_of('\n') + 1);
  auto moved = step(MoveScript(), {{"RP_CLONE_OUT", out}}, ScriptSpec::User::kWorkspace);
  auto cleaned = step(CleanupScript(), {{"RP_CLONE_OUT", out}}, ScriptSpec::User::kRoot);
  if (cleaned.ok() && cleaned->exit_code != 0) {
    spdlog::warn("workspace \"{}\": {} not removed: {}", ws.name, out, cleaned->err);
  }
  if (!moved.ok()) return fail(CloneError::kOther, moved.status().message());
  if (moved->exit_code != 0) return fail(CloneError::kOther, Complaint(moved->err, ""));
  return cloned();
}

void SourceCloner::ApplyDotfiles(const Workspace& ws) {
  if (options_.dotfiles_url.empty()) return;
  auto ran = runtime_.RunScript(
      ws.name, {DotfilesScript(),
                {{"RP_DOTFILES_URL", options_.dotfiles_url}, {"RP_GIT_CA", options_.ca_pem}},
                options_.timeout});
  if (!ran.ok()) {
    spdlog::warn("workspace \"{}\": dotfiles from {} not applied: {}", ws.name,
                 options_.dotfiles_url, ran.status().ToString());
  } else if (ran->exit_code != 0) {
    spdlog::warn("workspace \"{}\": dotfiles from {} not applied (exit {}): {}", ws.name,
                 options_.dotfiles_url, ran->exit_code, Complaint(ran->err, ""));
  } else {
    spdlog::info("workspace \"{}\": dotfiles from {} applied", ws.name, options_.dotfiles_url);
  }
}

}  // namespace rockpool
