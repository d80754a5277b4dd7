/**
 * The selfie shelf above the canvas: the person's own photos, to start a generation from.
 * Files are picked, dropped anywhere on the studio or pasted (selfie-import.tsx) and handed to
 * main (`selfies.import`), which copies them into the library, applies their orientation and
 * strips their metadata; per-file problems (a corrupt JPEG, a 200 MB file) come back as sentences
 * naming the file, and the other files still import.
 */
import { useRef, useState } from 'react';
import type { SelfieViewT } from '../../../shared/ipc/contract';
import { assetUrl } from '../../app/client';
import { useSelfies } from './selfies-store';
import { useSelection } from './selection-store';
import { ErrorText, Spinner } from '../../app/controls';
import { IconAlert, IconCheck, IconUpload, IconX } from '../../app/icons';
import './selfies.css';
import { importSummary } from './selfie-import';

/** What the file picker offers: every format main can import (GIF: its first frame). */
export const SELFIE_ACCEPT = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/avif',
  'image/heic',
  'image/heif',
  'image/tiff',
  'image/gif',
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.avif',
  '.heic',
  '.heif',
  '.tif',
  '.tiff',
  '.gif',
].join(',');

function selfieSource(s: SelfieViewT) {
  return { assetId: s.image.id, width: s.image.width, height: s.image.height, label: `Selfie “${s.name}”` };
}

function SelfieThumb({ selfie, onRemove }: { selfie: SelfieViewT; onRemove(): void }) {
  const selected = useSelection((s) => s.source?.assetId === selfie.image.id);
  const setSource = useSelection((s) => s.setSource);
  return (
    <li className={`selfie${selected ? ' is-selected' : ''}`}>
      <button
        type="button"
        className="selfie-pick"
        aria-pressed={selected}
        title={`${selfie.name} · ${selfie.width} × ${selfie.height}${selected ? ' · the starting photo (click to stop using it)' : ' · click to start from it'}`}
        onClick={() => setSource(selected ? null : selfieSource(selfie))}
      >
        <img
          src={assetUrl(selfie.thumb.id)}
          alt={`Selfie ${selfie.name}`}
          width={selfie.thumb.width}
          height={selfie.thumb.height}
          draggable={false}
        />
      </button>
      <button
        type="button"
        className="selfie-remove"
        aria-label={`Remove ${selfie.name} from the shelf`}
        title="Remove from the shelf…"
        onClick={onRemove}
      >
        <IconX size={11} />
      </button>
    </li>
  );
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}

export function SelfieShelf() {
  const list = useSelfies((s) => s.list);
  const error = useSelfies((s) => s.error);
  const importing = useSelfies((s) => s.importingCount);
  const lastImport = useSelfies((s) => s.lastImport);
  const importError = useSelfies((s) => s.importError);
  const importFiles = useSelfies((s) => s.importFiles);
  const clearImport = useSelfies((s) => s.clearImport);
  const remove = useSelfies((s) => s.remove);
  const source = useSelection((s) => s.source);
  const setSource = useSelection((s) => s.setSource);
  const input = useRef<HTMLInputElement>(null);
  const [confirming, setConfirming] = useState<SelfieViewT | null>(null);

  const summary = lastImport ? importSummary(lastImport) : null;
  const failed = lastImport?.errors ?? [];

  async function confirmRemove() {
    const s = confirming;
    if (!s) return;
    setConfirming(null);
    if (source?.assetId === s.image.id) setSource(null);
    await remove(s.id);
  }

  return (
    <section className="shelf" aria-label="Your selfies">
      <div className="shelf-row">
        <h2 className="section-title shelf-title">Selfies</h2>
        {list.length ? (
          <ul className="selfie-list">
            {list.map((s) => (
              <SelfieThumb key={s.id} selfie={s} onRemove={() => setConfirming(s)} />
            ))}
          </ul>
        ) : (
          <p className="muted small shelf-empty">
            Add a few selfies — drop them anywhere here, paste one, or pick files. They stay on this computer.
          </p>
        )}
        {importing ? (
          <span className="shelf-progress" role="status">
            <Spinner /> Importing {plural(importing, 'photo', 'photos')}…
          </span>
        ) : null}
        <button
          type="button"
          className="button button--small"
          onClick={() => input.current?.click()}
          title="JPEG, PNG, WebP, AVIF, HEIC/HEIF, TIFF or GIF, up to 100 MB each"
        >
          <IconUpload size={14} /> Add selfies…
        </button>
        <input
          ref={input}
          type="file"
          accept={SELFIE_ACCEPT}
          multiple
          hidden
          data-testid="selfie-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            void importFiles(files);
          }}
        />
      </div>
      {confirming ? (
        <div className="shelf-confirm" role="alertdialog" aria-label={`Remove ${confirming.name}?`}>
          <img src={assetUrl(confirming.thumb.id)} alt="" width={28} height={28} />
          <p>
            Remove <strong>{confirming.name}</strong> from your selfies? Photos you made from it stay in the Gallery.
          </p>
          <button type="button" className="button button--small button--danger" onClick={() => void confirmRemove()}>
            Remove
          </button>
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={() => setConfirming(null)}
            autoFocus
          >
            Cancel
          </button>
        </div>
      ) : null}
      {error ? <ErrorText>{error.message}</ErrorText> : null}
      {importError || summary || failed.length ? (
        <div
          className={`shelf-result${importError || failed.length ? ' shelf-result--error' : ''}`}
          role="status"
          data-testid="import-result"
        >
          <div className="shelf-result-body">
            {summary ? (
              <p className={lastImport?.imported.length ? 'field-ok' : undefined}>
                {lastImport?.imported.length ? <IconCheck size={13} /> : null} {summary}
              </p>
            ) : null}
            {importError ? <ErrorText>{importError.message}</ErrorText> : null}
            {failed.length ? (
              <>
                <p className="shelf-result-title">
                  <IconAlert size={13} />{' '}
                  {failed.length === 1 ? '1 file could not be added:' : `${failed.length} files could not be added:`}
                </p>
                <ul className="import-errors" aria-label="Files not added">
                  {failed.map((f, i) => (
                    <li key={`${f.name}-${i}`}>{f.message.includes(f.name) ? f.message : `${f.name}: ${f.message}`}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
          <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={clearImport}>
            <IconX size={13} />
          </button>
        </div>
      ) : null}
    </section>
  );
}
