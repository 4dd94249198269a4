import { describe, it, expect, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate } from '../../../src-main/electron/menu.js';

function flat(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])]);
}
const actions = () => ({ importDataset: vi.fn(), exportRun: vi.fn(), openUserGuide: vi.fn(), about: vi.fn() });
const click = (item: MenuItemConstructorOptions) => (item.click as () => void)();

describe('the application menu', () => {
  it('has File, Edit, View, Window and Help', () => {
    const labels = menuTemplate({ dev: false, mac: false, actions: actions() }).map((m) => m.label ?? m.role);
    expect(labels).toEqual(['&File', 'editMenu', '&View', 'windowMenu', '&Help']);
  });

  it('wires File and Help items to their actions', () => {
    const a = actions();
    const items = flat(menuTemplate({ dev: false, mac: false, actions: a }));
    const byId = (id: string) => items.find((i) => i.id === id)!;
    click(byId('import-dataset'));
    click(byId('export-run'));
    click(byId('user-guide'));
    click(byId('about'));
    expect(a.importDataset).toHaveBeenCalledOnce();
    expect(a.exportRun).toHaveBeenCalledOnce();
    expect(a.openUserGuide).toHaveBeenCalledOnce();
    expect(a.about).toHaveBeenCalledOnce();
    expect(items.some((i) => i.role === 'quit')).toBe(true);
  });

  it('offers reload and devtools only in development', () => {
    const roles = (dev: boolean) => flat(menuTemplate({ dev, mac: false, actions: actions() })).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
    expect(roles(true)).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']));
    expect(roles(false)).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom']));
  });

  it('follows macOS conventions there', () => {
    const mac = menuTemplate({ dev: false, mac: true, actions: actions() });
    expect(mac[0].role).toBe('appMenu');
  });
});
