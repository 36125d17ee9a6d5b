// Modal dialog on the native <dialog> element: showModal() makes the page behind it inert,
// Escape closes it, Tab cycles inside it, and focus returns to where it was on close.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface Props {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  describedBy?: string;
}

export function Dialog({ open, title, onClose, children, describedBy }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useRef(`dlg-${Math.random().toString(36).slice(2)}`).current;

  useLayoutEffect(() => {
    const dlg = ref.current;
    if (!dlg || !open) return;
    const previous = document.activeElement as HTMLElement | null;
    if (!dlg.open) dlg.showModal();
    const first = dlg.querySelector<HTMLElement>('[data-autofocus]') ?? dlg.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (dlg.open) dlg.close();
      previous?.focus?.();
    };
  }, [open]);

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  if (!open) return null;
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        e.preventDefault(); // Escape: close through our state, not behind its back
        onClose();
      }}
    >
      <h2 id={titleId} class="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
