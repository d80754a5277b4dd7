/**
 * The mask editor in the middle of the studio: the chosen photo on a dark stage with the mask
 * painter over it, floating toolbars (their "?" opens the app's shortcuts list), and the strength / output / keep-
 * outside controls below. The painted mask is registered as the mask session Generate reads, at
 * the photo's full size (main crops and scales it to the prepared image).
 */
import { useEffect, useMemo, useState } from 'react';
import { MaskCanvas } from '../canvas/MaskCanvas';
import { MaskToolbar } from '../canvas/MaskToolbar';
import { useCanvasStore } from '../canvas/canvas-store';
import { brushRange, defaultBrushSize } from '../canvas/editor-logic';
import { useShortcutsHelp } from '../shortcuts/shortcuts-help-store';
import { maskDocFor, refreshMaskSession, registerMaskSession } from '../canvas/mask-session';
import { rasterizeMask } from '../canvas/rasterize';
import { useMaskShortcuts } from '../canvas/MaskCanvas';
import type { MaskPainter } from '../canvas/mask-painter';
import { IconClose } from '../canvas/canvas-icons';
import { assetUrl, platform } from '../../app/client';
import { useNav } from '../../app/nav-store';
import { useSelection, type SourceImage } from './selection-store';
import { CanvasStrength } from './canvas-strength';

/** Room the floating toolbars take: the photo is fitted inside the rest. */
const FIT_PADDING = { top: 62, right: 62, bottom: 16, left: 62 } as const;

export function CanvasEditor({ source }: { source: SourceImage }) {
  const { assetId, width, height } = source;
  const setSource = useSelection((s) => s.setSource);
  const view = useNav((s) => s.view);
  const isEmpty = useCanvasStore((s) => s.isEmpty);
  const [painter, setPainter] = useState<MaskPainter | null>(null);
  const help = useShortcutsHelp((s) => s.open);
  const setHelp = useShortcutsHelp((s) => s.setOpen);
  const mac = platform() === 'darwin';

  const { doc, restored } = useMemo(() => maskDocFor(assetId, width, height), [assetId, width, height]);
  const range = useMemo(() => brushRange(width, height), [width, height]);

  // A new photo gets a brush sized to it; a photo painted before keeps the current brush.
  useEffect(() => {
    const size = useCanvasStore.getState().brushSize;
    if (!restored || size < range.min || size > range.max)
      useCanvasStore.getState().setSettings({ brushSize: defaultBrushSize(width, height) });
  }, [doc, restored, range, width, height]);

  // What Generate reads: the mask at the photo's full size.
  useEffect(
    () =>
      registerMaskSession({
        assetId,
        isEmpty: () => doc.isEmpty(),
        exportMask: () => ({ width: doc.width, height: doc.height, data: rasterizeMask(doc, doc.width, doc.height) }),
      }),
    [doc, assetId],
  );
  useEffect(() => doc.subscribe(() => refreshMaskSession()), [doc]);

  const active = view === 'studio' && !help;
  useMaskShortcuts(painter, { enabled: active });

  return (
    <div className="mask-editor" data-testid="mask-editor">
      <header className="mask-editor-head">
        <div className="mask-editor-title">
          <span className="mask-editor-label" title={source.label}>
            {source.label}
          </span>
          <span className="mask-editor-size">
            {width} × {height}
          </span>
        </div>
        <button
          type="button"
          className="mask-stop"
          onClick={() => setSource(null)}
          aria-label="Stop using this photo"
          title="Stop using this photo (start from your prompt only)"
        >
          <IconClose size={14} />
          <span>Stop using this photo</span>
        </button>
      </header>
      <div className={`mask-stage${isEmpty ? ' is-empty' : ''}`}>
        <MaskCanvas
          imageUrl={assetUrl(assetId)}
          imageWidth={width}
          imageHeight={height}
          doc={doc}
          imageAlt={source.label}
          fitPadding={FIT_PADDING}
          onReady={setPainter}
          className="mask-surface"
        />
        <MaskToolbar painter={painter} mac={mac} range={range} onHelp={() => setHelp(true)} />
        {isEmpty ? (
          <p className="mask-hint" aria-hidden="true">
            Paint over what you want to change
          </p>
        ) : null}
      </div>
      <CanvasStrength source={source} />
    </div>
  );
}
