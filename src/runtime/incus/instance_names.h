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

// "rp-<name>" for names up to 59 characters; for 60-63: "rp-" + the first 48 characters +
// "-" + 11 hex digits of a hash of the whole name (63 characters).
std::string InstanceName(std::string_view workspace);

// "rp-tpl-<first 12 hex digits of the image fingerprint>".
std::string TemplateName(std::string_view fingerprint);
// "rps-<first 12 hex digits of the image fingerprint>": the spare copy of that image's template.
// Workspace instances all start with "rp-", so no workspace name can take it.
std::string SpareName(std::string_view fingerprint);

// Proxy device names: "code" for code-server, "port-<p>" for a forwarded port.
inline constexpr char kCodeDevice[] = "code";
std::string PortDeviceName(int port);

}  // namespace rockpool::incus
