/**
 * Settings: the Replicate token (account, where it is kept, Replace / Remove), the library folder,
 * the default model and how generations run, the theme, and the API address under Advanced.
 * Every change goes to main (`settings.update`), which validates it; its field messages show inline.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { Req } from '../../../shared/ipc/contract';
import { asClientError, client } from '../../app/client';
import { useSettings } from './settings-store';
import { useToken } from '../welcome/token-store';
import { Disclosure, ErrorText, Segmented, Spinner } from '../../app/controls';
import { IconCheck, IconFolder, IconKey } from '../../app/icons';
import { TokenForm, accountLabel, storageLabel } from '../welcome/TokenForm';
import { ApiBaseUrlField } from './ApiBaseUrlField';
import { PreviousLibraryNotice } from '../library/PreviousLibraryNotice';

function Section({
  title,
  description,
  children,
  id,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  id?: string;
}) {
  const hid = useId();
  return (
    <section className="settings-section" aria-labelledby={hid} id={id}>
      <div className="settings-section-head">
        <h2 id={hid} className="section-title">
          {title}
        </h2>
        {description ? <p className="muted small">{description}</p> : null}
      </div>
      <div className="settings-card">{children}</div>
    </section>
  );
}

function Row({
  label,
  help,
  children,
  labelFor,
}: {
  label: ReactNode;
  help?: ReactNode;
  children: ReactNode;
  labelFor?: string;
}) {
  return (
    <div className="settings-row">
      <div className="settings-row-text">
        {labelFor ? (
          <label className="settings-label" htmlFor={labelFor}>
            {label}
          </label>
        ) : (
          <span className="settings-label">{label}</span>
        )}
        {help ? <div className="muted small">{help}</div> : null}
      </div>
      <div className="settings-row-control">{children}</div>
    </div>
  );
}

function TokenSection() {
  const status = useToken((s) => s.status);
  const clear = useToken((s) => s.clear);
  const [mode, setMode] = useState<'view' | 'replace' | 'confirm-remove'>('view');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [justSaved, setJustSaved] = useState(false);
  if (!status) return null;

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await clear();
      setMode('view');
      setJustSaved(false);
    } catch (e) {
      setError(asClientError(e).message);
    } finally {
      setBusy(false);
    }
  }

  if (!status.hasToken || mode === 'replace') {
    return (
      <div className="settings-pad">
        {!status.hasToken ? (
          <p className="settings-lead">
            Add your Replicate API token to generate photos. Your gallery works without it.
          </p>
        ) : null}
        <TokenForm
          insecureBackend={status.insecureBackend}
          submitLabel={status.hasToken ? 'Replace token' : 'Save token'}
          onCancel={status.hasToken ? () => setMode('view') : undefined}
          onSaved={() => {
            setMode('view');
            setJustSaved(true);
          }}
        />
      </div>
    );
  }

  return (
    <>
      <Row
        label={
          <span className="account-line" data-testid="settings-account">
            <span className="avatar avatar--large" aria-hidden="true">
              {(status.account?.name ?? status.account?.username ?? '?').slice(0, 1).toUpperCase()}
            </span>
            <span>
              <span className="account-name">{status.account ? accountLabel(status) : 'Replicate account'}</span>
              <span className="muted small block">
                <IconKey size={12} /> {storageLabel(status.storage)}
              </span>
            </span>
          </span>
        }
      >
        {status.storage === 'env' ? (
          <span className="muted small">Set outside the app</span>
        ) : mode === 'confirm-remove' ? (
          <span className="confirm">
            <span>Remove the token from this computer?</span>
            <button type="button" className="button button--danger" onClick={() => void remove()} disabled={busy}>
              {busy ? <Spinner /> : null}
              Remove
            </button>
            <button type="button" className="button button--quiet" onClick={() => setMode('view')} disabled={busy}>
              Keep
            </button>
          </span>
        ) : (
          <span className="button-row">
            <button type="button" className="button" onClick={() => setMode('replace')}>
              Replace…
            </button>
            <button type="button" className="button button--quiet-danger" onClick={() => setMode('confirm-remove')}>
              Remove
            </button>
          </span>
        )}
      </Row>
      {justSaved ? (
        <p className="field-ok settings-pad-x" role="status">
          <IconCheck size={14} /> Token saved.
        </p>
      ) : null}
      {status.storage === 'session' && status.insecureBackend ? (
        <p className="settings-note">
          This computer has no keychain, so the token is kept only until you quit. Use Replace to store it anyway.
        </p>
      ) : null}
      {error ? <ErrorText>{error}</ErrorText> : null}
    </>
  );
}

/** A text setting saved with its own Save button; main's message shows under it. */
function TextSetting({
  label,
  help,
  value,
  toPatch,
  field,
  inputMode,
  width,
}: {
  label: string;
  help: ReactNode;
  value: string;
  toPatch(text: string): Req<'settings:update'> | string;
  field: string;
  inputMode?: 'numeric' | 'text';
  width?: 'narrow';
}) {
  const update = useSettings((s) => s.update);
  const [text, setText] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const id = useId();
  useEffect(() => setText(value), [value]);
  const dirty = text.trim() !== value;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const patch = toPatch(text.trim());
    if (typeof patch === 'string') {
      setError(patch);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await update(patch);
      setSaved(true);
    } catch (err) {
      const ce = asClientError(err);
      setError(ce.fieldMessage(field) ?? ce.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="settings-row" onSubmit={onSubmit} noValidate>
      <div className="settings-row-text">
        <label className="settings-label" htmlFor={`${id}-in`}>
          {label}
        </label>
        <div className="muted small" id={`${id}-help`}>
          {help}
        </div>
        {error ? <ErrorText id={`${id}-err`}>{error}</ErrorText> : null}
      </div>
      <div className="settings-row-control">
        <input
          id={`${id}-in`}
          className={`input${width === 'narrow' ? ' input--narrow' : ''}${inputMode === 'numeric' ? '' : ' mono'}`}
          value={text}
          inputMode={inputMode}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-help${error ? ` ${id}-err` : ''}`}
          onChange={(e) => {
            setText(e.target.value);
            setSaved(false);
            setError(null);
          }}
        />
        {dirty ? (
          <button type="submit" className="button" disabled={busy}>
            {busy ? <Spinner /> : null}
            Save
          </button>
        ) : saved ? (
          <span className="field-ok" role="status">
            <IconCheck size={14} /> Saved
          </span>
        ) : null}
      </div>
    </form>
  );
}

function AboutRow() {
  const [info, setInfo] = useState<{ version: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.app
      .info()
      .then((i) => setInfo(i))
      .catch(() => setInfo(null));
  }, []);
  return (
    <Row
      label="Logs"
      help={`A log of what the app did (never your token or photos), to send if something goes wrong.${info ? ` Version ${info.version}.` : ''}`}
    >
      <button
        type="button"
        className="button"
        onClick={() =>
          void client.app.showLogs().catch((e) => {
            setError(asClientError(e).message);
          })
        }
      >
        Show logs
      </button>
      {error ? <ErrorText>{error}</ErrorText> : null}
    </Row>
  );
}

export function SettingsView() {
  const settings = useSettings((s) => s.settings);
  const loadError = useSettings((s) => s.error);
  const update = useSettings((s) => s.update);
  const chooseLibrary = useSettings((s) => s.chooseLibrary);
  const useDefaultLibrary = useSettings((s) => s.useDefaultLibrary);
  const [error, setError] = useState<string | null>(null);
  const [libBusy, setLibBusy] = useState(false);
  const themeLabel = useId();
  const concLabel = useId();

  function switchLibrary(how: () => Promise<unknown>) {
    setLibBusy(true);
    setError(null);
    how()
      .catch((e) => setError(asClientError(e).message))
      .finally(() => setLibBusy(false));
  }

  async function patch(p: Req<'settings:update'>) {
    setError(null);
    try {
      await update(p);
    } catch (e) {
      setError(asClientError(e).message);
    }
  }

  return (
    <main className="page settings" aria-labelledby="settings-title" data-testid="settings">
      <div className="page-head">
        <h1 id="settings-title">Settings</h1>
      </div>
      {loadError && !settings ? <ErrorText>{loadError.message}</ErrorText> : null}
      {error ? (
        <div role="alert" className="form-alert">
          <ErrorText>{error}</ErrorText>
        </div>
      ) : null}
      <div className="settings-columns">
        <Section title="Replicate account" description="Photos are generated on Replicate and billed to this account.">
          <TokenSection />
        </Section>

        {settings ? (
          <>
            <Section title="Library" description="Every photo is saved here with the settings that made it.">
              <Row label="Library folder" help={<span className="mono break">{settings.libraryDir}</span>}>
                {settings.libraryIsDefault ? <span className="badge">Default</span> : null}
                <button
                  type="button"
                  className="button"
                  disabled={libBusy}
                  onClick={() => switchLibrary(chooseLibrary)}
                >
                  <IconFolder size={15} /> Change…
                </button>
                <button
                  type="button"
                  className="button button--quiet"
                  disabled={libBusy || settings.libraryIsDefault}
                  title={
                    settings.libraryIsDefault
                      ? 'The library is in the default folder already'
                      : 'Go back to the default library folder, in your Pictures folder'
                  }
                  onClick={() => switchLibrary(useDefaultLibrary)}
                >
                  Use the default folder
                </button>
              </Row>
              <div className="settings-pad-x">
                <PreviousLibraryNotice />
              </div>
            </Section>

            <Section title="Generation">
              <TextSetting
                label="Default model"
                field="defaultModel"
                value={settings.defaultModel}
                help="Your FLUX LoRA model on Replicate, as owner/name (or owner/name:version)."
                toPatch={(t) =>
                  t ? { defaultModel: t } : 'Write the model as owner/name, e.g. sandrasocial/sseelfie-ai.'
                }
              />
              <Row
                label={<span id={concLabel}>Generations at once</span>}
                help="How many runs go to Replicate at the same time; more are queued."
              >
                <Segmented
                  labelledBy={concLabel}
                  options={[1, 2, 3, 4].map((n) => ({ value: n, label: String(n) }))}
                  value={settings.concurrency}
                  onChange={(n) => void patch({ concurrency: n })}
                />
              </Row>
              <TextSetting
                label="Keep uploads for (minutes)"
                field="uploadRetentionMinutes"
                inputMode="numeric"
                width="narrow"
                value={String(settings.uploadRetentionMinutes)}
                help="How long a starting photo stays on Replicate’s file storage, so it is not uploaded twice. 0 deletes it right after the run."
                toPatch={(t) => {
                  const n = Number(t);
                  if (!/^\d+$/.test(t) || n > 1440) return 'Use a whole number of minutes from 0 to 1440 (24 hours).';
                  return { uploadRetentionMinutes: n };
                }}
              />
            </Section>

            <Section title="Appearance">
              <Row label={<span id={themeLabel}>Theme</span>} help="System follows your computer’s light or dark mode.">
                <Segmented
                  labelledBy={themeLabel}
                  options={[
                    { value: 'system', label: 'System' },
                    { value: 'light', label: 'Light' },
                    { value: 'dark', label: 'Dark' },
                  ]}
                  value={settings.theme}
                  onChange={(t) => void patch({ theme: t })}
                />
              </Row>
            </Section>

            <Section title="Help">
              <AboutRow />
            </Section>

            <div className="settings-advanced">
              <Disclosure title="Advanced">
                <div className="settings-card settings-pad">
                  <ApiBaseUrlField />
                </div>
              </Disclosure>
            </div>
          </>
        ) : (
          <div className="page-loading">
            <Spinner label="Loading settings" />
          </div>
        )}
      </div>
    </main>
  );
}
