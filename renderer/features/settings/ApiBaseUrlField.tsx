/**
 * The API base URL (Advanced): where main sends Replicate requests. Changed only to run against
 * the local simulator or a proxy; "Use Replicate" puts the real address back.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { asClientError, useSettings } from '../../store/studio';
import { ErrorText, Spinner } from '../../app/controls';
import { IconCheck } from '../../app/icons';

export const REPLICATE_API = 'https://api.replicate.com/v1';

export function ApiBaseUrlField() {
  const settings = useSettings((s) => s.settings);
  const update = useSettings((s) => s.update);
  const current = settings?.apiBaseUrl ?? '';
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
      setError(err.fieldMessage('apiBaseUrl') ? `${err.fieldMessage('apiBaseUrl')} Use a full address such as ${REPLICATE_API}.` : err.message);
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
          disabled={!settings || busy}
        />
        <button type="submit" className="button" disabled={!dirty || busy || !text.trim()}>
          {busy ? <Spinner /> : null}
          Save
        </button>
        {current !== REPLICATE_API ? (
          <button type="button" className="button button--quiet" onClick={() => void save(REPLICATE_API)} disabled={busy}>
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
        Where requests to Replicate are sent. Change it only to use a local simulator or a company proxy.
      </p>
    </form>
  );
}
