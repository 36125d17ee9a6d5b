// "3 minutes ago" style times, computed against an explicit `now` so they are testable.

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export function relativeTime(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'unknown';
  const seconds = Math.round((now - then) / 1000);
  const future = seconds < 0;
  const abs = Math.abs(seconds);
  if (abs < 45) return future ? 'in a few seconds' : 'just now';
  for (const [unit, size] of UNITS) {
    if (abs >= size * 0.9 || unit === 'minute') {
      const n = Math.max(1, Math.round(abs / size));
      const word = n === 1 ? unit : `${unit}s`;
      return future ? `in ${n} ${word}` : `${n} ${word} ago`;
    }
  }
  return 'just now';
}

/** A stable absolute form for tooltips and details, in the user's locale. */
export function absoluteTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
