/**
 * One saved run: its photos, the prompt and every setting that made them (the model's defaults
 * included, run-settings.ts), the model version, and what can be done with it (reuse the
 * settings, start from a photo, show the folder, delete). Esc or Alt+← goes back where the person
 * came from (the gallery grid or the studio); the shell routes between this page and the grid.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ModelInfoT, RunDetailT } from '../../../shared/ipc/contract';
import { asClientError, assetUrl, client, platform, type StudioClientError } from '../../app/client';
import { useModel } from '../params/model-store';
import { useCompare } from '../compare/compare-store';
import { useNav, type View } from '../../app/nav-store';
import { useSelection } from '../studio/selection-store';
import { useToasts } from '../../app/toasts-store';
import { ConfirmDialog, ErrorText, Spinner, isTypingTarget, modalOpen, useAction } from '../../app/controls';
import { IconArrowLeft, IconColumns, IconFolder, IconLock, IconTrash, Svg, type IconProps } from '../../app/icons';
import { MODE_LABEL, dateLabel } from './run-labels';
import { modelName, runSettings, shortVersion, versionRef } from './run-settings';
import { CompareCheck } from '../../components/CompareCheck';
import { reuseSeed } from '../../components/reuse-seed';
import { hasOwnLabel, snippet } from '../../components/photo-card';
import { noteRuns } from '../results/keep';
import { KeepButton, keepShortcut } from '../../components/KeepButton';
import { KEYS, ariaKeys, comboText, hit } from '../shortcuts/keymap';
import { RevealButton } from '../library/RevealButton';
import { ExportButton, PhotoActions, RemixButton } from '../export';

type Fields = ModelInfoT['fields'];

const BACK_LABEL: Record<View, string> = { studio: 'Studio', gallery: 'Gallery', settings: 'Settings', train: 'Train' };

const IconCopy = (p: IconProps) => (
  <Svg {...p}>
    <rect x="9" y="9" width="11" height="11" rx="2" />
    <path d="M5 15V6a2 2 0 0 1 2-2h9" />
  </Svg>
);

/**
 * The input schema of the version the run ran on (its defaults are what the run got for what it
 * did not send). Main caches it, so a run opened offline still has it; when it cannot be had, the
 * current model's, if the run is of that model; else null.
 */
function useRunFields(run: RunDetailT | null): { fields: Fields | null; builtin: boolean; why: string | null } {
  const [got, setGot] = useState<{ ref: string; fields: Fields | null; builtin: boolean; why: string | null } | null>(
    null,
  );
  const current = useModel((s) => s.info);
  const ref = run ? versionRef(run.modelRef, run.version) : null;
  useEffect(() => {
    if (!ref) return;
    let live = true;
    client.models
      .get({ ref })
      .then((info) => live && setGot({ ref, fields: info.fields, builtin: info.source === 'builtin', why: null }))
      .catch((e: unknown) => live && setGot({ ref, fields: null, builtin: false, why: asClientError(e).message }));
    return () => {
      live = false;
    };
  }, [ref]);
  if (!ref || got?.ref !== ref) return { fields: null, builtin: false, why: null };
  if (got.fields) return got;
  const same =
    current &&
    modelName(current.ref) === modelName(ref) &&
    (!run?.version || !current.versionId || current.versionId === run.version);
  return same
    ? { fields: current.fields, builtin: current.source === 'builtin', why: null }
    : { fields: null, builtin: false, why: got.why };
}

function Row({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className="params-row">
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}

/** The model and the version the run ran on: short on the page, the whole id in its title and copied by the button. */
function ModelRows({ run }: { run: RunDetailT }) {
  const show = useToasts((s) => s.show);
  const version = run.version ?? (run.modelRef.includes(':') ? run.modelRef.split(':')[1]! : null);
  return (
    <>
      <Row label="Model" className="break">
        <span data-testid="run-model">{modelName(run.modelRef)}</span>
      </Row>
      <Row label="Version">
        {version ? (
          <span className="run-version">
            <code data-testid="run-version" title={`Version ${version}`}>
              {shortVersion(version)}
            </code>
            <button
              type="button"
              className="icon-button icon-button--small"
              aria-label="Copy the version id"
              title={`Copy the whole version id (${version})`}
              onClick={() => {
                navigator.clipboard
                  .writeText(version)
                  .then(() => show('Version id copied.'))
                  .catch(() =>
                    show('The version id could not be copied. The run’s run.json (Show in folder) has it.', 'error'),
                  );
              }}
            >
              <IconCopy size={13} />
            </button>
          </span>
        ) : (
          <span className="muted">Not recorded</span>
        )}
      </Row>
    </>
  );
}

export function RunDetailView({ runId, backTo, onBack }: { runId: string; backTo: View; onBack(): void }) {
  const [run, setRun] = useState<RunDetailT | null>(null);
  const [error, setError] = useState<StudioClientError | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { busy, error: actionError, run: act } = useAction();
  const { fields, builtin, why } = useRunFields(run);
  const mac = platform() === 'darwin';
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

  // The page's keys (keymap.ts): Esc or Alt+← back; K stars the photo that has the focus (its
  // figure handles that) or the only photo of the run. Not while a dialog or the shortcuts list is
  // open: Esc closes that first.
  const images = useRef<HTMLDivElement>(null);
  const single = run?.images.length === 1;
  const back = useRef(onBack);
  back.current = onBack;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.isComposing || modalOpen() || isTypingTarget(e.target)) return;
      if (hit(KEYS.runBack, e)) {
        e.preventDefault();
        back.current();
        return;
      }
      if (!single || !hit(KEYS.runKeep, e)) return;
      const button = images.current?.querySelector<HTMLButtonElement>('[data-keep]');
      if (!button) return;
      e.preventDefault();
      button.click();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [single]);

  return (
    <main className="page run-detail" aria-labelledby="run-detail-title" data-testid="run-detail">
      <div className="page-head">
        <div className="run-head">
          <button
            type="button"
            className="button button--quiet"
            onClick={onBack}
            title={`Back to the ${BACK_LABEL[backTo]} (${KEYS.runBack.combos.map((c) => comboText(c, mac)).join(' or ')})`}
            aria-keyshortcuts={KEYS.runBack.combos.map((c) => ariaKeys(c, mac)).join(' ')}
          >
            <IconArrowLeft size={16} /> {BACK_LABEL[backTo]}
          </button>
          <h1 id="run-detail-title" tabIndex={-1} className="run-title" title={run?.prompt}>
            {run ? (hasOwnLabel(run) ? run.label : snippet(run.prompt || run.label, 70)) : 'Saved run'}
          </h1>
        </div>
        {run ? (
          <div className="page-actions">
            {compareCount ? (
              <button
                type="button"
                className="button"
                disabled={compareCount < 2}
                title={compareCount < 2 ? 'Tick at least 2 photos' : undefined}
                onClick={() => openCompare(true)}
              >
                <IconColumns size={15} /> Compare {compareCount}
              </button>
            ) : null}
            <RemixButton run={run} />
            <ExportButton
              items={run.images.map((img) => ({
                runId: run.id,
                index: img.index,
                assetId: img.id,
                width: img.width,
                height: img.height,
              }))}
              label={run.images.length > 1 ? 'Export all…' : 'Export…'}
            />
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void act(() => client.library.reveal({ runId }).then(() => undefined))}
            >
              <IconFolder size={15} /> Show in folder
            </button>
            <button
              type="button"
              className="button button--quiet-danger"
              onClick={() => setConfirmDelete(true)}
              aria-haspopup="dialog"
            >
              <IconTrash size={15} /> Delete…
            </button>
          </div>
        ) : null}
      </div>
      {run && confirmDelete ? (
        <ConfirmDialog
          title="Delete this run?"
          subtitle={`${run.images.length === 1 ? 'Its photo is' : `Its ${run.images.length} photos are`} moved to the system trash with its settings.`}
          onCancel={() => setConfirmDelete(false)}
          testId="delete-run"
          action="Delete"
          actionDisabled={busy}
          onAction={() =>
            void act(async () => {
              await client.library.remove({ runId });
              setConfirmDelete(false);
              onBack();
            })
          }
        >
          <p className="confirm-text">
            “{snippet(run.prompt || run.label, 80).slice(1, -1)}”, {dateLabel(run.createdAt)}. Photos you starred are
            deleted too.
          </p>
          {actionError ? <ErrorText>{actionError}</ErrorText> : null}
        </ConfirmDialog>
      ) : null}
      {actionError ? <ErrorText>{actionError}</ErrorText> : null}
      {error ? (
        <div className="form-alert" role="alert">
          <ErrorText>
            {error.code === 'not_found'
              ? 'This run is no longer in your library (its folder was moved or deleted).'
              : error.message}
          </ErrorText>
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
                  <img
                    src={assetUrl(img.id)}
                    alt={`Photo ${i + 1} of “${run.prompt}”`}
                    width={img.width}
                    height={img.height}
                  />
                  <CompareCheck
                    item={{
                      id: img.id,
                      runId: run.id,
                      width: img.width,
                      height: img.height,
                      index: i,
                      of: run.images.length,
                      prompt: run.prompt || run.label,
                      seed: run.seed,
                    }}
                    label={`Compare photo ${i + 1}`}
                  />
                  <KeepButton runId={run.id} assetId={img.id} position={i} kept={img.flag === 'pick'} shortcut />
                </div>
                <figcaption>
                  <span className="muted small">
                    {img.width} × {img.height} · {img.format.toUpperCase()}
                  </span>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setSource({
                        assetId: img.id,
                        width: img.width,
                        height: img.height,
                        label: `Photo ${i + 1} of ${snippet(run.prompt || run.label)}`,
                      });
                      go('studio');
                    }}
                  >
                    Start from this
                  </button>
                  <RevealButton runId={run.id} index={img.index} label={`Show photo ${i + 1} in its folder`} />
                  <PhotoActions
                    runId={run.id}
                    index={img.index}
                    hasPrediction={!!run.predictionId}
                    exportItem={
                      run.images.length > 1
                        ? { runId: run.id, index: img.index, assetId: img.id, width: img.width, height: img.height }
                        : undefined
                    }
                  />
                </figcaption>
              </figure>
            ))}
            {run.images.length === 0 ? (
              <p className="muted">This run has no photos (they were removed by the safety checker or deleted).</p>
            ) : null}
          </div>
          <aside className="run-info" aria-label="Parameters">
            <h2 className="section-title">Prompt</h2>
            <p className="run-info-prompt">{run.prompt}</p>
            <dl className="params-list">
              <Row label="Created">{dateLabel(run.createdAt)}</Row>
              <Row label="Mode">{MODE_LABEL[run.mode]}</Row>
              <ModelRows run={run} />
              {run.seed !== null ? (
                <Row label="Seed" className="seed-row">
                  <span className="mono">{run.seed}</span>
                  <button type="button" className="link-button" onClick={() => reuseSeed(run.seed!)}>
                    <IconLock size={12} /> Reuse this seed
                  </button>
                </Row>
              ) : null}
              {run.predictTime !== null ? <Row label="Generation time">{run.predictTime.toFixed(1)} s</Row> : null}
            </dl>
            <h2 className="section-title">Settings</h2>
            <dl className="params-list" data-testid="run-settings">
              {runSettings(run.input, fields, new Set(run.seed !== null ? ['prompt', 'seed'] : ['prompt'])).map((r) => (
                <div
                  className={`params-row${r.isDefault ? ' is-default' : ''}`}
                  key={r.key}
                  data-setting={r.key}
                  data-default={r.isDefault || undefined}
                >
                  <dt>{r.label}</dt>
                  <dd className="break">
                    <span data-value="">{r.value}</span>
                    {r.isDefault ? (
                      <span className="default-tag" title="Not set for this run: the model used its default">
                        default
                      </span>
                    ) : null}
                  </dd>
                </div>
              ))}
            </dl>
            {!fields ? (
              <p className="muted small" data-testid="defaults-unknown">
                Only the settings this run sent are listed: the defaults of its model version could not be read
                {why ? ` (${why.replace(/\.$/, '')})` : ''}. They are listed once the app can ask Replicate for that
                version.
              </p>
            ) : builtin ? (
              <p className="muted small">
                Defaults are those of the sseelfie-ai schema bundled with the app (Replicate could not be reached).
              </p>
            ) : null}
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
