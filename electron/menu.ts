/** Native application menu with the standard roles (macOS app menu first, Windows without it). */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

export function buildMenu(actions: { showLogs: () => void; openDocs: () => void }): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Replicate documentation', click: () => actions.openDocs() },
        { label: 'Show logs', click: () => actions.showLogs() },
        { type: 'separator' },
        { label: `Sseelfie Studio ${app.getVersion()}`, enabled: false },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
