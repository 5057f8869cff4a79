/**
 * One Content-Security-Policy for the Electron window (index.html's meta tag) and browser mode
 * (the server's header): strict, no remote origins, no eval, no inline scripts or styles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../server/server';
import { REPO_ROOT } from '../testing/forkTs';

function metaPolicy(html: string): string {
  return /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
}

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name, sources.join(' ')] as const;
      }),
  );
}

const source = readFileSync(join(REPO_ROOT, 'src-renderer', 'index.html'), 'utf8');
const meta = directives(metaPolicy(source));

describe('Content-Security-Policy', () => {
  it('index.html has a strict policy: no remote origins, no eval', () => {
    expect(meta.get('default-src')).toBe("'self'");
    expect(meta.get('script-src')).toBe("'self'");
    expect(meta.get('object-src')).toBe("'none'");
    expect(meta.get('base-uri')).toBe("'none'");
    expect(metaPolicy(source)).not.toMatch(/unsafe-eval|https?:|wss?:|\*/);
  });

  it('style-unsafe-inline: styles come only from the app (no inline <style> or style="")', () => {
    expect(meta.get('style-src')).toBe("'self'");
    expect(metaPolicy(source)).not.toMatch(/unsafe-inline|unsafe-hashes/);
  });

  it('the browser-mode header is the same policy, plus frame-ancestors', () => {
    const header = directives(CONTENT_SECURITY_POLICY);
    expect(header.get('frame-ancestors')).toBe("'none'");
    header.delete('frame-ancestors');
    expect(header).toEqual(meta);
  });

  const built = join(REPO_ROOT, 'out', 'renderer', 'index.html');
  it.skipIf(!existsSync(built))('the built page keeps the policy and has nothing inline', () => {
    const html = readFileSync(built, 'utf8');
    expect(directives(metaPolicy(html))).toEqual(meta);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    for (const script of html.match(/<script\b[^>]*>/g) ?? []) expect(script).toMatch(/\ssrc=/);
  });
});
