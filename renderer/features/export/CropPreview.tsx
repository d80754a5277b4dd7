/**
 * The Export dialog's preview: the photo with the frame the size keeps, where main will cut when
 * the person does not move it (on the face main found, else centred), and a line saying which.
 */
import { useRef, type KeyboardEvent as ReactKeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import type { ExportSize } from '../../../shared/export';
import { assetUrl } from '../../app/client';
import {
  defaultCrop,
  moveCrop,
  placementNote,
  sizeAspect,
  type CropRect,
  type ExportItem,
  type FramePlacement,
} from './export-logic';

/** The photo with the frame the size keeps; drag the frame (or use the arrow keys on it) to move it. */
export function CropPreview({
  item,
  size,
  crop,
  face,
  finding,
  movable,
  onMove,
}: {
  item: ExportItem;
  size: ExportSize;
  crop: CropRect | null;
  /** the face main found on this photo (null: none, or not known yet) */
  face: CropRect | null;
  /** main is still looking for the face */
  finding: boolean;
  movable: boolean;
  onMove(c: CropRect): void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; start: CropRect } | null>(null);
  const aspect = sizeAspect(size);
  const frame = aspect === null ? null : (crop ?? defaultCrop(item.width, item.height, aspect, face));
  const auto = aspect !== null && crop === null;
  const placement: FramePlacement = !auto ? 'moved' : finding ? 'finding' : face ? 'face' : 'centre';

  function down(e: ReactPointerEvent<HTMLDivElement>) {
    if (!frame || !movable) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture?.(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, start: frame };
  }
  function move(e: ReactPointerEvent<HTMLDivElement>) {
    const d = drag.current;
    const r = box.current?.getBoundingClientRect();
    if (!d || !r || !r.width || !r.height) return;
    onMove(moveCrop(d.start, (e.clientX - d.x) / r.width, (e.clientY - d.y) / r.height));
  }
  function key(e: ReactKeyboardEvent) {
    if (!frame || !movable) return;
    const step = e.shiftKey ? 0.1 : 0.02;
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
    if (!d) return;
    e.preventDefault();
    onMove(moveCrop(frame, d[0]!, d[1]!));
  }

  return (
    <div className="export-preview">
      <div ref={box} className="export-preview-photo" style={{ aspectRatio: `${item.width} / ${item.height}` }}>
        <img src={assetUrl(item.assetId)} alt="The photo to export" draggable={false} />
        {frame ? (
          <div
            className={`export-crop${auto ? ' is-auto' : ''}${movable ? ' is-movable' : ''}`}
            data-testid="export-crop"
            style={{
              left: `${frame.left * 100}%`,
              top: `${frame.top * 100}%`,
              width: `${frame.width * 100}%`,
              height: `${frame.height * 100}%`,
            }}
            role={movable ? 'slider' : undefined}
            tabIndex={movable ? 0 : undefined}
            aria-label={movable ? 'Crop frame: drag or use the arrow keys to move it' : undefined}
            aria-valuetext={
              movable
                ? `${Math.round(frame.left * 100)} % from the left, ${Math.round(frame.top * 100)} % from the top`
                : undefined
            }
            onPointerDown={down}
            onPointerMove={move}
            onPointerUp={() => (drag.current = null)}
            onPointerCancel={() => (drag.current = null)}
            onKeyDown={key}
          />
        ) : null}
      </div>
      <p className="muted small" data-testid="export-crop-note" data-placement={frame ? placement : 'whole'}>
        {frame ? placementNote(placement, movable) : 'The whole photo.'}
      </p>
    </div>
  );
}
