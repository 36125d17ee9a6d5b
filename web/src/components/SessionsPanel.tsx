// Sign out everywhere (DELETE /api/me/sessions): every browser session of the signed-in account
// ends, this one too, so the page goes to the sign-in page. API tokens are not sessions.
import { useState } from 'preact/hooks';
import { ApiError, endMySessions } from '../api/client';
import { signInPath } from '../lib/signin';
import { ConfirmDialog } from './ConfirmDialog';
import { ErrorAlert } from './ErrorAlert';

const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, 'network', String(e));

export function SessionsPanel({ username }: { username: string }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const endAll = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await endMySessions();
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
      setConfirming(false);
      return;
    }
    location.assign(signInPath());
  };

  return (
    <section class="card" aria-labelledby="sessions-title">
      <h2 class="card-title" id="sessions-title">
        Sessions
      </h2>
      <p class="muted small">
        Signs out every browser signed in as <strong class="mono">{username}</strong>, this one too.
        Your API tokens keep working.
      </p>
      {error && <ErrorAlert title="Could not sign out everywhere" error={error} onDismiss={() => setError(null)} />}
      <button type="button" class="btn btn-danger-outline" disabled={busy} onClick={() => setConfirming(true)}>
        Sign out everywhere
      </button>
      <ConfirmDialog
        open={confirming}
        title="Sign out everywhere?"
        confirmLabel="Sign out everywhere"
        danger
        busy={busy}
        onConfirm={() => void endAll()}
        onClose={() => setConfirming(false)}
      >
        <p>
          Every browser signed in as <strong class="mono">{username}</strong> has to sign in again,
          this one included.
        </p>
      </ConfirmDialog>
    </section>
  );
}
