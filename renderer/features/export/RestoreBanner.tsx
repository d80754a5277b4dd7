/**
 * Restoring settings in the studio: the banner saying where the form's settings came from and
 * what was left out (dismissable), and the drop zone over the prompt column while a file is dragged.
 */
import { Banner } from '../../app/controls';
import { IconWand } from '../../app/icons';
import { restoreFromPhoto, useRestore } from './restore';
import './export.css';

export function RestoreBanner() {
  const banner = useRestore((s) => s.banner);
  const dismiss = useRestore((s) => s.dismiss);
  if (!banner) return null;
  return (
    <div className="restore-banner" data-testid="restore-banner">
      <Banner tone={banner.tone} onDismiss={dismiss} dismissLabel="Dismiss this note">
        <p>{banner.title}</p>
        {banner.notes.length ? (
          <ul>
            {banner.notes.map((n) => (
              <li key={n.field + n.message}>{n.message}</li>
            ))}
          </ul>
        ) : null}
      </Banner>
    </div>
  );
}

/** Marks the prompt column as the place where a dropped photo restores its settings. */
export const SETTINGS_DROP = { 'data-settings-drop': '' } as const;

/** True when a drop landed on the prompt column: restore settings instead of adding a selfie. */
export function droppedOnSettings(target: EventTarget | null): boolean {
  const el = target as Element | null;
  return !!el && typeof el.closest === 'function' && !!el.closest('[data-settings-drop]');
}

/**
 * Called by the studio's drop handler: a drop on the prompt column restores the first file's
 * settings (true), anywhere else it is left to the selfie import (false).
 */
export function claimSettingsDrop(target: EventTarget | null, files: readonly File[]): boolean {
  if (!droppedOnSettings(target) || !files.length) return false;
  void restoreFromPhoto(files[0]);
  return true;
}

export function SettingsDropZone() {
  return (
    <div className="settings-drop-zone" data-testid="settings-drop-zone" aria-hidden="true">
      <div>
        <p className="drop-title">
          <IconWand size={16} /> Drop here to load a photo’s settings
        </p>
        <p className="muted small">
          A PNG, JPEG or WebP saved by this app or an AUTOMATIC1111-style tool: prompt, seed and every setting
        </p>
      </div>
    </div>
  );
}
