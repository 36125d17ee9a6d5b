// The workspace list's owner filter (admins only), kept in the URL (`?owner=`) beside `?limit=`
// so a filtered list can be linked to and the back button undoes a change of filter.

/** The account whose workspaces the list shows, or null for everyone's. */
export function ownerFromQuery(query: URLSearchParams): string | null {
  const owner = query.get('owner')?.trim();
  return owner ? owner : null;
}

/** The list's query string (with its `?`, or '') with `owner` set, or removed when null. */
export function withOwner(query: URLSearchParams, owner: string | null): string {
  const next = new URLSearchParams(query);
  if (owner) next.set('owner', owner);
  else next.delete('owner');
  const text = next.toString();
  return text ? `?${text}` : '';
}

/** The filter's choices: the accounts, in the server's order, and the current filter if not among them. */
export function ownerChoices(usernames: readonly string[], current: string | null): string[] {
  const choices = [...new Set(usernames)];
  if (current && !choices.includes(current)) choices.push(current);
  return choices;
}
