/** Plain Node (no electron import), so it can be unit-tested. */

/** Same document (ignoring query and hash) as the app's page. */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(appUrl);
    if (a.protocol === 'file:' && b.protocol === 'file:') return a.pathname === b.pathname;
    return a.origin === b.origin;
  } catch {
    return false;
  }
}
