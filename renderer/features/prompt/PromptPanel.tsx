/**
 * The left panel: the prompt (trigger word, style fragments, recent prompts, length), the
 * photoshoot packs, the parameters form and the Generate button. Generate stays disabled with a
 * reason in words until the request would be valid; main checks again and its field messages
 * land next to the fields. Cmd/Ctrl+Enter generates from anywhere in the studio.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { asClientError, assetUrl, modKeyLabel, type StudioClientError } from '../../app/client';
import { usePrompts } from './prompts-store';
import { useJobs } from '../results/jobs-store';
import { useModel } from '../params/model-store';
import { useSelfies } from '../studio/selfies-store';
import { useSettings } from '../settings/settings-store';
import { useToken } from '../welcome/token-store';
import { useDraft } from '../params/draft-store';
import { useNav } from '../../app/nav-store';
import { useSelection } from '../studio/selection-store';
import { ErrorText, Spinner, modalOpen } from '../../app/controls';
import { IconAlert, IconCamera, IconChevron, IconSparkles, IconX } from '../../app/icons';
import { currentMask, useMaskSession } from '../canvas';
import { ParamsForm } from '../params/ParamsForm';
import { ModelPicker } from '../params/ModelPicker';
import { RestoreBanner } from '../export/RestoreBanner';
import { currentValues } from '../params/logic';
import { modelImageSize, useDraftCheck, useSavedSize } from '../params/useDraftCheck';
import { PACK, STARTER_SCENES, insertTrigger, mentionsTrigger, scenePrompt, triggerFor } from './logic';
import { generateRequest, generateSummary, photoCount } from './generate';
import { LengthMeter, RecentMenu, StyleChips, TriggerChip, TriggerWarning } from './PromptBits';
import { PhotoshootDialog } from './PhotoshootDialog';
import './prompt-panel.css';

/** Loads the model's schema, and again when Settings switch the default model. */
export function useModelForSettings(): void {
  const defaultModel = useSettings((s) => s.settings?.defaultModel);
  const requestedFor = useModel((s) => s.requestedFor);
  const load = useModel((s) => s.load);
  useEffect(() => {
    if (defaultModel && requestedFor !== defaultModel) void load({ forDefault: defaultModel });
  }, [defaultModel, requestedFor, load]);
}

function ModelLine() {
  const info = useModel((s) => s.info);
  const loading = useModel((s) => s.loading);
  const error = useModel((s) => s.error);
  const load = useModel((s) => s.load);
  if (error && !info) {
    return (
      <div className="model-line model-line--error" role="alert">
        <ErrorText>{error.message}</ErrorText>
        <button type="button" className="link-button" onClick={() => void load({ refresh: true })}>
          Try again
        </button>
      </div>
    );
  }
  if (!info) {
    return (
      <div className="model-line">
        <Spinner /> Loading the model’s settings…
      </div>
    );
  }
  return (
    <div className="model-line">
      <span className="model-name" title={info.versionId ? `version ${info.versionId}` : undefined}>
        {info.ref}
      </span>
      {loading ? <Spinner /> : null}
      <ModelPicker />
      {info.warning || info.source === 'builtin' ? (
        <p className="model-warning">
          <IconAlert size={13} />
          <span>{info.warning ?? 'Using the built-in settings of sseelfie-ai; Replicate could not be reached.'}</span>
        </p>
      ) : null}
    </div>
  );
}

export function PromptPanel() {
  useModelForSettings();
  const prompt = useDraft((s) => s.prompt);
  const values = useDraft((s) => s.values);
  const setPrompt = useDraft((s) => s.setPrompt);
  const setServerIssues = useDraft((s) => s.setServerIssues);
  const source = useSelection((s) => s.source);
  const setSource = useSelection((s) => s.setSource);
  const hasToken = useToken((s) => s.status?.hasToken ?? false);
  const info = useModel((s) => s.info);
  const modelError = useModel((s) => s.error);
  const triggerWords = useSettings((s) => s.settings?.triggerWords);
  const keepOutside = useMaskSession((s) => s.keepOutside);
  const start = useJobs((s) => s.start);
  const go = useNav((s) => s.go);
  const check = useDraftCheck();
  // The size the photos will be saved at (keep-outside: the starting photo's own size).
  const saved = useSavedSize(check?.result.plan);
  const [busy, setBusy] = useState(false);
  // A double click delivers two clicks before React re-renders with busy: the ref says "already
  // sending" at once. (Main also treats an identical request moments later as the same press.)
  const sending = useRef(false);
  const [error, setError] = useState<StudioClientError | null>(null);
  const [packOpen, setPackOpen] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  const tw = triggerFor(triggerWords, info);
  const promptIssue = check?.issues.prompt;
  const hasPrompt = prompt.trim().length > 0;
  const cur = check ? currentValues(check.schema.fields, values) : {};

  let reason: string | null = null;
  if (!hasToken) reason = 'Add your Replicate API token in Settings to generate.';
  else if (!check)
    reason = modelError
      ? 'The model’s settings could not be loaded; see the message above.'
      : 'Loading the model’s settings…';
  else if (!hasPrompt) reason = 'Write a prompt to generate.';
  else if (!check.result.ok) reason = 'Fix the settings marked in red to generate.';

  async function generate() {
    if (reason || !check || sending.current) return;
    sending.current = true;
    setBusy(true);
    setError(null);
    const d = useDraft.getState();
    const mask = source ? currentMask(source.assetId) : null;
    const req = generateRequest(
      check.schema,
      d,
      source,
      modelImageSize(source, useSelfies.getState().list),
      mask,
      keepOutside,
    );
    try {
      await start(req);
      void usePrompts.getState().refresh();
    } catch (e) {
      const err = asClientError(e);
      if (err.fields.length) setServerIssues(err.fields);
      setError(err);
    } finally {
      sending.current = false;
      setBusy(false);
    }
  }

  // Cmd/Ctrl+Enter from anywhere in the studio (not from a dialog or a small editor).
  const generateRef = useRef(generate);
  generateRef.current = generate;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (
        e.key !== 'Enter' ||
        !(e.metaKey || e.ctrlKey) ||
        e.altKey ||
        e.shiftKey ||
        e.defaultPrevented ||
        e.isComposing
      )
        return;
      if (modalOpen()) return;
      const t = e.target as Element | null;
      if (t && typeof t.closest === 'function' && t.closest('[data-no-shortcuts]')) return;
      e.preventDefault();
      void generateRef.current();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The trigger chip: the word goes in at the caret (or is selected where it already is).
  function insertWord(word: string) {
    const el = textarea.current;
    const current = useDraft.getState().prompt;
    const r = insertTrigger(current, word, el ? { start: el.selectionStart, end: el.selectionEnd } : undefined);
    if (r.text !== current) setPrompt(r.text);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(r.start, r.end);
    });
  }

  const count = check ? photoCount(values, check.schema) : 1;
  const seed = typeof values.seed === 'number' ? values.seed : undefined;

  return (
    <div className="prompt-panel">
      <div className="panel-scroll">
        <RestoreBanner />
        <section className="prompt-section" aria-label="Prompt">
          <ModelLine />
          <div className={`field prompt-field${hasPrompt && promptIssue ? ' field--invalid' : ''}`}>
            <div className="field-head">
              <label className="field-label" htmlFor={`${id}-prompt`}>
                Describe the photo
              </label>
              <RecentMenu
                onPick={(p) => {
                  setPrompt(p);
                  textarea.current?.focus();
                }}
              />
            </div>
            <TriggerChip
              model={info}
              triggerWord={tw}
              inPrompt={!!tw && mentionsTrigger(prompt, tw)}
              onInsert={insertWord}
            />
            <textarea
              ref={textarea}
              id={`${id}-prompt`}
              className="textarea"
              rows={5}
              value={prompt}
              placeholder={`e.g. ${scenePrompt(STARTER_SCENES[0] ?? PACK.scenes[0]!, tw)}`}
              onChange={(e) => setPrompt(e.target.value)}
              aria-describedby={`${id}-reason`}
              aria-keyshortcuts="Control+Enter Meta+Enter"
            />
            {hasPrompt && promptIssue ? <ErrorText>{promptIssue}</ErrorText> : null}
            <TriggerWarning prompt={prompt} triggerWord={tw} onFix={setPrompt} />
            <LengthMeter prompt={prompt} model={cur.model} />
          </div>
          <StyleChips prompt={prompt} onChange={setPrompt} />
          {!hasPrompt ? (
            <div className="suggestions" role="group" aria-label="Start from a scene">
              <span className="suggestions-label">Scenes</span>
              {STARTER_SCENES.map((s) => (
                <button
                  key={s.id}
                  type="button"
                  className="scene-chip"
                  title={scenePrompt(s, tw)}
                  onClick={() => setPrompt(scenePrompt(s, tw))}
                >
                  {s.title}
                </button>
              ))}
            </div>
          ) : null}
          <button
            type="button"
            className="pack-button"
            onClick={() => setPackOpen(true)}
            disabled={!check}
            aria-haspopup="dialog"
          >
            <span className="pack-icon">
              <IconCamera size={18} />
            </span>
            <span className="pack-text">
              <span className="pack-title">Photoshoot…</span>
              <span className="pack-sub">{PACK.scenes.length} brand scenes, one photo each, in one click</span>
            </span>
            <IconChevron size={14} />
          </button>
          {source ? (
            <div className="source-chip">
              <img src={assetUrl(source.assetId)} alt="" width={36} height={36} />
              <div>
                <p className="source-title">Starting from a photo</p>
                <p className="muted small">
                  {source.label} · {source.width} × {source.height}
                </p>
              </div>
              <button
                type="button"
                className="icon-button"
                aria-label="Stop starting from this photo"
                title="Start from scratch"
                onClick={() => setSource(null)}
              >
                <IconX size={14} />
              </button>
            </div>
          ) : null}
        </section>
        <ParamsForm />
      </div>
      <div className="generate-bar">
        {error ? (
          <div role="alert" className="form-alert">
            <ErrorText>{error.message}</ErrorText>
            {error.code === 'unauthenticated' ? (
              <button type="button" className="link-button" onClick={() => go('settings')}>
                Open Settings
              </button>
            ) : null}
          </div>
        ) : null}
        <button
          type="button"
          className="button button--primary button--large button--block"
          disabled={!!reason || busy}
          aria-describedby={`${id}-reason`}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          title={`Generate (${modKeyLabel()}Enter)`}
          onClick={() => void generate()}
        >
          {busy ? <Spinner /> : <IconSparkles size={16} />}
          {busy ? 'Starting…' : 'Generate'}
          {!busy ? (
            <kbd className="kbd-hint" aria-hidden="true">
              {modKeyLabel()}↵
            </kbd>
          ) : null}
        </button>
        <p className="generate-reason" id={`${id}-reason`} aria-live="polite" data-testid="generate-summary">
          {reason ??
            (check
              ? generateSummary(
                  { mode: check.result.plan.mode, width: saved?.width ?? null, height: saved?.height ?? null },
                  count,
                  seed,
                )
              : '')}
        </p>
      </div>
      {packOpen && check ? (
        <PhotoshootDialog schema={check.schema} triggerWord={tw} onClose={() => setPackOpen(false)} />
      ) : null}
    </div>
  );
}
