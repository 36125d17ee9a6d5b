// A tiny global store for toasts, so any action can report without prop drilling.
import { useEffect, useState } from 'preact/hooks';

export type ToastKind = 'error' | 'success' | 'info';
export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const subscribers = new Set<(t: Toast[]) => void>();

function publish(next: Toast[]): void {
  toasts = next;
  subscribers.forEach((fn) => fn(toasts));
}

export function showToast(kind: ToastKind, message: string): number {
  const id = nextId++;
  publish([...toasts.slice(-3), { id, kind, message }]);
  // Errors stay until read for longer; the user can always dismiss them.
  setTimeout(() => dismissToast(id), kind === 'error' ? 10000 : 5000);
  return id;
}

export function dismissToast(id: number): void {
  if (toasts.some((t) => t.id === id)) publish(toasts.filter((t) => t.id !== id));
}

export function useToasts(): Toast[] {
  const [list, setList] = useState(toasts);
  useEffect(() => {
    subscribers.add(setList);
    return () => void subscribers.delete(setList);
  }, []);
  return list;
}
