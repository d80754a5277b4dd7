/**
 * Export photos to a folder: format, quality (JPEG and WebP only), the size for where the photo
 * goes with a crop frame the person drags over the photo, settings kept or stripped, the folder
 * (main's dialog picks it, the settings remember it), progress with Cancel, and the files written
 * with their warnings. `ExportButton` owns its dialog, so any page can offer it in one line.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { EXPORT_FORMATS, EXPORT_SIZES, SIZE_TARGETS, type ExportFormat, type ExportSize } from '../../../shared/export';
import type { ExportResultT } from '../../../shared/ipc/contract';
import type { StudioApi } from '../../../shared/ipc/api';
import { asClientError, client } from '../../app/client';
import { useSettings } from '../settings/settings-store';
import { ErrorText, Modal, Segmented, Spinner } from '../../app/controls';
import {
  DEFAULT_CHOICES,
  FORMAT_LABEL,
  buildExportRequest,
  exportPixels,
  hasCrop,
  newExportId,
  qualityApplies,
  type CropRect,
  type ExportItem,
} from './export-logic';
import { CropPreview } from './CropPreview';
import { ExportDone, RevealExported } from './ExportDone';
import { IconExport } from './export-icons';
import './export.css';

/** The face main found on the first photo, for the preview's frame: asked once, when a size first has a crop. */
type FaceState = { kind: 'idle' } | { kind: 'finding' } | { kind: 'found'; face: CropRect | null };

type Phase =
  | { kind: 'choose' }
  | { kind: 'exporting'; exportId: string; done: number; total: number }
  | { kind: 'done'; result: ExportResultT };

function onExportProgress(fn: (p: { exportId: string; done: number; total: number }) => void): () => void {
  const s = (globalThis as { studio?: StudioApi }).studio;
  return s?.export?.onProgress ? s.export.onProgress(fn) : () => undefined;
}

export function ExportButton({
  items,
  className = 'button',
  label = 'Export…',
  disabled,
  iconOnly,
}: {
  items: readonly ExportItem[];
  className?: string;
  label?: string;
  disabled?: boolean;
  iconOnly?: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={disabled || !items.length}
        aria-label={
          iconOnly ? (items.length === 1 ? 'Export this photo…' : `Export ${items.length} photos…`) : undefined
        }
        title="Export to a folder as PNG, JPEG or WebP, sized for where the photo goes"
        onClick={() => setOpen(true)}
      >
        <IconExport size={iconOnly ? 14 : 15} />
        {iconOnly ? null : ` ${label}`}
      </button>
      {open ? <ExportDialog items={items} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

export function ExportDialog({ items, onClose }: { items: readonly ExportItem[]; onClose(): void }) {
  const remembered = useSettings((s) => s.settings?.exportDir ?? null);
  const [format, setFormat] = useState<ExportFormat>(DEFAULT_CHOICES.format);
  const [quality, setQuality] = useState(DEFAULT_CHOICES.quality);
  const [size, setSize] = useState<ExportSize>(DEFAULT_CHOICES.size);
  const [crop, setCrop] = useState<CropRect | null>(null);
  const [keepSettings, setKeepSettings] = useState(true);
  const [askFolder, setAskFolder] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const [error, setError] = useState<string | null>(null);
  const [face, setFace] = useState<FaceState>({ kind: 'idle' });
  const id = useId();
  const first = items[0]!;
  const one = items.length === 1;

  // The frame is shown where main will cut when the person does not move it: on the face it finds.
  // Asked once, when a size first has a crop (not on every size change: the face does not move).
  const faceAsked = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const cuts = hasCrop(size);
  useEffect(() => {
    if (!cuts || faceAsked.current) return;
    faceAsked.current = true;
    setFace({ kind: 'finding' });
    client.export.face({ runId: first.runId, index: first.index }).then(
      (r) => mounted.current && setFace({ kind: 'found', face: r.face }),
      // the detector could not run: the centred frame, which is also what main falls back to
      () => mounted.current && setFace({ kind: 'found', face: null }),
    );
  }, [cuts, first.runId, first.index]);

  // Subscribed before the request is sent (main may report the first photo at once), dropped when it ends or the dialog goes.
  const unsubscribe = useRef<(() => void) | null>(null);
  useEffect(() => () => unsubscribe.current?.(), []);

  function chooseSize(s: ExportSize) {
    setSize(s);
    setCrop(null); // a frame of another shape: main places the new one until the person moves it
  }

  async function start() {
    setError(null);
    const exportId = newExportId();
    const folder = askFolder ? null : remembered;
    setPhase({ kind: 'exporting', exportId, done: 0, total: items.length });
    unsubscribe.current = onExportProgress((p) => {
      if (p.exportId === exportId)
        setPhase((ph) =>
          ph.kind === 'exporting' && ph.exportId === exportId ? { ...ph, done: p.done, total: p.total } : ph,
        );
    });
    try {
      const result = await client.export.photos(
        buildExportRequest(items, { format, quality, size, crop, stripMetadata: !keepSettings, folder }, exportId),
      );
      if (result.folder === null) {
        setPhase({ kind: 'choose' }); // the folder dialog was closed: nothing exported
        return;
      }
      setAskFolder(false);
      void useSettings.getState().load(); // the folder chosen in main's dialog is remembered there
      setPhase({ kind: 'done', result });
    } catch (e) {
      setError(asClientError(e).message);
      setPhase({ kind: 'choose' });
    } finally {
      unsubscribe.current?.();
      unsubscribe.current = null;
    }
  }

  const exporting = phase.kind === 'exporting';
  const px = exportPixels(first.width, first.height, size);
  const footer =
    phase.kind === 'done' ? (
      <>
        {phase.result.files[0] ? <RevealExported file={phase.result.files[0].path} onError={setError} /> : null}
        <button type="button" className="button button--primary" data-autofocus onClick={onClose}>
          Done
        </button>
      </>
    ) : exporting ? (
      <button
        type="button"
        className="button"
        onClick={() => void client.export.cancel({ exportId: phase.exportId }).catch(() => undefined)}
      >
        Cancel
      </button>
    ) : (
      <>
        <button type="button" className="button button--quiet" onClick={onClose}>
          Close
        </button>
        <button type="button" className="button button--primary" onClick={() => void start()}>
          {remembered && !askFolder
            ? `Export ${items.length === 1 ? 'photo' : `${items.length} photos`}`
            : 'Choose folder and export…'}
        </button>
      </>
    );

  return (
    <Modal
      title={one ? 'Export photo' : `Export ${items.length} photos`}
      subtitle="Your library’s own files are never changed."
      onClose={exporting ? () => undefined : onClose}
      footer={footer}
      className="export-dialog"
      testId="export-dialog"
    >
      {phase.kind === 'done' ? (
        <>
          <ExportDone result={phase.result} />
          {error ? <ErrorText>{error}</ErrorText> : null}
        </>
      ) : (
        <div className="export-body">
          <CropPreview
            item={first}
            size={size}
            crop={crop}
            face={face.kind === 'found' ? face.face : null}
            finding={face.kind !== 'found'}
            movable={one}
            onMove={setCrop}
          />
          <div className="export-options">
            <div className="export-field">
              <span className="field-label" id={`${id}-format`}>
                Format
              </span>
              <Segmented<ExportFormat>
                labelledBy={`${id}-format`}
                options={EXPORT_FORMATS.map((f) => ({ value: f, label: FORMAT_LABEL[f] }))}
                value={format}
                onChange={setFormat}
                disabled={exporting}
              />
            </div>
            {qualityApplies(format) ? (
              <div className="export-field">
                <label className="field-label" htmlFor={`${id}-quality`}>
                  Quality <span className="mono">{quality}</span>
                </label>
                <input
                  id={`${id}-quality`}
                  type="range"
                  min={1}
                  max={100}
                  step={1}
                  value={quality}
                  disabled={exporting}
                  onChange={(e) => setQuality(Number(e.target.value))}
                />
              </div>
            ) : (
              <p className="field-help">PNG is lossless: every pixel is kept, the file is larger.</p>
            )}
            <div className="export-field">
              <label className="field-label" htmlFor={`${id}-size`}>
                Size
              </label>
              <select
                id={`${id}-size`}
                className="input"
                value={size}
                disabled={exporting}
                onChange={(e) => chooseSize(e.target.value as ExportSize)}
              >
                {EXPORT_SIZES.map((s) => (
                  <option key={s} value={s}>
                    {SIZE_TARGETS[s].label}
                  </option>
                ))}
              </select>
              <p className="field-help" data-testid="export-pixels">
                {one
                  ? `${px.width} × ${px.height} px${px.smaller ? ' (the photo is smaller: not enlarged)' : ''}`
                  : 'Each photo at this size, never enlarged.'}
                {hasCrop(size)
                  ? one
                    ? ' · Drag the frame to choose what is kept.'
                    : ' · Each photo is cropped on its face, or centred.'
                  : ''}
              </p>
            </div>
            <label className="export-check">
              <input
                type="checkbox"
                checked={keepSettings}
                disabled={exporting}
                onChange={(e) => setKeepSettings(e.target.checked)}
              />
              <span>Include the settings in the file</span>
            </label>
            <p className="field-help">
              {keepSettings
                ? 'Prompt, seed and settings are embedded (PNG text, XMP), so this app and others can restore them.'
                : 'Stripped: the file carries no prompt or settings. A brand photo on a public website need not carry its prompt.'}
            </p>
            <div className="export-field">
              <span className="field-label">Folder</span>
              {remembered && !askFolder ? (
                <p className="export-folder">
                  <span className="mono break" data-testid="export-folder">
                    {remembered}
                  </span>{' '}
                  <button type="button" className="link-button" disabled={exporting} onClick={() => setAskFolder(true)}>
                    Choose another…
                  </button>
                </p>
              ) : (
                <p className="field-help">You choose the folder when you export; the app remembers it.</p>
              )}
            </div>
            {exporting ? (
              <div className="export-progress" role="status">
                <Spinner />
                <progress max={phase.total} value={phase.done} aria-label="Export progress" />
                <span className="small">
                  {phase.done} of {phase.total}
                </span>
              </div>
            ) : null}
            {error ? <ErrorText>{error}</ErrorText> : null}
          </div>
        </div>
      )}
    </Modal>
  );
}
