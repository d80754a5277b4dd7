/**
 * "Show in folder" for one photo: main selects that image file in Finder / Explorer (or the run's
 * folder when the photo is gone). Used on the run page (per photo) and over the photo shown large
 * in the studio. A refusal is said in a toast: the button sits where there is no room for text.
 */
import { asClientError, client } from '../../app/client';
import { useToasts } from '../../app/toasts-store';
import { IconFolder } from '../../app/icons';
import { resolveIndex, useKeep } from '../results/keep';

export async function revealPhoto(runId: string, index?: number): Promise<void> {
  try {
    await client.library.reveal(index === undefined ? { runId } : { runId, index });
  } catch (e) {
    useToasts.getState().show(`Could not show the photo in its folder. ${asClientError(e).message}`, 'error');
  }
}

/**
 * `index`: the photo's index in its run when the caller knows it (the run page); otherwise
 * `assetId` and `position` (a job's photos), resolved like the star is.
 */
export function RevealButton({
  runId,
  index,
  assetId,
  position = 0,
  label,
  className = 'link-button',
  disabled,
  iconOnly,
}: {
  runId: string;
  index?: number;
  assetId?: string;
  position?: number;
  /** accessible name when the visible text is not enough (several photos on one page) */
  label?: string;
  className?: string;
  disabled?: boolean;
  /** only the folder icon (a crowded header); the name stays "Show in folder" */
  iconOnly?: boolean;
}) {
  const resolved = useKeep((s) =>
    index !== undefined ? index : assetId ? resolveIndex(s.runs[runId], assetId, position) : undefined,
  );
  return (
    <button
      type="button"
      className={className}
      aria-label={label ?? (iconOnly ? 'Show in folder' : undefined)}
      disabled={disabled}
      title={
        disabled
          ? 'Its photos are in your library once they are saved'
          : 'Show in folder: select this photo in its folder'
      }
      onClick={() => void revealPhoto(runId, resolved)}
    >
      <IconFolder size={iconOnly ? 15 : 13} />
      {iconOnly ? null : ' Show in folder'}
    </button>
  );
}
