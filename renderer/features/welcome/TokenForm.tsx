/**
 * The API token form (first start and Settings → Replace). The token goes to main once, through
 * `token.set`; main checks it with Replicate before storing anything, so a rejected token is never
 * kept. The renderer forgets it as soon as the call returns.
 */
import { useId, useState, type FormEvent } from 'react';
import type { TokenStatusT } from '../../../shared/ipc/contract';
import { asClientError, client, type StudioClientError } from '../../app/client';
import { useToken } from './token-store';
import { ErrorText, Spinner } from '../../app/controls';
import { IconExternal, IconEye, IconEyeOff } from '../../app/icons';

export const TOKEN_URL = 'https://replicate.com/account/api-tokens';

export async function openTokenPage(): Promise<void> {
  try {
    await client.app.openExternal({ url: TOKEN_URL });
  } catch {
    // Nothing sensible to do: the link text already names the address.
  }
}

export function TokenForm({
  insecureBackend,
  onSaved,
  submitLabel = 'Save token',
  onCancel,
  autoFocus,
}: {
  insecureBackend: boolean;
  onSaved(status: TokenStatusT): void;
  submitLabel?: string;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const setToken = useToken((s) => s.set);
  const [token, setTokenText] = useState('');
  const [shown, setShown] = useState(false);
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<StudioClientError | null>(null);
  const id = useId();
  const inputId = `${id}-token`;
  const errId = `${id}-err`;
  const helpId = `${id}-help`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!token.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const status = await setToken(token.trim(), insecureBackend && remember);
      setTokenText('');
      onSaved(status);
    } catch (err) {
      setError(asClientError(err));
    } finally {
      setBusy(false);
    }
  }

  const fieldMsg = error?.fieldMessage('token');
  return (
    <form className="token-form" onSubmit={submit} noValidate aria-busy={busy}>
      <div className={`field${error ? ' field--invalid' : ''}`}>
        <div className="field-head">
          <label className="field-label" htmlFor={inputId}>
            Replicate API token
          </label>
          <button type="button" className="link-button" onClick={() => void openTokenPage()}>
            Get your token at replicate.com
            <IconExternal size={13} />
          </button>
        </div>
        <div className="input-with-button">
          <input
            id={inputId}
            className="input mono"
            type={shown ? 'text' : 'password'}
            value={token}
            onChange={(e) => setTokenText(e.target.value)}
            placeholder="r8_…"
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            autoFocus={autoFocus}
            aria-invalid={error ? true : undefined}
            aria-describedby={[error ? errId : null, helpId].filter(Boolean).join(' ')}
            disabled={busy}
          />
          <button
            type="button"
            className="input-addon"
            aria-label={shown ? 'Hide token' : 'Show token'}
            title={shown ? 'Hide token' : 'Show token'}
            aria-pressed={shown}
            aria-controls={inputId}
            onClick={() => setShown(!shown)}
          >
            {shown ? <IconEyeOff size={16} /> : <IconEye size={16} />}
          </button>
        </div>
        {error ? (
          <div role="alert" className="form-alert" id={errId}>
            <ErrorText>{error.message}</ErrorText>
            {fieldMsg && fieldMsg !== error.message ? <p className="field-help">{fieldMsg}</p> : null}
          </div>
        ) : null}
        <p className="field-help" id={helpId}>
          It is checked with Replicate, then kept on this computer only
          {insecureBackend ? '' : ', encrypted by your system keychain'}.
        </p>
      </div>

      {insecureBackend ? (
        <div className="notice notice--warning">
          <p>
            <strong>This computer has no keychain to encrypt the token.</strong> It will be kept in memory until you
            quit, and you will be asked for it again next time.
          </p>
          <label className="checkbox">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
            <span>Remember it anyway (stored without encryption)</span>
          </label>
        </div>
      ) : null}

      <div className="form-actions">
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="button button--primary" disabled={!token.trim() || busy}>
          {busy ? (
            <>
              <Spinner /> Checking with Replicate…
            </>
          ) : (
            submitLabel
          )}
        </button>
      </div>
    </form>
  );
}

/** "Ada Lovelace (@ada)" or "@ada". */
export function accountLabel(status: TokenStatusT | null): string {
  const a = status?.account;
  if (!a) return 'your Replicate account';
  return a.name && a.name !== a.username ? `${a.name} (@${a.username})` : `@${a.username}`;
}

export function storageLabel(storage: TokenStatusT['storage']): string {
  switch (storage) {
    case 'encrypted':
      return 'Stored encrypted in your system keychain.';
    case 'plaintext':
      return 'Stored on this computer without encryption (no keychain available).';
    case 'session':
      return 'Kept in memory until you quit; you will be asked again next time.';
    case 'env':
      return 'Read from the REPLICATE_API_TOKEN environment variable.';
    default:
      return 'No token yet.';
  }
}
