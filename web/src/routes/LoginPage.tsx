// The sign-in page (/app/login), served to anyone: the password starts a session
// (POST /api/session), whose cookie the browser sends from then on, to the dashboard and to the
// workspaces (another port of the same host). Afterwards it goes to `next` when that is safe.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, createSession } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { afterSignIn, isDashboardPath } from '../lib/signin';
import { navigate } from '../router';

const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, 'network', String(e));

export function LoginPage({ next }: { next: string }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<'username' | 'password' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    usernameRef.current?.focus();
  }, []);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    const empty = !username.trim() ? 'username' : !password ? 'password' : null;
    setMissing(empty);
    if (empty) {
      (empty === 'username' ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setBusy(true);
    try {
      await createSession(username.trim(), password);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
      passwordRef.current?.select();
      return;
    }
    const target = afterSignIn(next, location);
    if (isDashboardPath(target)) navigate(target, { replace: true });
    else location.assign(target);
  };

  const field = (
    name: 'username' | 'password',
    label: string,
    value: string,
    set: (v: string) => void,
    props: { type: string; autocomplete: string },
  ) => (
    <div class="field">
      <label for={`login-${name}`}>{label}</label>
      <input
        id={`login-${name}`}
        ref={name === 'username' ? usernameRef : passwordRef}
        name={name}
        class="input"
        type={props.type}
        autocomplete={props.autocomplete}
        autocapitalize="none"
        spellcheck={false}
        value={value}
        aria-invalid={missing === name ? 'true' : 'false'}
        aria-describedby={missing === name ? `login-${name}-error` : undefined}
        onInput={(e) => {
          set((e.target as HTMLInputElement).value);
          if (missing === name) setMissing(null);
        }}
      />
      {missing === name && (
        <p id={`login-${name}-error`} class="field-error" role="alert">
          Enter your {name}.
        </p>
      )}
    </div>
  );

  return (
    <main id="main" class="login" tabIndex={-1}>
      <section class="card login-card" aria-labelledby="login-title">
        <p class="brand login-brand">Rockpool</p>
        <h1 id="login-title">Sign in</h1>
        <p class="muted small">to your workspaces and the dashboard.</p>
        {error && <ErrorAlert title="Could not sign in" error={error} onDismiss={() => setError(null)} />}
        <form class="login-form" onSubmit={submit} noValidate aria-busy={busy ? 'true' : 'false'}>
          {field('username', 'Username', username, setUsername, { type: 'text', autocomplete: 'username' })}
          {field('password', 'Password', password, setPassword, { type: 'password', autocomplete: 'current-password' })}
          <button type="submit" class="btn btn-primary login-submit" disabled={busy}>
            Sign in
          </button>
        </form>
      </section>
    </main>
  );
}
