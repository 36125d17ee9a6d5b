import { useState } from 'preact/hooks';
import { addPort, removePort } from '../api/client';
import type { Port, Workspace } from '../api/types';
import { canEditPorts } from '../lib/status';
import { showToast } from '../lib/toast';
import { portUrl } from '../lib/urls';
import { MAX_PORTS, validatePortForm } from '../lib/validation';

interface Props {
  workspace: Workspace;
  ports: Port[];
  loaded: boolean;
  onPorts: (ports: Port[]) => void;
}

export function PortsPanel({ workspace: w, ports, loaded, onPorts }: Props) {
  const [port, setPort] = useState('');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editable = canEditPorts(w.status);
  const full = ports.length >= MAX_PORTS;

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const checked = validatePortForm(port, label, ports.map((p) => p.port));
    if ('error' in checked) {
      setError(checked.error);
      return;
    }
    setBusy(true);
    try {
      const added = await addPort(w.id, checked);
      onPorts([...ports.filter((p) => p.port !== added.port), added]);
      setPort('');
      setLabel('');
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (p: Port): Promise<void> => {
    try {
      await removePort(w.id, p.port);
      onPorts(ports.filter((x) => x.port !== p.port));
    } catch (err) {
      showToast('error', `Could not remove port ${p.port}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <div class="card" aria-labelledby="ports-title">
      <h2 class="card-title" id="ports-title">
        Ports <span class="muted small">{`${ports.length} of ${MAX_PORTS}`}</span>
      </h2>
      {loaded && ports.length === 0 && <p class="muted">No ports are forwarded.</p>}
      {ports.length > 0 && (
        <ul class="port-list" aria-label="Forwarded ports">
          {ports.map((p) => (
            <li key={p.port} class="port-item" data-port={p.port}>
              <a class="mono link" href={portUrl(w.name, p.port)} target="_blank" rel="noopener noreferrer">
                {p.port}
              </a>
              <span class="muted">{p.label ?? ''}</span>
              <button
                type="button"
                class="btn btn-small btn-danger-outline"
                aria-label={`Remove port ${p.port}`}
                onClick={() => void remove(p)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {!editable && <p class="muted small">Ports can be added while the workspace is running.</p>}
      {editable && !full && (
        <form class="port-form" onSubmit={submit} noValidate>
          <div class="field">
            <label for="port-number">Port</label>
            <input
              id="port-number"
              class="input mono"
              inputMode="numeric"
              placeholder="3000"
              value={port}
              aria-invalid={error ? 'true' : 'false'}
              aria-describedby="port-help"
              onInput={(e) => {
                setPort((e.target as HTMLInputElement).value);
                setError(null);
              }}
            />
          </div>
          <div class="field">
            <label for="port-label">Label (optional)</label>
            <input
              id="port-label"
              class="input"
              placeholder="web app"
              maxLength={64}
              value={label}
              onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
            />
          </div>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add port'}
          </button>
          <p id="port-help" class={error ? 'field-error full' : 'field-help full'} role={error ? 'alert' : undefined}>
            {error ?? 'Ports 1024-65535, at most 5 per workspace.'}
          </p>
        </form>
      )}
      {editable && full && <p class="muted small">This workspace forwards the maximum of {MAX_PORTS} ports.</p>}
    </div>
  );
}
