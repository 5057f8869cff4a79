/**
 * Where the window's page comes from and which URLs count as the app. Plain Node (no electron
 * import), so it can be unit-tested.
 *
 * The built renderer is served from the custom `app://` scheme (registered as standard and
 * secure), never from file://: a file:// page shares an opaque origin with every other local
 * file, a page on app://renderer has an origin of its own.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads when it is not using the dev server. */
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

export interface StartUrlOptions {
  /** `app.isPackaged`: a packaged app never loads the dev server. */
  isPackaged: boolean;
  /** `import.meta.env.DEV`: true only in the bundle `electron-vite dev` builds. A production
   *  build ignores the variable even when started unpackaged (`npm start`). */
  isDevBuild: boolean;
  /** `ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  devServerUrl: string | undefined;
}

/**
 * The URL the window loads: the dev server's origin while developing (a development build,
 * not packaged, and the variable names the dev server's loopback origin), else the built
 * renderer on app://.
 */
export function startUrl({ isPackaged, isDevBuild, devServerUrl }: StartUrlOptions): string {
  if (isPackaged || !isDevBuild || !devServerUrl) return APP_START_URL;
  return devServerOrigin(devServerUrl) ?? APP_START_URL;
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * `http://<loopback>:<port>/` when `url` is the origin of a dev server on this machine (plain
 * http, a loopback host, an explicit port, no user name, no path, query or hash), else null.
 */
function devServerOrigin(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const ok =
    u.protocol === 'http:' &&
    LOOPBACK_HOSTS.includes(u.hostname) &&
    u.port !== '' &&
    u.username === '' &&
    u.password === '' &&
    u.pathname === '/' &&
    u.search === '' &&
    u.hash === '';
  return ok ? `${u.origin}/` : null;
}

/**
 * Same scheme, host and port as the app's page (path, query and hash may differ). Compared
 * part by part: Node gives every URL of a non-special scheme (app:, or any other custom
 * scheme) the origin "null", so comparing origins would match them all.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(appUrl);
    return (
      a.protocol === b.protocol && a.host !== '' && a.host.toLowerCase() === b.host.toLowerCase()
    );
  } catch {
    return false;
  }
}

/**
 * The file inside `rendererDir` that an app:// request asks for, or null when it must be
 * refused: another scheme or host, a path that is not decodable, contains NUL or a backslash,
 * has a `..` segment once decoded (`%2e%2e%2f`), or resolves outside the folder.
 */
export function resolveAppPath(requestUrl: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path === '' || path === '/') path = '/index.html';
  if (/[\\\0]/.test(path)) return null;
  const segments = path.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path}`);
  const inside = relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
    return null;
  return file;
}

/** The file: URL that net.fetch reads a resolved path through. */
export function fileUrl(path: string): string {
  return pathToFileURL(path).href;
}
