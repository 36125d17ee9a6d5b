// The deployment's accounts (admins only): list, add, disable or enable, make admin or member,
// delete. The deployment's own account (`rockpool up` sets it) and the signed-in admin's own
// account offer no actions: the server refuses them (409), so the page does not offer them.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, createUser, deleteUser, listUsers, updateUser } from '../api/client';
import type { Me, Role, User } from '../api/types';
import { absoluteTime, relativeTime } from '../lib/time';
import { showToast } from '../lib/toast';
import { passwordError, usernameError } from '../lib/validation';
import { ConfirmDialog } from './ConfirmDialog';
import { ErrorAlert } from './ErrorAlert';

const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, 'network', String(e));

/** A refused or failed action, shown in the section with the server's message. */
interface Refusal {
  title: string;
  error: ApiError;
}

type Change = { disabled: boolean } | { role: Role };

/** What a change did, for the toast, and what it is called when it fails. */
function describe(username: string, change: Change): { done: string; failed: string } {
  if ('disabled' in change) {
    return change.disabled
      ? { done: `${username} is disabled: its password and API tokens no longer work.`, failed: `Could not disable ${username}` }
      : { done: `${username} is enabled again.`, failed: `Could not enable ${username}` };
  }
  return change.role === 'admin'
    ? { done: `${username} is now an admin.`, failed: `Could not make ${username} an admin` }
    : { done: `${username} is now a member.`, failed: `Could not make ${username} a member` };
}

export function UsersPanel({ me }: { me: Me }) {
  const [users, setUsers] = useState<User[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [working, setWorking] = useState<string | null>(null);
  const [pending, setPending] = useState<User | null>(null);

  const refresh = useCallback(async (): Promise<void> => {
    try {
      const { items } = await listUsers();
      setUsers(items);
      setLoaded(true);
      setLoadError(null);
    } catch (err) {
      setLoadError(asApiError(err));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const replace = (user: User): void => setUsers((list) => list.map((u) => (u.username === user.username ? user : u)));
  const drop = (username: string): void => setUsers((list) => list.filter((u) => u.username !== username));

  const refused = (title: string, username: string, err: unknown): void => {
    const error = asApiError(err);
    if (error.status === 404) drop(username); // deleted meanwhile
    setRefusal({ title, error });
  };

  const change = async (user: User, what: Change): Promise<void> => {
    const text = describe(user.username, what);
    setWorking(user.username);
    try {
      replace(await updateUser(user.username, what));
      setRefusal(null);
      showToast('success', text.done);
    } catch (err) {
      refused(text.failed, user.username, err);
    } finally {
      setWorking(null);
    }
  };

  const remove = async (): Promise<void> => {
    if (!pending) return;
    const { username } = pending;
    setWorking(username);
    try {
      await deleteUser(username);
      drop(username);
      setRefusal(null);
      showToast('success', `${username} is deleted, with its API tokens.`);
    } catch (err) {
      refused(`Could not delete ${username}`, username, err);
    } finally {
      setWorking(null);
      setPending(null);
    }
  };

  return (
    <section class="card" aria-labelledby="users-title">
      <h2 class="card-title" id="users-title">
        Users <span class="muted small">{loaded ? String(users.length) : ''}</span>
      </h2>
      <p class="muted small">
        An admin manages accounts and sees every workspace; a member sees only its own. Disabling an
        account stops its password and API tokens at once; its workspaces stay.
      </p>
      {loadError && <ErrorAlert error={loadError} onRetry={() => void refresh()} />}
      {refusal && <ErrorAlert title={refusal.title} error={refusal.error} onDismiss={() => setRefusal(null)} />}
      {!loaded && !loadError && <p class="muted">Loading accounts…</p>}
      {loaded && (
        <div class="table-scroll">
          <table class="table users-table">
            <caption class="visually-hidden">Accounts</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col" class="col-user-actions">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <UserRow
                  key={u.username}
                  user={u}
                  self={u.username === me.username}
                  busy={working === u.username}
                  onChange={(what) => void change(u, what)}
                  onDelete={() => setPending(u)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddUserForm onAdded={(u) => setUsers((list) => [...list.filter((x) => x.username !== u.username), u])} />
      <ConfirmDialog
        open={pending !== null}
        title="Delete user?"
        confirmLabel="Delete"
        danger
        busy={working !== null}
        onConfirm={() => void remove()}
        onClose={() => setPending(null)}
      >
        <p>
          Account <strong class="mono">{pending?.username}</strong> and its API tokens are deleted; it can no
          longer sign in. An account that still owns workspaces is not deleted: delete them first, or
          disable it instead.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function UserRow(props: {
  user: User;
  self: boolean;
  busy: boolean;
  onChange: (what: Change) => void;
  onDelete: () => void;
}) {
  const u = props.user;
  const fixed = u.deployment || props.self;
  return (
    <tr data-user={u.username}>
      <td>
        <span class="mono">{u.username}</span>
        {u.deployment && <span class="tag">deployment account</span>}
        {props.self && <span class="tag">you</span>}
      </td>
      <td>{u.role}</td>
      <td>
        <span class={u.disabled ? 'badge badge-account-disabled' : 'badge badge-account-enabled'}>
          {u.disabled ? 'disabled' : 'enabled'}
        </span>
      </td>
      <td>
        {u.createdAt ? (
          <time class="muted small" dateTime={u.createdAt} title={absoluteTime(u.createdAt)}>
            {relativeTime(u.createdAt)}
          </time>
        ) : (
          <span class="muted small" title="Set by rockpool up">
            —
          </span>
        )}
      </td>
      <td class="col-user-actions">
        {u.deployment && <span class="muted small">Changed with rockpool up only</span>}
        {!fixed && (
          <span class="row-actions" aria-busy={props.busy ? 'true' : undefined}>
            <button
              type="button"
              class="btn btn-small"
              aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`}
              disabled={props.busy}
              onClick={() => props.onChange({ disabled: !u.disabled })}
            >
              {u.disabled ? 'Enable' : 'Disable'}
            </button>
            <button
              type="button"
              class="btn btn-small"
              aria-label={u.role === 'admin' ? `Make ${u.username} a member` : `Make ${u.username} an admin`}
              disabled={props.busy}
              onClick={() => props.onChange({ role: u.role === 'admin' ? 'member' : 'admin' })}
            >
              {u.role === 'admin' ? 'Make member' : 'Make admin'}
            </button>
            <button
              type="button"
              class="btn btn-small btn-danger-outline"
              aria-label={`Delete ${u.username}`}
              disabled={props.busy}
              onClick={props.onDelete}
            >
              Delete
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}

// The username field is labelled "User", not "Username": other tests on this page find the token
// form's "Name" field by label, and a label that contains "name" would match it too.
function AddUserForm({ onAdded }: { onAdded: (u: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [usernameProblem, setUsernameProblem] = useState<string | null>(null);
  const [passwordProblem, setPasswordProblem] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const badName = usernameError(username);
    const badPassword = passwordError(password);
    setUsernameProblem(badName);
    setPasswordProblem(badPassword);
    setServerError(null);
    if (badName || badPassword) {
      (badName ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setBusy(true);
    try {
      const user = await createUser({ username, password, role });
      onAdded(user);
      showToast('success', `${user.username} is added as ${user.role === 'admin' ? 'an admin' : 'a member'}.`);
      setUsername('');
      setPassword('');
      setRole('member');
    } catch (err) {
      setServerError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="user-form" onSubmit={submit} noValidate aria-labelledby="add-user-title">
      <h3 id="add-user-title" class="form-title full">
        Add a user
      </h3>
      <div class="field">
        <label for="new-user">User</label>
        <input
          id="new-user"
          ref={usernameRef}
          class="input mono"
          placeholder="alice"
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          value={username}
          aria-invalid={usernameProblem ? 'true' : 'false'}
          aria-describedby="new-user-help"
          onInput={(e) => {
            setUsername((e.target as HTMLInputElement).value);
            setUsernameProblem(null);
            setServerError(null);
          }}
        />
        <p
          id="new-user-help"
          class={usernameProblem ? 'field-error' : 'field-help'}
          role={usernameProblem ? 'alert' : undefined}
        >
          {usernameProblem ?? '2-32 of a-z, 0-9 and . _ -, starting with a letter.'}
        </p>
      </div>
      <div class="field">
        <label for="new-user-password">Password</label>
        <input
          id="new-user-password"
          ref={passwordRef}
          type="password"
          class="input"
          autocomplete="new-password"
          value={password}
          aria-invalid={passwordProblem ? 'true' : 'false'}
          aria-describedby="new-user-password-help"
          onInput={(e) => {
            setPassword((e.target as HTMLInputElement).value);
            setPasswordProblem(null);
            setServerError(null);
          }}
        />
        <p
          id="new-user-password-help"
          class={passwordProblem ? 'field-error' : 'field-help'}
          role={passwordProblem ? 'alert' : undefined}
        >
          {passwordProblem ?? 'At least 12 characters. Give it to the person yourself.'}
        </p>
      </div>
      <div class="field">
        <label for="new-user-role">Role</label>
        <select
          id="new-user-role"
          class="input"
          value={role}
          onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}
        >
          <option value="member">member</option>
          <option value="admin">admin</option>
        </select>
      </div>
      <button type="submit" class="btn btn-primary" disabled={busy}>
        {busy ? 'Working…' : 'Add user'}
      </button>
      {serverError && (
        <p class="field-error full" role="alert" data-testid="add-user-error">
          {serverError}
        </p>
      )}
    </form>
  );
}
