/**
 * The Pick star over a saved photo (results, run page, comparison): a toggle button
 * (`aria-pressed`) named "Pick this photo", or "Picked" once starred (Lightroom's Pick flag).
 * `P` (or `K`, the app's older key) presses it where a view offers the shortcut (`keepShortcut`
 * on the photo's container).
 */
import type { KeyboardEvent } from 'react';
import { isTypingTarget } from '../app/controls';
import { KEYS, hit } from '../features/shortcuts/keymap';
import { setKept, useKeepState } from '../features/results/keep';
import { IconStar } from './IconStar';
import './keep-button.css';

export function KeepButton({
  runId,
  assetId,
  position,
  kept: fallback = false,
  shortcut = false,
  className,
}: {
  runId: string;
  /** the photo's asset id: finds its index in the run */
  assetId: string;
  /** its place in the list it is shown in (the index when the run is not known yet) */
  position: number;
  /** what the caller knows, until main has said more */
  kept?: boolean;
  /** the view offers P for it: said in the tooltip */
  shortcut?: boolean;
  className?: string;
}) {
  const { index, kept, busy } = useKeepState(runId, assetId, position, fallback);
  const hint = shortcut ? ' (P)' : '';
  return (
    <button
      type="button"
      className={`keep-toggle${kept ? ' is-kept' : ''}${className ? ` ${className}` : ''}`}
      aria-pressed={kept}
      aria-label={kept ? 'Picked' : 'Pick this photo'}
      aria-busy={busy || undefined}
      title={
        kept ? `Picked — click to unflag it${hint}` : `Pick this photo: find it under “Picked” in the Gallery${hint}`
      }
      data-keep=""
      data-testid="keep-toggle"
      onClick={() => {
        if (!busy) void setKept(runId, index, !kept);
      }}
    >
      <IconStar size={15} filled={kept} />
    </button>
  );
}

/** True for a plain P or K press (no modifier, not typing, not held down): keymap.ts KEYS.keep. */
export function isKeepKey(e: {
  key: string;
  metaKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
  repeat?: boolean;
  target: EventTarget | null;
  defaultPrevented?: boolean;
}): boolean {
  return hit(KEYS.keep, e) && !e.defaultPrevented && !isTypingTarget(e.target);
}

/** onKeyDown for a photo's container: P (or K) presses its star while focus is inside it. */
export function keepShortcut(e: KeyboardEvent<HTMLElement>): void {
  if (!isKeepKey(e)) return;
  const button = e.currentTarget.querySelector<HTMLButtonElement>('[data-keep]');
  if (!button) return;
  e.preventDefault();
  button.click();
}
