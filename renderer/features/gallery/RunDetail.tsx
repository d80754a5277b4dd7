/**
 * One saved run: its photos, the prompt and every parameter that made them, and what can be done
 * with it (reuse the settings, start from a photo, show the folder, delete).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { RunDetailT } from '../../../shared/ipc/contract';
import { asClientError, assetUrl, client, useLibrary, useModel, type StudioClientError } from '../../store/studio';
import { useCompare, useNav, useSelection } from '../../store/ui';
import { ErrorText, Spinner, modalOpen, useAction } from '../../app/controls';
import { IconArrowLeft, IconColumns, IconFolder, IconLock, IconTrash } from '../../app/icons';
import { fieldTitle } from '../params/logic';
import { MODE_LABEL, dateLabel } from './GalleryView';
import { CompareCheck, reuseSeed, snippet } from '../results/JobCard';
import { noteRuns } from '../results/keep';
import { KeepButton, isKeepKey, keepShortcut } from '../results/KeepButton';
import { RevealButton } from '../library/RevealButton';
import { ExportButton, PhotoActions, RemixButton } from '../export';

function showValue(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'On' : 'Off';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
  if (typeof v === 'string') return v.startsWith('data:') ? '(embedded file)' : v;
  if (v === null || v === undefined) return '—';
  return JSON.stringify(v);
}

function Row({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className="params-row">
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}

export function RunDetailView({ runId, onBack }: { runId: string; onBack(): void }) {
  const [run, setRun] = useState<RunDetailT | null>(null);
  const [error, setError] = useState<StudioClientError | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { busy, error: actionError, run: act } = useAction();
  const modelFields = useModel((s) => s.info?.fields);
  const remove = useLibrary((s) => s.remove);
  const setSource = useSelection((s) => s.setSource);
  const go = useNav((s) => s.go);
  const compareCount = useCompare((s) => s.items.length);
  const openCompare = useCompare((s) => s.setOpen);

  useEffect(() => {
    let live = true;
    setRun(null);
    setError(null);
    client.library
      .get({ runId })
      .then((r) => {
        noteRuns([r]);
        if (live) setRun(r);
      })
      .catch((e) => live && setError(asClientError(e)));
    return () => {
      live = false;
    };
  }, [runId]);

  // K stars the photo that has the focus (its figure handles that), or the only photo of the run.
  const images = useRef<HTMLDivElement>(null);
  const single = run?.images.length === 1;
  useEffect(() => {
    if (!single) return;
    function onKey(e: KeyboardEvent) {
      if (!isKeepKey(e) || modalOpen()) return;
      const button = images.current?.querySelector<HTMLButtonElement>('[data-keep]');
      if (!button) return;
      e.preventDefault();
      button.click();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [single]);

  function title(key: string): string {
    const f = modelFields?.find((x) => x.name === key);
    return f ? fieldTitle(f) : key.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  }


  return (
    <main className="page run-detail" aria-label="Saved run" data-testid="run-detail">
      <div className="page-head">
        <button type="button" className="button button--quiet" onClick={onBack}>
          <IconArrowLeft size={16} /> Gallery
        </button>
        {run ? (
          <div className="page-actions">
            {compareCount ? (
              <button type="button" className="button" disabled={compareCount < 2} title={compareCount < 2 ? 'Tick at least 2 photos' : undefined} onClick={() => openCompare(true)}>
                <IconColumns size={15} /> Compare {compareCount}
              </button>
            ) : null}
            <RemixButton run={run} />
            <ExportButton items={run.images.map((img) => ({ runId: run.id, index: img.index, assetId: img.id, width: img.width, height: img.height }))} label={run.images.length > 1 ? 'Export all…' : 'Export…'} />
            <button type="button" className="button" disabled={busy} onClick={() => void act(() => client.library.reveal({ runId }).then(() => undefined))}>
              <IconFolder size={15} /> Show in folder
            </button>
            {confirmDelete ? (
              <span className="confirm">
                <span>Delete these {run.images.length} photos from disk?</span>
                <button
                  type="button"
                  className="button button--danger"
                  disabled={busy}
                  onClick={() =>
                    void act(async () => {
                      await remove(runId);
                      onBack();
                    })
                  }
                >
                  Delete
                </button>
                <button type="button" className="button button--quiet" onClick={() => setConfirmDelete(false)}>
                  Keep
                </button>
              </span>
            ) : (
              <button type="button" className="button button--quiet-danger" onClick={() => setConfirmDelete(true)}>
                <IconTrash size={15} /> Delete…
              </button>
            )}
          </div>
        ) : null}
      </div>
      {actionError ? <ErrorText>{actionError}</ErrorText> : null}
      {error ? (
        <div className="form-alert" role="alert">
          <ErrorText>{error.code === 'not_found' ? 'This run is no longer in your library (its folder was moved or deleted).' : error.message}</ErrorText>
        </div>
      ) : !run ? (
        <div className="page-loading">
          <Spinner label="Loading the run" />
        </div>
      ) : (
        <div className="run-body">
          <div className={`run-images run-images--${Math.min(run.images.length, 4)}`} ref={images}>
            {run.images.map((img, i) => (
              <figure className="run-image" key={img.id} onKeyDown={keepShortcut}>
                <div className="run-image-frame">
                  <img src={assetUrl(img.id)} alt={`Photo ${i + 1} of “${run.prompt}”`} width={img.width} height={img.height} />
                  <CompareCheck
                    item={{ id: img.id, runId: run.id, width: img.width, height: img.height, index: i, of: run.images.length, prompt: run.prompt || run.label, seed: run.seed }}
                    label={`Compare photo ${i + 1}`}
                  />
                  <KeepButton runId={run.id} assetId={img.id} position={i} kept={img.kept} shortcut />
                </div>
                <figcaption>
                  <span className="muted small">
                    {img.width} × {img.height} · {img.format.toUpperCase()}
                  </span>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setSource({ assetId: img.id, width: img.width, height: img.height, label: `Photo ${i + 1} of ${snippet(run.prompt || run.label)}` });
                      go('studio');
                    }}
                  >
                    Start from this
                  </button>
                  <RevealButton runId={run.id} index={img.index} label={`Show photo ${i + 1} in its folder`} />
                  <PhotoActions runId={run.id} index={img.index} hasPrediction={!!run.predictionId} exportItem={run.images.length > 1 ? { runId: run.id, index: img.index, assetId: img.id, width: img.width, height: img.height } : undefined} />
                </figcaption>
              </figure>
            ))}
            {run.images.length === 0 ? <p className="muted">This run has no photos (they were removed by the safety checker or deleted).</p> : null}
          </div>
          <aside className="run-info" aria-label="Parameters">
            <h2 className="section-title">Prompt</h2>
            <p className="run-info-prompt">{run.prompt}</p>
            <dl className="params-list">
              <Row label="Created">{dateLabel(run.createdAt)}</Row>
              <Row label="Mode">{MODE_LABEL[run.mode]}</Row>
              <Row label="Model" className="break">
                {run.modelRef}
              </Row>
              {run.seed !== null ? (
                <Row label="Seed" className="seed-row">
                  <span className="mono">{run.seed}</span>
                  <button type="button" className="link-button" onClick={() => reuseSeed(run.seed!)}>
                    <IconLock size={12} /> Reuse this seed
                  </button>
                </Row>
              ) : null}
              {run.predictTime !== null ? <Row label="Generation time">{run.predictTime.toFixed(1)} s</Row> : null}
              {Object.entries(run.input)
                .filter(([k]) => k !== 'prompt' && !(k === 'seed' && run.seed !== null))
                .map(([k, v]) => (
                  <Row key={k} label={title(k)} className="break">
                    {k === 'image' ? 'Starting photo' : k === 'mask' ? 'Painted mask' : showValue(v)}
                  </Row>
                ))}
            </dl>
            {run.warnings.length ? (
              <ul className="notes">
                {run.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
            {run.source || run.mask ? (
              <div className="run-sources">
                {run.source ? (
                  <figure>
                    <img src={assetUrl(run.source.id)} alt="Starting photo" />
                    <figcaption className="muted small">Starting photo</figcaption>
                  </figure>
                ) : null}
                {run.mask ? (
                  <figure>
                    <img src={assetUrl(run.mask.id)} alt="Mask (white is repainted)" className="mask-img" />
                    <figcaption className="muted small">Mask</figcaption>
                  </figure>
                ) : null}
              </div>
            ) : null}
          </aside>
        </div>
      )}
    </main>
  );
}
