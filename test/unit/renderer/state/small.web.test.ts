/** The small state classes: confirm dialogs, help, the status line, the theme, the report. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfirmState } from '../../../../src-renderer/src/state/confirm.svelte';
import { HelpState } from '../../../../src-renderer/src/state/help.svelte';
import { ReportState } from '../../../../src-renderer/src/state/report.svelte';
import { StatusState } from '../../../../src-renderer/src/state/status.svelte';
import { ThemeState } from '../../../../src-renderer/src/state/theme.svelte';
import { FakeBackend, ok } from './fakeBackend.web';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const request = { title: 'T', message: 'M', confirmLabel: 'Yes', cancelLabel: 'No' };

describe('ConfirmState', () => {
  it('ask answers true on confirm, false on cancel or the third button', async () => {
    const c = new ConfirmState();
    const yes = c.ask(request);
    expect(c.request).toEqual(request);
    c.answer(true);
    expect(await yes).toBe(true);
    expect(c.request).toBeNull();
    const no = c.ask(request);
    c.answer('alternative');
    expect(await no).toBe(false);
  });

  it('choose tells the three buttons apart', async () => {
    const c = new ConfirmState();
    for (const answer of ['confirm', 'alternative', 'cancel'] as const) {
      const asked = c.choose({ ...request, alternativeLabel: 'Other' });
      c.answer(answer);
      expect(await asked).toBe(answer);
    }
  });

  it('a new question cancels the one still open', async () => {
    const c = new ConfirmState();
    const first = c.choose(request);
    const second = c.choose({ ...request, title: 'Second' });
    expect(await first).toBe('cancel');
    expect(c.request?.title).toBe('Second');
    c.answer(true);
    expect(await second).toBe('confirm');
  });

  it('prompt returns the trimmed text once it passes the check, null when cancelled', async () => {
    const c = new ConfirmState();
    const input = { label: 'Name', value: 'start', check: (v: string) => (v ? null : 'empty') };
    const named = c.prompt({ ...request, input });
    expect(c.value).toBe('start');
    c.value = '   ';
    c.answer(true);
    expect(c.problem).toBe('empty');
    expect(c.request).not.toBeNull(); // still open
    c.value = '  Plan B ';
    c.answer(true);
    expect(await named).toBe('Plan B');
    const cancelled = c.prompt({ ...request, input });
    c.answer(false);
    expect(await cancelled).toBeNull();
  });
});

describe('HelpState', () => {
  it('opens on an entry or the whole list, and closes', () => {
    const h = new HelpState();
    expect(h.open).toBeNull();
    h.show();
    expect(h.open).toBe('all');
    h.show('impact');
    expect(h.open).toBe('impact');
    h.close();
    expect(h.open).toBeNull();
  });
});

describe('StatusState', () => {
  it('an info message clears itself after six seconds; an error stays', () => {
    vi.useFakeTimers();
    const s = new StatusState();
    s.show('Saved');
    expect(s).toMatchObject({ message: 'Saved', kind: 'info' });
    vi.advanceTimersByTime(5999);
    expect(s.message).toBe('Saved');
    vi.advanceTimersByTime(1);
    expect(s.message).toBe('');
    s.show('Could not save', 'error');
    vi.advanceTimersByTime(60_000);
    expect(s).toMatchObject({ message: 'Could not save', kind: 'error' });
  });

  it('a newer message is not cleared by an older one’s timer', () => {
    vi.useFakeTimers();
    const s = new StatusState();
    s.show('first');
    vi.advanceTimersByTime(4000);
    s.show('second');
    vi.advanceTimersByTime(2000);
    expect(s.message).toBe('second');
    vi.advanceTimersByTime(4000);
    expect(s.message).toBe('');
  });

  it('clear empties the line', () => {
    const s = new StatusState();
    s.show('x', 'error');
    s.clear();
    expect(s.message).toBe('');
  });
});

describe('ThemeState', () => {
  function media(matches: boolean) {
    const listeners: ((e: { matches: boolean }) => void)[] = [];
    const query = {
      matches,
      addEventListener: (_: string, l: (e: { matches: boolean }) => void) => listeners.push(l),
    };
    vi.stubGlobal('window', { matchMedia: () => query });
    return (dark: boolean) => listeners.forEach((l) => l({ matches: dark }));
  }

  it('follows the system colour scheme, and its changes', () => {
    const change = media(true);
    const t = new ThemeState();
    expect(t.dark).toBe(true);
    expect(t.colors.text).toBe('#d6dbe3');
    change(false);
    expect(t.dark).toBe(false);
    expect(t.colors.text).toBe('#2a2f38');
  });

  it('without matchMedia it is light', () => {
    vi.stubGlobal('window', {});
    expect(new ThemeState().dark).toBe(false);
  });
});

describe('ReportState', () => {
  it('the paper size follows the locale', () => {
    vi.stubGlobal('navigator', { language: 'en-US' });
    expect(new ReportState(new StatusState()).pageSize).toBe('Letter');
    vi.stubGlobal('navigator', { language: 'de-DE' });
    expect(new ReportState(new StatusState()).pageSize).toBe('A4');
  });

  it('exports only while the preview is open, once at a time', async () => {
    const backend = new FakeBackend().install();
    backend.hold('exportReportPdf');
    const status = new StatusState();
    const r = new ReportState(status);
    r.pageSize = 'A4';
    await r.export('Buy FROG');
    expect(backend.calls).toEqual([]);
    r.show();
    const exporting = r.export('Buy FROG');
    expect(r.exporting).toBe(true);
    await r.export('Buy FROG');
    expect(backend.inputs('exportReportPdf')).toEqual([{ name: 'Buy FROG', pageSize: 'A4' }]);
    backend.answer(
      'exportReportPdf',
      ok({ fileName: 'Buy FROG.pdf', savedTo: '/tmp/Buy FROG.pdf' }),
    );
    await exporting;
    expect(r.exporting).toBe(false);
    expect(status.message).toBe('Exported /tmp/Buy FROG.pdf');
    r.close();
    expect(r.open).toBe(false);
  });

  it('a cancelled save dialog says nothing; a failure says why', async () => {
    const backend = new FakeBackend().install();
    const status = new StatusState();
    const r = new ReportState(status);
    r.show();
    backend.reply('exportReportPdf', { fileName: 'x.pdf', savedTo: null });
    await r.export('x');
    expect(status.message).toBe('');
    backend.refuse('exportReportPdf', 'internal', 'printing failed');
    await r.export('x');
    expect(status).toMatchObject({
      kind: 'error',
      message: 'Could not export the report: printing failed',
    });
    expect(r.exporting).toBe(false);
  });
});
