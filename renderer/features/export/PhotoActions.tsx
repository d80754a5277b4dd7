/**
 * What can be done with one photo shown large: copy it (as PNG: the clipboard reads no WebP),
 * drag it out of the app into another one, open its prediction on replicate.com. Compact icon
 * buttons with tooltips, like the stage's other actions.
 *
 * Dragging: the HTML drag is canceled on dragstart and main starts the native one
 * (webContents.startDrag with the file and an icon), which is what other apps accept.
 */
import type { DragEvent } from 'react';
import { asClientError, client } from '../../app/client';
import { useToasts } from '../../app/toasts-store';
import { IconExternal } from '../../app/icons';
import { IconCopy, IconDrag } from './export-icons';
import { ExportButton } from './ExportDialog';
import type { ExportItem } from './export-logic';
import './export.css';

/** `exportItem`: also an Export… of this one photo (where no other Export button names it alone) */
export function PhotoActions({
  runId,
  index,
  disabled,
  hasPrediction = true,
  exportItem,
}: {
  runId: string;
  index: number;
  disabled?: boolean;
  hasPrediction?: boolean;
  exportItem?: ExportItem;
}) {
  const show = useToasts((s) => s.show);
  const fail = (e: unknown) => show(asClientError(e).message, 'error');

  function onDragStart(e: DragEvent) {
    e.preventDefault();
    if (disabled) return;
    client.export.startDrag({ runId, index }).catch(fail);
  }

  return (
    <span className="photo-actions" role="group" aria-label="Photo actions">
      <button
        type="button"
        className="icon-button"
        disabled={disabled}
        aria-label="Copy the photo"
        title="Copy the photo (as PNG, without its settings)"
        onClick={() =>
          client.export
            .copyToClipboard({ runId, index })
            .then(() => show('Photo copied.'))
            .catch(fail)
        }
      >
        <IconCopy size={14} />
      </button>
      <button
        type="button"
        className="icon-button"
        disabled={disabled}
        draggable={!disabled}
        aria-label="Drag the photo out"
        title="Drag into another app (a mail, a chat, a folder)"
        onDragStart={onDragStart}
      >
        <IconDrag size={14} />
      </button>
      {hasPrediction ? (
        <button
          type="button"
          className="icon-button"
          disabled={disabled}
          aria-label="Open on replicate.com"
          title="Open its prediction on replicate.com"
          onClick={() => client.export.openPrediction({ runId }).catch(fail)}
        >
          <IconExternal size={14} />
        </button>
      ) : null}
      {exportItem ? <ExportButton items={[exportItem]} className="icon-button" iconOnly disabled={disabled} /> : null}
    </span>
  );
}
