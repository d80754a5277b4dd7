/**
 * The API base URL (Advanced): where main sends Replicate requests, and so who receives the
 * token. Changed only to run against the local simulator or a proxy; "Use Replicate" puts the
 * real address back. Main asks the person itself (a system dialog) before a kept token goes to a
 * new host; a REPLICATE_BASE_URL set for this session is shown but cannot be edited here.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { asClientError } from '../../app/client';
import { useSettings } from './settings-store';
import { ErrorText, Spinner } from '../../app/controls';
import { IconCheck } from '../../app/icons';

export const REPLICATE_API = 'https://api.replicate.com/v1';

export function ApiBaseUrlField() {
  const settings = useSettings((s) => s.settings);
  const update = useSettings((s) => s.update);
  const current = settings?.apiBaseUrl ?? '';
  const fromEnv = settings?.apiBaseFromEnv ?? false;
  const [text, setText] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const id = useId();

  useEffect(() => setText(current), [current]);

  async function save(value: string) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await update({ apiBaseUrl: value.trim() });
      setSaved(true);
    } catch (e) {
      const err = asClientError(e);
      setError(
        err.fieldMessage('apiBaseUrl')
          ? `${err.fieldMessage('apiBaseUrl')} Use a full address such as ${REPLICATE_API}.`
          : err.message,
      );
    } finally {
      setBusy(false);
    }
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void save(text);
  }

  const dirty = text.trim() !== current;
  return (
    <form className={`field${error ? ' field--invalid' : ''}`} onSubmit={onSubmit} noValidate>
      <div className="field-head">
        <label className="field-label" htmlFor={`${id}-url`}>
          API base URL
        </label>
      </div>
      <div className="input-row">
        <input
          id={`${id}-url`}
          className="input mono"
          type="url"
          value={text}
          spellCheck={false}
          onChange={(e) => {
            setText(e.target.value);
            setSaved(false);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-help${error ? ` ${id}-err` : ''}`}
          disabled={!settings || busy || fromEnv}
        />
        <button type="submit" className="button" disabled={!dirty || busy || !text.trim() || fromEnv}>
          {busy ? <Spinner /> : null}
          Save
        </button>
        {current !== REPLICATE_API && !fromEnv ? (
          <button
            type="button"
            className="button button--quiet"
            onClick={() => void save(REPLICATE_API)}
            disabled={busy}
          >
            Use Replicate
          </button>
        ) : null}
      </div>
      {error ? <ErrorText id={`${id}-err`}>{error}</ErrorText> : null}
      {saved && !dirty ? (
        <p className="field-ok" role="status">
          <IconCheck size={14} /> Saved. New requests go to this address.
        </p>
      ) : null}
      <p className="field-help" id={`${id}-help`}>
        {fromEnv
          ? 'Set by REPLICATE_BASE_URL for this session only; start the app without it to change the address here.'
          : 'Where requests to Replicate, and your API token, are sent: https, or http only to this computer. Change it only to use a local simulator or a company proxy.'}
      </p>
    </form>
  );
}
