/**
 * The left panel: the prompt, a few starting scenes, the parameters form and the Generate button.
 * Generate stays disabled with a reason in words until the request would be valid; main checks
 * again and its field messages land next to the fields.
 */
import { useEffect, useId, useState } from 'react';
import type { Req } from '../../../shared/ipc/contract';
import { asClientError, assetUrl, client, modKeyLabel, useJobs, useModel, useSettings, useToken, type StudioClientError } from '../../store/studio';
import { useDraft, useNav, useSelection } from '../../store/ui';
import { ErrorText, Spinner } from '../../app/controls';
import { IconAlert, IconSparkles, IconX } from '../../app/icons';
import { ParamsForm } from '../params/ParamsForm';
import { requestInput } from '../params/logic';
import { useDraftCheck } from '../params/useDraftCheck';
import { SCENES, mentionsTrigger, scenePrompt } from './scenes';

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
  const go = useNav((s) => s.go);
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
      <button type="button" className="link-button link-button--muted" onClick={() => go('settings')}>
        Change
      </button>
      {info.warning || info.source === 'builtin' ? (
        <p className="model-warning">
          <IconAlert size={13} />
          <span>{info.warning ?? 'Using the built-in settings of sseelfie-ai; Replicate could not be reached.'}</span>
        </p>
      ) : null}
    </div>
  );
}

/** Prompts used before (main keeps them with the library), newest first. */
function useRecentPrompts(refreshKey: number): string[] {
  const [recent, setRecent] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    client.prompts
      .recent()
      .then((r) => live && setRecent(r.slice(0, 4)))
      .catch(() => undefined); // suggestions only: nothing to tell the person
    return () => {
      live = false;
    };
  }, [refreshKey]);
  return recent;
}

export function PromptPanel() {
  useModelForSettings();
  const runs = useJobs((s) => Object.keys(s.byId).length);
  const recent = useRecentPrompts(runs);
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
  const start = useJobs((s) => s.start);
  const go = useNav((s) => s.go);
  const check = useDraftCheck();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<StudioClientError | null>(null);
  const id = useId();

  const tw = info && triggerWords ? (triggerWords[info.ref] ?? triggerWords[`${info.owner}/${info.name}`]) : undefined;
  const promptIssue = check?.issues.prompt;
  const hasPrompt = prompt.trim().length > 0;

  let reason: string | null = null;
  if (!hasToken) reason = 'Add your Replicate API token in Settings to generate.';
  else if (!check) reason = modelError ? 'The model’s settings could not be loaded; see the message above.' : 'Loading the model’s settings…';
  else if (!hasPrompt) reason = 'Write a prompt to generate.';
  else if (!check.result.ok) reason = 'Fix the settings marked in red to generate.';

  async function generate() {
    if (reason || !check || busy) return;
    setBusy(true);
    setError(null);
    const size = source ? { width: source.width, height: source.height } : null;
    const req: Req<'jobs:start'> = { input: requestInput(check.schema, useDraft.getState(), size) };
    if (source) req.image = { assetId: source.assetId };
    try {
      await start(req);
    } catch (e) {
      const err = asClientError(e);
      if (err.fields.length) setServerIssues(err.fields);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="prompt-panel">
      <div className="panel-scroll">
        <section className="prompt-section" aria-label="Prompt">
          <ModelLine />
          <div className={`field${hasPrompt && promptIssue ? ' field--invalid' : ''}`}>
            <div className="field-head">
              <label className="field-label" htmlFor={`${id}-prompt`}>
                Describe the photo
              </label>
              <span className="field-range">{modKeyLabel()}Enter to generate</span>
            </div>
            <textarea
              id={`${id}-prompt`}
              className="textarea"
              rows={5}
              value={prompt}
              placeholder={`e.g. ${scenePrompt(SCENES[0]!, tw)}`}
              onChange={(e) => setPrompt(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
                  e.preventDefault();
                  void generate();
                }
              }}
              aria-describedby={`${id}-reason`}
            />
            {hasPrompt && promptIssue ? <ErrorText>{promptIssue}</ErrorText> : null}
            {tw && hasPrompt && !mentionsTrigger(prompt, tw) ? (
              <p className="field-help hint">
                Include your trigger word <code>{tw}</code> so the model draws you.{' '}
                <button type="button" className="link-button" onClick={() => setPrompt(`${tw}, ${prompt.trim()}`)}>
                  Add it
                </button>
              </p>
            ) : null}
          </div>
          {!hasPrompt && recent.length ? (
            <div className="suggestions" role="group" aria-label="Recent prompts">
              <span className="suggestions-label">Recent</span>
              {recent.map((p) => (
                <button key={p} type="button" className="scene-chip scene-chip--recent" title={p} onClick={() => setPrompt(p)}>
                  {p.length > 40 ? `${p.slice(0, 38).trimEnd()}…` : p}
                </button>
              ))}
            </div>
          ) : null}
          {!hasPrompt ? (
            <div className="suggestions" role="group" aria-label="Start from a scene">
              <span className="suggestions-label">Scenes</span>
              {SCENES.map((s) => (
                <button key={s.title} type="button" className="scene-chip" onClick={() => setPrompt(scenePrompt(s, tw))}>
                  {s.title}
                </button>
              ))}
            </div>
          ) : null}
          {source ? (
            <div className="source-chip">
              <img src={assetUrl(source.assetId)} alt="" width={36} height={36} />
              <div>
                <p className="source-title">Starting from a photo</p>
                <p className="muted small">
                  {source.label} · {source.width} × {source.height}
                </p>
              </div>
              <button type="button" className="icon-button" aria-label="Stop starting from this photo" title="Start from scratch" onClick={() => setSource(null)}>
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
          onClick={() => void generate()}
        >
          {busy ? <Spinner /> : <IconSparkles size={16} />}
          {busy ? 'Starting…' : 'Generate'}
        </button>
        <p className="generate-reason" id={`${id}-reason`} aria-live="polite">
          {reason ?? (check ? summary(check.result.plan, values, check.schema) : '')}
        </p>
      </div>
    </div>
  );
}

function summary(plan: { width: number | null; height: number | null }, values: Record<string, unknown>, schema: { fields: Array<{ name: string; default?: unknown }> }): string {
  const n = values.num_outputs ?? schema.fields.find((f) => f.name === 'num_outputs')?.default ?? 1;
  const size = plan.width && plan.height ? ` at ${plan.width} × ${plan.height}` : '';
  return `${n} ${n === 1 ? 'photo' : 'photos'}${size}. Billed to your Replicate account.`;
}
