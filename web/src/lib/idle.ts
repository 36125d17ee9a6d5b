// How a workspace's idle timeout reads and is chosen in the dashboard.

/** The choices the dashboard offers: seconds, with 0 for never; null keeps the server's default. */
export const IDLE_CHOICES: ReadonlyArray<[label: string, seconds: number | null]> = [
  ['Server default', null],
  ['15 minutes', 900],
  ['30 minutes', 1800],
  ['1 hour', 3600],
  ['2 hours', 7200],
  ['4 hours', 14400],
  ['8 hours', 28800],
  ['24 hours', 86400],
  ['Never', 0],
];

/** Seconds as the largest units that fit: 1800 -> "30 min", 5400 -> "1 h 30 min"; 0 -> "never". */
export function formatIdleTimeout(seconds: number): string {
  if (seconds === 0) return 'never';
  const parts: string[] = [];
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s) parts.push(`${s} s`);
  return parts.join(' ');
}

/** The value of a <select> of IDLE_CHOICES, and back. */
export function choiceValue(seconds: number | null): string {
  return seconds === null ? 'default' : String(seconds);
}
export function parseChoice(value: string): number | null {
  if (value === 'default') return null;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** The choices, with the workspace's current timeout added when it is not one of them. */
export function choicesWith(current: number): ReadonlyArray<[string, number | null]> {
  if (IDLE_CHOICES.some(([, s]) => s === current)) return IDLE_CHOICES;
  return [...IDLE_CHOICES, [formatIdleTimeout(current), current]];
}
