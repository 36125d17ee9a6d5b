// API tokens of the signed-in account: list, make (the secret is shown once, to copy) and revoke.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { createToken, listTokens, revokeToken } from '../api/client';
import type { ApiToken, NewApiToken } from '../api/types';
import { absoluteTime, relativeTime } from '../lib/time';
import { showToast } from '../lib/toast';
import { tokenNameError } from '../lib/validation';
import { ConfirmDialog } from './ConfirmDialog';

const EXPIRY_CHOICES: { label: string; days: number | null }[] = [
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
  { label: 'Never', days: null },
];

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function when(text: string | null, none: string) {
  if (!text) return <span class="muted small">{none}</span>;
  return (
    <time class="muted small" dateTime={text} title={absoluteTime(text)}>
      {relativeTime(text)}
    </time>
  );
}

export function TokensPanel() {
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | null>(90);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<NewApiToken | null>(null);
  const [pending, setPending] = useState<ApiToken | null>(null);

  const refresh = useCallback(async (): Promise<void> => {
    try {
      setTokens((await listTokens()).items);
      setLoaded(true);
    } catch (err) {
      setError(message(err));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const invalid = tokenNameError(name);
    if (invalid) {
      setError(invalid);
      return;
    }
    setBusy(true);
    try {
      const token = await createToken({ name, expiresInDays: days });
      setMade(token);
      setTokens((t) => [...t, token]);
      setName('');
      setError(null);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (): Promise<void> => {
    if (!pending) return;
    setBusy(true);
    try {
      await revokeToken(pending.id);
      setTokens((t) => t.filter((x) => x.id !== pending.id));
      if (made?.id === pending.id) setMade(null);
      showToast('success', `Token ${pending.name} is revoked; it no longer works.`);
    } catch (err) {
      showToast('error', `Could not revoke token ${pending.name}: ${message(err)}`);
    } finally {
      setBusy(false);
      setPending(null);
    }
  };

  return (
    <div class="card" aria-labelledby="tokens-title">
      <h2 class="card-title" id="tokens-title">
        API tokens <span class="muted small">{loaded ? String(tokens.length) : ''}</span>
      </h2>
      <p class="muted small">
        A token signs in scripts and the CLI (<span class="mono">Authorization: Bearer …</span>) as
        you. <span class="mono">rockpool login</span> makes one for the CLI.
      </p>
      {made && (
        <div class="token-secret" role="status" data-testid="new-token">
          <p>
            Copy the secret of <strong class="mono">{made.name}</strong> now; it is not shown again.
          </p>
          <input class="input mono" readOnly value={made.token} aria-label="New token secret" />
          <button type="button" class="btn btn-small" onClick={() => setMade(null)}>
            Done
          </button>
        </div>
      )}
      {loaded && tokens.length === 0 && <p class="muted">No tokens yet.</p>}
      {tokens.length > 0 && (
        <ul class="port-list" aria-label="API tokens">
          {tokens.map((t) => (
            <li key={t.id} class="snapshot-item" data-token={t.name}>
              <span class="mono">{t.name}</span>
              <span class="muted small">
                expires {t.expiresAt ? absoluteTime(t.expiresAt) : 'never'}; last used{' '}
                {when(t.lastUsedAt, 'never')}
              </span>
              <span class="snapshot-actions">
                <button
                  type="button"
                  class="btn btn-small btn-danger-outline"
                  aria-label={`Revoke token ${t.name}`}
                  disabled={busy}
                  onClick={() => setPending(t)}
                >
                  Revoke
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <form class="port-form" onSubmit={submit} noValidate>
        <div class="field">
          <label for="token-name">Name</label>
          <input
            id="token-name"
            class="input mono"
            placeholder="laptop"
            maxLength={64}
            value={name}
            aria-invalid={error ? 'true' : 'false'}
            aria-describedby="token-help"
            onInput={(e) => {
              setName((e.target as HTMLInputElement).value);
              setError(null);
            }}
          />
        </div>
        <div class="field">
          <label for="token-expiry">Expires after</label>
          <select
            id="token-expiry"
            class="input"
            value={days === null ? 'never' : String(days)}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              setDays(v === 'never' ? null : Number(v));
            }}
          >
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.label} value={c.days === null ? 'never' : String(c.days)}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Working…' : 'Create token'}
        </button>
        <p id="token-help" class={error ? 'field-error full' : 'field-help full'} role={error ? 'alert' : undefined}>
          {error ?? 'The secret is shown once, right after it is made.'}
        </p>
      </form>
      <ConfirmDialog
        open={pending !== null}
        title="Revoke token?"
        confirmLabel="Revoke"
        danger
        busy={busy}
        onConfirm={() => void revoke()}
        onClose={() => setPending(null)}
      >
        <p>
          Token <strong class="mono">{pending?.name}</strong> stops working at once, for every script
          and CLI that uses it.
        </p>
      </ConfirmDialog>
    </div>
  );
}
