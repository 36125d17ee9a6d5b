// Per-row actions: a menu button with arrow-key navigation; Escape or a click outside closes it.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Workspace } from '../api/types';
import { canDelete, canOpenIde, canStart, canStop } from '../lib/status';
import { ideUrl } from '../lib/urls';
import type { WorkspaceAction } from './useWorkspaceActions';

interface Props {
  workspace: Workspace;
  onAction: (action: WorkspaceAction, w: Workspace) => void;
}

export function ActionsMenu({ workspace: w, onAction }: Props) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = `menu-${w.id}`;

  const items = (): HTMLElement[] =>
    [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? [])];

  // A layout effect: the first item has the focus as soon as the menu shows, so a key pressed
  // right after opening it goes to the menu, not to the button.
  useLayoutEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const onDoc = (e: MouseEvent): void => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    return () => document.removeEventListener('mousedown', onDoc);
  }, [open]);

  const close = (refocus = true): void => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      list[(at + step + list.length) % list.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      (e.key === 'Home' ? list[0] : list[list.length - 1])?.focus();
    } else if (e.key === 'Tab') {
      close(false);
    }
  };

  const choose = (action: WorkspaceAction, allowed: boolean) => (): void => {
    if (!allowed) return;
    close();
    onAction(action, w);
  };

  const ide = canOpenIde(w.status);
  return (
    <div class="menu" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        class="btn btn-icon"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`Actions for ${w.name}`}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <div class="menu-list" role="menu" id={menuId} aria-label={`Actions for ${w.name}`}>
          <a
            role="menuitem"
            class="menu-item"
            href={ide ? ideUrl(w.name) : undefined}
            target="_blank"
            rel="noopener noreferrer"
            aria-disabled={!ide}
            tabIndex={-1}
            onClick={(e) => (ide ? close(false) : e.preventDefault())}
          >
            Open IDE
          </a>
          <MenuItem label="Start" allowed={canStart(w.status)} onSelect={choose('start', canStart(w.status))} />
          <MenuItem label="Stop" allowed={canStop(w.status)} onSelect={choose('stop', canStop(w.status))} />
          <MenuItem
            label="Delete"
            danger
            allowed={canDelete(w.status)}
            onSelect={choose('delete', canDelete(w.status))}
          />
        </div>
      )}
    </div>
  );
}

function MenuItem(props: { label: string; allowed: boolean; danger?: boolean; onSelect: () => void }) {
  return (
    <button
      type="button"
      role="menuitem"
      class={props.danger ? 'menu-item menu-item-danger' : 'menu-item'}
      aria-disabled={!props.allowed}
      tabIndex={-1}
      onClick={props.onSelect}
    >
      {props.label}
    </button>
  );
}
