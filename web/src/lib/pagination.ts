// Cursor pagination state for the workspace list, kept pure so it is unit tested.
// The list is loaded a page at a time ("Load more"); a refresh re-reads as many pages as are
// shown, following the server's cursors from the start, because cursors are opaque.
// Workspaces created here are shown at once even when they fall on a page not loaded yet.

export interface Identified {
  id: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ListState<T> {
  pages: Page<T>[];
  /** Created in this session but not (yet) on a loaded page. */
  extras: T[];
}

export function emptyList<T>(): ListState<T> {
  return { pages: [], extras: [] };
}

export function isLoaded<T>(s: ListState<T>): boolean {
  return s.pages.length > 0;
}

/** The cursor for "Load more", or null when the last page is loaded (or nothing is). */
export function nextCursor<T>(s: ListState<T>): string | null {
  return s.pages.length === 0 ? null : (s.pages[s.pages.length - 1]?.nextCursor ?? null);
}

export function hasMore<T>(s: ListState<T>): boolean {
  return nextCursor(s) !== null;
}

export function appendPage<T extends Identified>(s: ListState<T>, page: Page<T>): ListState<T> {
  return settleExtras({ pages: [...s.pages, page], extras: s.extras });
}

/** Replaces all pages with a fresh read of the same number of pages. */
export function replacePages<T extends Identified>(s: ListState<T>, pages: Page<T>[]): ListState<T> {
  return settleExtras({ pages, extras: s.extras });
}

/** Inserts or updates one workspace wherever it is shown. */
export function upsert<T extends Identified>(s: ListState<T>, item: T): ListState<T> {
  let found = false;
  const pages = s.pages.map((p) => ({
    ...p,
    items: p.items.map((it) => {
      if (it.id !== item.id) return it;
      found = true;
      return item;
    }),
  }));
  const inExtras = s.extras.some((e) => e.id === item.id);
  const extras = inExtras
    ? s.extras.map((e) => (e.id === item.id ? item : e))
    : found
      ? s.extras
      : [...s.extras, item];
  return { pages, extras };
}

export function remove<T extends Identified>(s: ListState<T>, id: string): ListState<T> {
  return {
    pages: s.pages.map((p) => ({ ...p, items: p.items.filter((it) => it.id !== id) })),
    extras: s.extras.filter((e) => e.id !== id),
  };
}

/** Everything to show, in server order, then the extras, without duplicates. */
export function allItems<T extends Identified>(s: ListState<T>): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of [...s.pages.flatMap((p) => p.items), ...s.extras]) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push(item);
  }
  return out;
}

/** Extras that a loaded page now shows are dropped: the page is the newer truth. */
function settleExtras<T extends Identified>(s: ListState<T>): ListState<T> {
  const onPages = new Set(s.pages.flatMap((p) => p.items.map((it) => it.id)));
  const extras = s.extras.filter((e) => !onPages.has(e.id));
  return extras.length === s.extras.length ? s : { pages: s.pages, extras };
}

/** Case-insensitive match of a search term against chosen fields. */
export function filterItems<T>(items: T[], term: string, fields: (item: T) => string[]): T[] {
  const q = term.trim().toLowerCase();
  if (!q) return items;
  return items.filter((it) => fields(it).some((f) => f.toLowerCase().includes(q)));
}
