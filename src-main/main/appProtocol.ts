/**
 * The app:// scheme: registered as privileged before the app is ready, then served from the
 * built renderer folder with protocol.handle. The request → file mapping is resolveAppPath
 * (appUrl.ts); this file only connects it to Electron.
 */
import { net, protocol } from 'electron';
import { APP_SCHEME, fileUrl, resolveAppPath } from './appUrl';

/**
 * Must run before `app` is ready (Electron reads the list once, at startup). Standard: the
 * page gets a real origin (app://renderer) and relative URLs resolve; secure: it counts as a
 * secure context like https. supportFetchAPI and corsEnabled let the page's module script
 * and stylesheet (loaded with `crossorigin`) come from the scheme; the handler never sends
 * Access-Control-Allow-Origin, so no other origin can read its responses.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    },
  ]);
}

/** Serve app:// from `rendererDir` (after the app is ready). */
export function serveAppScheme(rendererDir: string): void {
  protocol.handle(
    APP_SCHEME,
    appRequestHandler(rendererDir, (url) => net.fetch(url)),
  );
}

/**
 * The handler: GET/HEAD of a file inside `rendererDir`, read through `fetchFile` (net.fetch
 * of its file: URL, which also reads inside app.asar); anything else is refused before any
 * file is touched.
 */
export function appRequestHandler(
  rendererDir: string,
  fetchFile: (fileUrl: string) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('method not allowed', { status: 405, headers: { Allow: 'GET, HEAD' } });
    const path = resolveAppPath(request.url, rendererDir);
    if (path === null) return new Response('not found', { status: 404 });
    try {
      return await fetchFile(fileUrl(path));
    } catch {
      return new Response('not found', { status: 404 });
    }
  };
}
