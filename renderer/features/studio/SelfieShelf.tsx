/**
 * The selfie shelf above the canvas: the person's own photos, to start a generation from.
 * Files are picked or dropped here and handed to main (`selfies.import`), which copies them into
 * the library, applies their orientation and strips their metadata; per-file problems (a corrupt
 * JPEG, a 200 MB file) come back as sentences and nothing else changes.
 */
import { useRef, useState, type DragEvent } from 'react';
import type { SelfieViewT } from '../../../shared/ipc/contract';
import { assetUrl, useSelfies } from '../../store/studio';
import { useSelection } from '../../store/ui';
import { ErrorText, Spinner } from '../../app/controls';
import { IconCheck, IconX } from '../../app/icons';

export const SELFIE_ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif,.jpg,.jpeg,.png,.webp';

function isFileDrag(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

/** Drop target for the middle column: image files dropped anywhere there become selfies. */
export function useSelfieDrop() {
  const importFiles = useSelfies((s) => s.importFiles);
  const [over, setOver] = useState(false);
  return {
    over,
    props: {
      onDragOver(e: DragEvent) {
        if (!isFileDrag(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        if (!over) setOver(true);
      },
      onDragLeave(e: DragEvent) {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      },
      onDrop(e: DragEvent) {
        if (!isFileDrag(e)) return;
        e.preventDefault();
        setOver(false);
        void importFiles(Array.from(e.dataTransfer.files));
      },
    },
  };
}

function SelfieThumb({ selfie }: { selfie: SelfieViewT }) {
  const selected = useSelection((s) => s.source?.assetId === selfie.image.id);
  const setSource = useSelection((s) => s.setSource);
  const remove = useSelfies((s) => s.remove);
  return (
    <li className={`selfie${selected ? ' is-selected' : ''}`}>
      <button
        type="button"
        className="selfie-pick"
        aria-pressed={selected}
        title={`${selfie.name} · ${selfie.width} × ${selfie.height}`}
        onClick={() => setSource(selected ? null : { assetId: selfie.image.id, width: selfie.image.width, height: selfie.image.height, label: `Selfie “${selfie.name}”` })}
      >
        <img src={assetUrl(selfie.thumb.id)} alt={`Selfie ${selfie.name}`} width={selfie.thumb.width} height={selfie.thumb.height} />
      </button>
      <button
        type="button"
        className="selfie-remove"
        aria-label={`Remove ${selfie.name} from the shelf`}
        title="Remove from the shelf"
        onClick={() => {
          if (selected) setSource(null);
          void remove(selfie.id);
        }}
      >
        <IconX size={11} />
      </button>
    </li>
  );
}

export function SelfieShelf() {
  const list = useSelfies((s) => s.list);
  const error = useSelfies((s) => s.error);
  const importing = useSelfies((s) => s.importing);
  const lastImport = useSelfies((s) => s.lastImport);
  const importError = useSelfies((s) => s.importError);
  const importFiles = useSelfies((s) => s.importFiles);
  const clearImport = useSelfies((s) => s.clearImport);
  const input = useRef<HTMLInputElement>(null);

  const added = lastImport?.imported.length ?? 0;
  const failed = lastImport?.errors ?? [];
  return (
    <section className="shelf" aria-label="Your selfies">
      <div className="shelf-row">
        <h2 className="section-title shelf-title">Selfies</h2>
        {list.length ? (
          <ul className="selfie-list">
            {list.map((s) => (
              <SelfieThumb key={s.id} selfie={s} />
            ))}
          </ul>
        ) : (
          <p className="muted small shelf-empty">Add a few selfies (or drop them here) to start from them. They stay on this computer.</p>
        )}
        <button type="button" className="button button--small" onClick={() => input.current?.click()} disabled={importing}>
          {importing ? <Spinner /> : null}
          {importing ? 'Adding…' : 'Add selfies…'}
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
      {error ? <ErrorText>{error.message}</ErrorText> : null}
      {importError || added || failed.length ? (
        <div className={`shelf-result${importError || failed.length ? ' shelf-result--error' : ''}`} role="status">
          <div className="shelf-result-body">
            {added ? (
              <p className="field-ok">
                <IconCheck size={13} /> {added === 1 ? 'Added 1 selfie.' : `Added ${added} selfies.`}
              </p>
            ) : null}
            {importError ? <ErrorText>{importError.message}</ErrorText> : null}
            {failed.map((f, i) => (
              <ErrorText key={`${f.name}-${i}`}>
                {f.name}: {f.message}
              </ErrorText>
            ))}
          </div>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={clearImport}>
            <IconX size={13} />
          </button>
        </div>
      ) : null}
    </section>
  );
}
