import { useState } from 'preact/hooks';
import { createWorkspace } from '../api/client';
import type { Workspace } from '../api/types';
import { showToast } from '../lib/toast';
import { choiceValue, IDLE_CHOICES, parseChoice } from '../lib/idle';
import { DEFAULT_IMAGE, validateRepository, validateWorkspaceName } from '../lib/validation';
import { Dialog } from './Dialog';

interface Props {
  open: boolean;
  onClose: () => void;
  onCreated: (w: Workspace) => void;
}

export function CreateWorkspaceDialog({ open, onClose, onCreated }: Props) {
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [idle, setIdle] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [repoUrl, setRepoUrl] = useState('');
  const [repoRef, setRepoRef] = useState('');
  const [repoToken, setRepoToken] = useState('');
  const reason = validateWorkspaceName(name);
  const showReason = touched && name !== '' ? reason : null;
  const repoReason = validateRepository(repoUrl, repoToken);
  const message = showReason ?? (repoReason ? null : serverError);

  const close = (): void => {
    setName('');
    setRepoUrl('');
    setRepoRef('');
    setRepoToken('');
    setTouched(false);
    setIdle(null);
    setServerError(null);
    onClose();
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setTouched(true);
    if (reason) {
      setServerError(reason);
      return;
    }
    if (repoReason) return;
    setBusy(true);
    try {
      const repository =
        repoUrl.trim() === ''
          ? undefined
          : {
              url: repoUrl.trim(),
              ...(repoRef.trim() !== '' ? { ref: repoRef.trim() } : {}),
              ...(repoToken !== '' ? { token: repoToken } : {}),
            };
      const ws = await createWorkspace({
        name: name.trim(),
        image: DEFAULT_IMAGE,
        ...(idle === null ? {} : { idleTimeoutSeconds: idle }),
        ...(repository ? { repository } : {}),
      });
      onCreated(ws);
      showToast('success', `Creating workspace ${ws.name}`);
      close();
    } catch (err) {
      setServerError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title="Create workspace" onClose={close}>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="ws-name">Name</label>
          <input
            id="ws-name"
            name="name"
            class="input mono"
            value={name}
            autoComplete="off"
            spellcheck={false}
            placeholder="my-workspace"
            aria-invalid={message ? 'true' : 'false'}
            aria-describedby="ws-name-help"
            data-autofocus
            onInput={(e) => {
              setName((e.target as HTMLInputElement).value);
              setServerError(null);
            }}
            onBlur={() => setTouched(true)}
          />
          <p id="ws-name-help" class={message ? 'field-error' : 'field-help'} role={message ? 'alert' : undefined}>
            {message ?? 'Use 3-63 lowercase letters, digits and hyphens.'}
          </p>
        </div>
        <div class="field">
          <label for="ws-image">Image</label>
          <input id="ws-image" class="input mono" value={DEFAULT_IMAGE} readOnly aria-describedby="ws-image-help" />
          <p id="ws-image-help" class="field-help">
            The standard workspace image: Debian 12 with code-server.
          </p>
        </div>
        <div class="field">
          <label for="ws-idle">Stop when idle for</label>
          <select
            id="ws-idle"
            class="input"
            value={choiceValue(idle)}
            aria-describedby="ws-idle-help"
            onChange={(e) => setIdle(parseChoice((e.target as HTMLSelectElement).value))}
          >
            {IDLE_CHOICES.map(([label, seconds]) => (
              <option key={label} value={choiceValue(seconds)}>
                {label}
              </option>
            ))}
          </select>
          <p id="ws-idle-help" class="field-help">
            With no open IDE and no traffic to its ports for this long, the workspace is stopped. Its files are kept.
          </p>
        </div>
        <div class="field">
          <label for="ws-repo">Repository (optional)</label>
          <input
            id="ws-repo"
            name="repository"
            class="input mono"
            value={repoUrl}
            autoComplete="off"
            spellcheck={false}
            placeholder="https://github.com/owner/project.git"
            aria-invalid={repoReason ? 'true' : 'false'}
            aria-describedby="ws-repo-help"
            onInput={(e) => {
              setRepoUrl((e.target as HTMLInputElement).value);
              setServerError(null);
            }}
          />
          <p id="ws-repo-help" class={repoReason ? 'field-error' : 'field-help'} role={repoReason ? 'alert' : undefined}>
            {repoReason ?? 'Cloned into the IDE folder once the workspace has booted.'}
          </p>
        </div>
        {repoUrl.trim() !== '' && (
          <div class="field-row">
            <div class="field">
              <label for="ws-ref">Branch, tag or commit</label>
              <input
                id="ws-ref"
                name="ref"
                class="input mono"
                value={repoRef}
                autoComplete="off"
                spellcheck={false}
                placeholder="default branch"
                onInput={(e) => setRepoRef((e.target as HTMLInputElement).value)}
              />
            </div>
            <div class="field">
              <label for="ws-token">Access token (private repositories)</label>
              <input
                id="ws-token"
                name="token"
                type="password"
                class="input mono"
                value={repoToken}
                autoComplete="off"
                aria-describedby="ws-token-help"
                onInput={(e) => setRepoToken((e.target as HTMLInputElement).value)}
              />
              <p id="ws-token-help" class="field-help">
                Kept sealed; never shown again.
              </p>
            </div>
          </div>
        )}
        <div class="dialog-actions">
          <button type="button" class="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy || repoReason !== null}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
