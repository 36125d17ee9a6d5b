// Form validation that mirrors api/openapi.yaml, so the user sees the reason before submitting.
// Each function returns null when the value is valid, otherwise the message to show.

export const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])$/;
export const PORT_MIN = 1024;
export const PORT_MAX = 65535;
export const MAX_PORTS = 5;
export const LABEL_MAX = 64;
export const DEFAULT_IMAGE = 'rockpool-workspace';

const NAME_RULE = 'Use 3-63 lowercase letters, digits and hyphens';

export function validateWorkspaceName(raw: string): string | null {
  const name = raw.trim();
  if (name === '') return 'Enter a name. ' + NAME_RULE + '.';
  if (name.length < 3) return `Too short (${name.length}). ${NAME_RULE}.`;
  if (name.length > 63) return `Too long (${name.length}). ${NAME_RULE}.`;
  if (/[A-Z]/.test(name)) return `Uppercase letters are not allowed. ${NAME_RULE}.`;
  if (/[^a-z0-9-]/.test(name)) return `"${firstInvalidChar(name)}" is not allowed. ${NAME_RULE}.`;
  if (!NAME_PATTERN.test(name)) return `Start and end with a letter or digit. ${NAME_RULE}.`;
  return null;
}

function firstInvalidChar(name: string): string {
  return name.match(/[^a-z0-9-]/)?.[0] ?? '';
}

/** Parses a port typed into a form; returns the number or the reason it is not acceptable. */
export function parsePort(raw: string): { port: number } | { error: string } {
  const text = raw.trim();
  if (text === '') return { error: `Enter a port between ${PORT_MIN} and ${PORT_MAX}.` };
  if (!/^\d+$/.test(text)) return { error: 'A port is a whole number, e.g. 3000.' };
  const port = Number(text);
  if (port < PORT_MIN || port > PORT_MAX) {
    return { error: `Use a port between ${PORT_MIN} and ${PORT_MAX}.` };
  }
  return { port };
}

export function validatePortForm(
  raw: string,
  label: string,
  existing: readonly number[],
): { port: number; label?: string } | { error: string } {
  if (existing.length >= MAX_PORTS) return { error: `A workspace can forward at most ${MAX_PORTS} ports.` };
  const parsed = parsePort(raw);
  if ('error' in parsed) return parsed;
  if (existing.includes(parsed.port)) return { error: `Port ${parsed.port} is already forwarded.` };
  const trimmed = label.trim();
  if (trimmed.length > LABEL_MAX) return { error: `Keep the label to ${LABEL_MAX} characters.` };
  return trimmed ? { port: parsed.port, label: trimmed } : { port: parsed.port };
}

/**
 * Why a repository URL (and token) would be refused, or null: the server's own rules
 * (core/source.h), checked before sending so a person sees them as they type.
 */
export function validateRepository(url: string, token: string): string | null {
  const u = url.trim();
  if (u === '') return token === '' ? null : 'A token goes with a repository URL.';
  const https = u.startsWith('https://');
  if (!https && !u.startsWith('http://')) return 'Use an https:// URL, such as https://github.com/owner/project.git.';
  if (/[\s\x00-\x1f\x7f]/.test(u)) return 'The URL may not contain spaces.';
  const authority = u.slice(https ? 8 : 7).split(/[/?#]/)[0] ?? '';
  if (authority === '') return 'The URL names no host.';
  if (authority.includes('@')) return 'Put the token in the token field, not in the URL.';
  if (token !== '' && !https) return 'A token is only sent over https.';
  return null;
}

const SNAPSHOT_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Null when the server takes `name` as a snapshot's name ('' too: it names it after the time). */
export function snapshotNameError(name: string): string | null {
  if (name === '' || SNAPSHOT_NAME_PATTERN.test(name)) return null;
  return 'Use 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit.';
}

export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._@:()-]{0,63}$/;

/** An API token's name, as the contract's TokenName allows it. */
export function tokenNameError(raw: string): string | null {
  if (raw === '') return 'Enter a name, e.g. "laptop" or "ci".';
  if (raw.length > 64) return `Too long (${raw.length}); at most 64 characters.`;
  if (!TOKEN_NAME_PATTERN.test(raw)) {
    return 'Start with a letter or digit; use letters, digits, spaces and . _ @ : ( ) -';
  }
  return null;
}

export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{1,31}$/;
const USERNAME_RULE = 'Use 2-32 lowercase letters, digits and . _ -, starting with a letter';

/** A new account's username, as the contract's Username allows it. */
export function usernameError(raw: string): string | null {
  if (raw === '') return `Enter a username. ${USERNAME_RULE}.`;
  if (USERNAME_PATTERN.test(raw)) return null;
  if (raw.length < 2) return `Too short (${raw.length}). ${USERNAME_RULE}.`;
  if (raw.length > 32) return `Too long (${raw.length}). ${USERNAME_RULE}.`;
  if (/[A-Z]/.test(raw)) return `Uppercase letters are not allowed. ${USERNAME_RULE}.`;
  const bad = raw.match(/[^a-z0-9._-]/)?.[0];
  if (bad !== undefined) return `${bad.trim() === '' ? 'A space' : `"${bad}"`} is not allowed. ${USERNAME_RULE}.`;
  return `Start with a letter. ${USERNAME_RULE}.`;
}

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

/** A new password, as the contract's Password allows it (lengths in characters, as JSON Schema counts). */
export function passwordError(raw: string): string | null {
  const length = [...raw].length;
  if (length === 0) return `Enter a password of at least ${PASSWORD_MIN} characters.`;
  if (length < PASSWORD_MIN) return `Too short (${length}); use at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `Too long (${length}); at most ${PASSWORD_MAX} characters.`;
  return null;
}

/** The own-password form's problems, one a field (null when it is fine): nothing is sent while one has one. */
export interface PasswordChangeProblems {
  current: string | null;
  next: string | null;
  again: string | null;
}

/** Checks the current password, the new one (as passwordError does) and the new one typed again. */
export function passwordChangeProblems(current: string, next: string, again: string): PasswordChangeProblems {
  const currentLength = [...current].length;
  return {
    current:
      currentLength === 0
        ? 'Enter your current password.'
        : currentLength > PASSWORD_MAX
          ? `Too long (${currentLength}); a password has at most ${PASSWORD_MAX} characters.`
          : null,
    next: passwordError(next),
    again: again === '' ? 'Enter the new password again.' : again !== next ? 'The two new passwords differ.' : null,
  };
}
