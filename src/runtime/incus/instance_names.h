// How workspaces map onto instance names and labels. LXD/Incus refuse instance names that
// start with a digit (workspace names may) and longer than 63 characters, so every instance
// is "rp-<workspace>", shortened deterministically when that would be too long.
#pragma once

#include <string>
#include <string_view>

namespace rockpool::incus {

inline constexpr char kLabelWorkspace[] = "user.rockpool.workspace";
inline constexpr char kLabelManaged[] = "user.rockpool.managed";
inline constexpr char kLabelTemplate[] = "user.rockpool.template";
inline constexpr char kLabelTemplateReady[] = "user.rockpool.template.ready";
inline constexpr char kLabelTemplateAlias[] = "user.rockpool.template.alias";
inline constexpr char kLabelImage[] = "user.rockpool.image";  // fingerprint it was made from
inline constexpr char kLabelSpare[] = "user.rockpool.spare";  // a copy of a template, kept
// "true" once the spare's copy has finished: only then may it be renamed into a workspace.
inline constexpr char kLabelSpareReady[] = "user.rockpool.spare.ready";
// How the template was made, copied into everything made from it. Generation 2 resets the
// machine-id only once systemd has finished booting (before, systemd could commit an id after
// the reset, and every copy shared it). Generation 3 also drops what code-server wrote in its
// state folder during that boot (its IPC socket, machine id, logs). Templates, spares and warm
// members of an earlier generation are made again.
inline constexpr char kLabelTemplateGeneration[] = "user.rockpool.template.generation";
inline constexpr char kTemplateGeneration[] = "3";
// "true" on a member of the warm pool: a spare that runs, code-server up, waiting for a claim.
// A claim turns it into a workspace in one PATCH (labels; the instance keeps its name).
inline constexpr char kLabelWarm[] = "user.rockpool.warm";

// "rp-<name>" for names up to 59 characters; for 60-63: "rp-" + the first 48 characters +
// "-" + 11 hex digits of a hash of the whole name (63 characters).
std::string InstanceName(std::string_view workspace);

// "rp-tpl-<first 12 hex digits of the image fingerprint>".
std::string TemplateName(std::string_view fingerprint);
// "rps-<first 12 hex digits of the image fingerprint>": the spare copy of that image's template.
// Workspace instances all start with "rp-", so no workspace name can take it.
std::string SpareName(std::string_view fingerprint);

// "rpw-<first 12 hex digits of the image fingerprint>-<8 random hex digits>": a member of the
// warm pool of that image. It keeps the name once claimed, so the workspace's instance is
// found by its label (IncusRuntime::InstanceOf), not by its name.
std::string WarmName(std::string_view fingerprint);
// Whether `instance` is named as a warm pool member of any image.
bool IsWarmName(std::string_view instance);
// "<instance>.warm": the file name of a warm member's code-server socket until its claim
// renames it to the workspace's socket. The proxy routes only "<workspace>.sock" and
// "<workspace>.<port>.sock", so no request reaches a member before its claim.
std::string WarmSocketFile(std::string_view instance);

// Proxy device names: "code" for code-server, "port-<p>" for a forwarded port.
inline constexpr char kCodeDevice[] = "code";
std::string PortDeviceName(int port);

}  // namespace rockpool::incus
