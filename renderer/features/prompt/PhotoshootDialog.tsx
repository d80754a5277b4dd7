/**
 * A whole photoshoot in one click: the shipped brand scenes grouped by category, each with its
 * recommended aspect ratio and real pixel size. Pick several (or a whole category) and "Queue N
 * photos" starts one job per scene: the scene's prompt with the trigger word, the style fragments
 * that are on, the scene's aspect ratio, and the rest of the current settings.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelSchema } from '../../../shared/model/schema';
import { asClientError } from '../../app/client';
import { usePrompts } from './prompts-store';
import { useJobs } from '../results/jobs-store';
import { useToken } from '../welcome/token-store';
import { useDraft } from '../params/draft-store';
import { useSelection } from '../studio/selection-store';
import { useToasts } from '../../app/toasts-store';
import { ErrorText, Modal, Spinner } from '../../app/controls';
import { IconCamera } from '../../app/icons';
import { aspectSize, currentValues } from '../params/logic';
import { activeFragments, PACK, scenePrompt, scenesByCategory, type Scene } from './logic';
import { packProblem, packRequests, photoCount } from './generate';
import './photoshoot.css';

function AspectGlyph({ aspect }: { aspect: string }) {
  const m = /^(\d+):(\d+)$/.exec(aspect);
  const w = m ? Number(m[1]) : 1;
  const h = m ? Number(m[2]) : 1;
  const s = 14 / Math.max(w, h);
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" className="aspect-glyph">
      <rect x={(16 - w * s) / 2} y={(16 - h * s) / 2} width={w * s} height={h * s} rx="1.5" />
    </svg>
  );
}

/** A checkbox that can show "some selected" (a category header). */
function TriCheckbox({
  checked,
  mixed,
  onChange,
  label,
}: {
  checked: boolean;
  mixed: boolean;
  onChange(v: boolean): void;
  label: string;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = mixed;
  }, [mixed]);
  return (
    <input
      ref={ref}
      type="checkbox"
      checked={checked}
      aria-checked={mixed ? 'mixed' : checked}
      aria-label={label}
      onChange={(e) => onChange(e.target.checked)}
    />
  );
}

export function PhotoshootDialog({
  schema,
  triggerWord,
  onClose,
}: {
  schema: ModelSchema;
  triggerWord: string | undefined;
  onClose(): void;
}) {
  const draft = useDraft(useShallow((s) => ({ prompt: s.prompt, values: s.values, raw: s.raw })));
  const hasSource = useSelection((s) => !!s.source);
  const hasToken = useToken((s) => s.status?.hasToken ?? false);
  const start = useJobs((s) => s.start);
  const show = useToasts((s) => s.show);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const groups = useMemo(() => scenesByCategory(PACK.scenes), []);
  const cur = currentValues(schema.fields, draft.values);
  const scenes = PACK.scenes.filter((s) => picked.has(s.id));
  const perScene = photoCount(draft.values, schema);
  const total = scenes.length * perScene;
  const styles = activeFragments(draft.prompt);
  const problem = !hasToken
    ? 'Add your Replicate API token in Settings to generate.'
    : packProblem(schema, draft, scenes, triggerWord);
  const allIds = PACK.scenes.map((s) => s.id);

  function setMany(ids: readonly string[], on: boolean) {
    setPicked((prev) => {
      const next = new Set(prev);
      for (const i of ids) {
        if (on) next.add(i);
        else next.delete(i);
      }
      return next;
    });
  }

  async function queue() {
    if (problem || busy) return;
    const reqs = packRequests(schema, draft, scenes, triggerWord);
    setError(null);
    setBusy({ done: 0, total: reqs.length });
    const failed: string[] = [];
    let firstError: string | null = null;
    for (let i = 0; i < reqs.length; i++) {
      try {
        await start(reqs[i]!);
      } catch (e) {
        const err = asClientError(e);
        failed.push(scenes[i]!.title);
        firstError ??= err.message;
        // Nothing else would get through either.
        if (err.code === 'unauthenticated' || err.code === 'locked' || err.code === 'insufficient_credit') break;
      }
      setBusy({ done: i + 1, total: reqs.length });
    }
    setBusy(null);
    void usePrompts.getState().refresh();
    const queued = reqs.length - failed.length;
    if (!failed.length) {
      show(`Queued ${reqs.length} ${reqs.length === 1 ? 'scene' : 'scenes'}: they show up in Results as they finish.`);
      onClose();
      return;
    }
    setError(
      `${queued ? `Queued ${queued}; ` : ''}${failed.length === 1 ? `“${failed[0]}” was` : `${failed.length} scenes were`} not queued: ${firstError}`,
    );
    setPicked(
      new Set(
        failed.length === reqs.length ? picked : PACK.scenes.filter((s) => failed.includes(s.title)).map((s) => s.id),
      ),
    );
  }

  const label = busy
    ? `Queuing ${busy.done + 1 > busy.total ? busy.total : busy.done + 1} of ${busy.total}…`
    : total
      ? `Queue ${total} ${total === 1 ? 'photo' : 'photos'}`
      : 'Queue photos';

  return (
    <Modal
      title={
        <>
          <IconCamera size={18} /> {PACK.title}
        </>
      }
      subtitle={`${PACK.scenes.length} scenes for your website, a launch and LinkedIn. Each one you pick becomes its own photo at the size that suits it.`}
      onClose={() => (busy ? undefined : onClose())}
      className="photoshoot"
      testId="photoshoot"
      footer={
        <>
          <div className="photoshoot-summary" id={`${id}-summary`} aria-live="polite">
            {problem && scenes.length ? (
              <ErrorText>{problem}</ErrorText>
            ) : (
              <p>
                {scenes.length ? (
                  <>
                    <strong>{scenes.length}</strong> {scenes.length === 1 ? 'scene' : 'scenes'}
                    {perScene > 1 ? ` × ${perScene} photos` : ''}
                  </>
                ) : (
                  'Pick the scenes you want'
                )}
                {' · '}
                {String(cur.model ?? 'dev') === 'schnell' ? 'Schnell' : 'Dev'}
                {typeof cur.num_inference_steps === 'number' ? `, ${cur.num_inference_steps} steps` : ''}
                {styles.length ? ` · with ${styles.map((f) => f.label.toLowerCase()).join(', ')}` : ''}
                {' · Billed to your Replicate account'}
              </p>
            )}
            {hasSource ? (
              <p className="muted small">Scenes start from their prompt, not from the photo on the canvas.</p>
            ) : null}
            {error ? <ErrorText>{error}</ErrorText> : null}
          </div>
          <div className="button-row">
            <button type="button" className="button" onClick={onClose} disabled={!!busy}>
              Cancel
            </button>
            <button
              type="button"
              className="button button--primary"
              disabled={!!problem || !!busy}
              aria-describedby={`${id}-summary`}
              onClick={() => void queue()}
            >
              {busy ? <Spinner /> : null}
              {label}
            </button>
          </div>
        </>
      }
    >
      <div className="photoshoot-tools">
        <span className="muted small">
          <code>{triggerWord ?? 'a person'}</code> stands in for you in every scene.
        </span>
        <span className="photoshoot-tools-end">
          <button
            type="button"
            className="link-button"
            onClick={() => setMany(allIds, true)}
            disabled={picked.size === allIds.length}
          >
            Select all
          </button>
          <button
            type="button"
            className="link-button link-button--muted"
            onClick={() => setPicked(new Set())}
            disabled={!picked.size}
          >
            Clear
          </button>
        </span>
      </div>
      {groups.map((g) => {
        const ids = g.scenes.map((s) => s.id);
        const n = ids.filter((x) => picked.has(x)).length;
        return (
          <section key={g.category} className="scene-group" aria-labelledby={`${id}-${g.category}`}>
            <header className="scene-group-head">
              <label className="checkbox">
                <TriCheckbox
                  checked={n === ids.length}
                  mixed={n > 0 && n < ids.length}
                  onChange={(on) => setMany(ids, on)}
                  label={`Select all ${g.category}`}
                />
                <span id={`${id}-${g.category}`} className="scene-group-title">
                  {g.category}
                </span>
              </label>
              <span className="muted small">{n ? `${n} of ${ids.length}` : `${ids.length} scenes`}</span>
            </header>
            <ul className="scene-grid">
              {g.scenes.map((s) => (
                <SceneOption
                  key={s.id}
                  scene={s}
                  triggerWord={triggerWord}
                  megapixels={cur.megapixels}
                  checked={picked.has(s.id)}
                  onChange={(on) => setMany([s.id], on)}
                />
              ))}
            </ul>
          </section>
        );
      })}
    </Modal>
  );
}

function SceneOption({
  scene,
  triggerWord,
  megapixels,
  checked,
  onChange,
}: {
  scene: Scene;
  triggerWord: string | undefined;
  megapixels: unknown;
  checked: boolean;
  onChange(v: boolean): void;
}) {
  const size = aspectSize(scene.aspect_ratio, megapixels);
  const id = useId();
  return (
    <li className={`scene-option${checked ? ' is-checked' : ''}`}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-prompt`}
      />
      <label htmlFor={id} className="scene-option-body">
        <span className="scene-option-head">
          <span className="scene-option-title">{scene.title}</span>
          <span className="scene-option-size" title={`Recommended aspect ratio ${scene.aspect_ratio}`}>
            <AspectGlyph aspect={scene.aspect_ratio} />
            {scene.aspect_ratio}
            {size ? (
              <span className="muted">
                {' '}
                · {size.width} × {size.height}
              </span>
            ) : null}
          </span>
        </span>
        <span className="scene-option-prompt" id={`${id}-prompt`}>
          {scenePrompt(scene, triggerWord)}
        </span>
      </label>
    </li>
  );
}
