// The signed-in account's own password (POST /api/me/password): the current one, and the new one
// twice, checked in the page before anything is sent. A new password ends every session of the
// account, this browser's too, so a change ends with a note to sign in again.
// The deployment's own admin account gets a note instead of the form: only `rockpool up` sets it.
//
// No label here contains "Name" or "User": tests on this page find the token form's "Name" field
// and the Users form's "User" field by label (its "Password" exactly, which "New password" is not).
import { useRef, useState } from 'preact/hooks';
import { ApiError, changeMyPassword } from '../api/client';
import { signInPath } from '../lib/signin';
import { BASE } from '../router';
import { passwordChangeProblems, type PasswordChangeProblems } from '../lib/validation';
import { ErrorAlert } from './ErrorAlert';

const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, 'network', String(e));

const NO_PROBLEMS: PasswordChangeProblems = { current: null, next: null, again: null };

export function PasswordPanel({ username, deployment }: { username: string; deployment: boolean }) {
  return (
    <section class="card" aria-labelledby="own-password-title">
      <h2 class="card-title" id="own-password-title">
        Your password
      </h2>
      {deployment && (
        <p class="muted small" data-testid="own-password-rockpool-up">
          This is the deployment's own admin account: its password is set with{' '}
          <span class="mono">rockpool up</span> (<span class="mono">ROCKPOOL_PASSWORD</span>), not here.
        </p>
      )}
      {!deployment && <PasswordForm username={username} />}
    </section>
  );
}

type Field = keyof PasswordChangeProblems;

function PasswordForm({ username }: { username: string }) {
  const [values, setValues] = useState<Record<Field, string>>({ current: '', next: '', again: '' });
  const [problems, setProblems] = useState<PasswordChangeProblems>(NO_PROBLEMS);
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [changed, setChanged] = useState(false);
  const [busy, setBusy] = useState(false);
  const refs: Record<Field, { current: HTMLInputElement | null }> = {
    current: useRef<HTMLInputElement>(null),
    next: useRef<HTMLInputElement>(null),
    again: useRef<HTMLInputElement>(null),
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    const found = passwordChangeProblems(values.current, values.next, values.again);
    setProblems(found);
    setServerError(null);
    setChanged(false);
    const first = (['current', 'next', 'again'] as const).find((f) => found[f] !== null);
    if (first) {
      refs[first].current?.focus();
      return;
    }
    setBusy(true);
    try {
      await changeMyPassword({ currentPassword: values.current, newPassword: values.next });
      setValues({ current: '', next: '', again: '' });
      setChanged(true);
    } catch (err) {
      const error = asApiError(err);
      setServerError(error);
      if (error.status === 403) refs.current.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const field = (name: Field, id: string, label: string, help: string, autocomplete: string) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        ref={refs[name]}
        type="password"
        class="input"
        autocomplete={autocomplete}
        value={values[name]}
        aria-invalid={problems[name] ? 'true' : 'false'}
        aria-describedby={`${id}-help`}
        onInput={(e) => {
          const value = (e.target as HTMLInputElement).value;
          setValues((v) => ({ ...v, [name]: value }));
          setProblems((p) => ({ ...p, [name]: null }));
          setServerError(null);
        }}
      />
      <p id={`${id}-help`} class={problems[name] ? 'field-error' : 'field-help'} role={problems[name] ? 'alert' : undefined}>
        {problems[name] ?? help}
      </p>
    </div>
  );

  return (
    <>
      <p class="muted small">
        Changes the password of <strong class="mono">{username}</strong>. Your API tokens keep working.
      </p>
      {serverError && (
        <ErrorAlert title="Could not change your password" error={serverError} onDismiss={() => setServerError(null)} />
      )}
      {changed && (
        <div class="alert alert-success" role="status" data-testid="own-password-changed">
          <div>
            <strong>Your password is changed.</strong>
            <p class="alert-message">
              Every browser signed in as you is signed out, this one too: sign in again with the new
              password.
            </p>
          </div>
          <button type="button" class="btn" onClick={() => location.assign(signInPath(`${BASE}/settings`))}>
            Sign in again
          </button>
        </div>
      )}
      <form class="password-form" onSubmit={submit} noValidate aria-label="Change your password">
        {/* For password managers: the account whose password this is. */}
        <input type="text" name="username" autocomplete="username" value={username} readOnly hidden />
        {field('current', 'own-password-current', 'Current password', 'The one you signed in with.', 'current-password')}
        {field('next', 'own-password-new', 'New password', 'At least 12 characters.', 'new-password')}
        {field('again', 'own-password-again', 'New password again', 'The same, to catch a typo.', 'new-password')}
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Working…' : 'Change password'}
        </button>
      </form>
    </>
  );
}
