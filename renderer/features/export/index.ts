/** What other features use of export: the dialog's button, the per-photo actions, Remix and restore. */
export { ExportButton, ExportDialog } from './ExportDialog';
export { PhotoActions } from './PhotoActions';
export { RemixButton } from './RemixButton';
export { RestoreBanner, SettingsDropZone, SETTINGS_DROP, claimSettingsDrop } from './RestoreBanner';
export { remixRun, restoreFromPhoto, restoreIntoForm, useRestore } from './restore';
export type { ExportItem } from './export-logic';
