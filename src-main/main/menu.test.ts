/** The application menu, built against a fake electron (there is no Electron binary here). */
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_COMMANDS, type MenuCommand } from '@shared/operations';

const openPath = vi.fn(async () => '');
vi.mock('electron', () => ({
  Menu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => template },
  app: { isPackaged: false, showAboutPanel: vi.fn() },
  shell: { openPath },
}));

async function build() {
  const { buildMenu } = await import('./menu');
  const sent: MenuCommand[] = [];
  const template = buildMenu(
    (c) => sent.push(c),
    '/data/dir',
  ) as unknown as MenuItemConstructorOptions[];
  const submenu = (label: string) =>
    (template.find((m) => m.label === label)?.submenu ?? []) as MenuItemConstructorOptions[];
  return { template, sent, submenu };
}

describe('application menu', () => {
  it('has the usual File, Edit, View and Help menus', async () => {
    const { template } = await build();
    const labels = template.map((m) => m.label ?? m.role);
    expect(labels).toEqual(expect.arrayContaining(['&File', '&Edit', '&View', '&Help']));
  });

  it('offers every menu command with a shortcut and sends it to the window when clicked', async () => {
    const { sent, submenu } = await build();
    const file = submenu('&File').filter((i) => i.click && i.accelerator);
    expect(file).toHaveLength(MENU_COMMANDS.length);
    const shortcuts = Object.fromEntries(file.map((i) => [i.label, i.accelerator]));
    expect(shortcuts).toMatchObject({
      'New Plan': 'CmdOrCtrl+N',
      'Open Plan…': 'CmdOrCtrl+O',
      'Save Plan': 'CmdOrCtrl+S',
      // Save As takes the usual Shift+S; exporting the plan file moved to Shift+E.
      'Save Plan As…': 'CmdOrCtrl+Shift+S',
      'Export Plan File…': 'CmdOrCtrl+Shift+E',
      'Export Schedule as CSV…': 'CmdOrCtrl+E',
      'Export Report (PDF)…': 'CmdOrCtrl+P',
      Solve: 'CmdOrCtrl+Enter',
    });
    // No two items share a shortcut.
    expect(new Set(file.map((i) => i.accelerator)).size).toBe(file.length);
    for (const i of file) (i.click as () => void)();
    expect([...sent].sort()).toEqual([...MENU_COMMANDS].sort());
  });

  it('Help opens the data folder', async () => {
    const { submenu } = await build();
    const show = submenu('&Help').find((i) => i.label === 'Show Data Folder');
    (show?.click as () => void)();
    expect(openPath).toHaveBeenCalledWith('/data/dir');
  });
});
