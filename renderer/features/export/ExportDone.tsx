/**
 * The Export dialog's last step: the files written (with their warnings) and Show in Finder /
 * Explorer, which asks main to select the first one (main accepts only files its exports wrote).
 */
import type { ExportResultT } from '../../../shared/ipc/contract';
import { asClientError, client, platform } from '../../app/client';
import { IconCheck, IconFolder } from '../../app/icons';
import { FORMAT_LABEL, revealLabel } from './export-logic';

/** Show in Finder / Explorer: main selects the first exported file (it accepts only files its exports wrote). */
export function RevealExported({ file, onError }: { file: string; onError(message: string | null): void }) {
  const label = revealLabel(platform());
  return (
    <button
      type="button"
      className="button"
      title={`${label}: select ${file.split(/[\\/]/).pop() ?? file} in its folder`}
      onClick={() => {
        onError(null);
        client.export
          .reveal({ path: file })
          .catch((e: unknown) => onError(`Could not show the file. ${asClientError(e).message}`));
      }}
    >
      <IconFolder size={15} /> {label}
    </button>
  );
}

export function ExportDone({ result }: { result: ExportResultT }) {
  const name = (p: string) => p.split(/[\\/]/).pop() ?? p;
  return (
    <div className="export-done" data-testid="export-done">
      <p>
        <IconCheck size={15} />{' '}
        {result.canceled
          ? `Canceled: ${result.files.length} written`
          : `${result.files.length} ${result.files.length === 1 ? 'file' : 'files'} written`}{' '}
        to <span className="mono break">{result.folder}</span>
      </p>
      <ul className="export-files" aria-label="Exported files">
        {result.files.map((f) => (
          <li key={f.path}>
            <span className="mono break" title={f.path}>
              {name(f.path)}
            </span>{' '}
            <span className="muted small">
              {f.width} × {f.height} · {FORMAT_LABEL[f.format]}
            </span>
            {f.warnings.map((w) => (
              <p key={w} className="export-warning small">
                {w}
              </p>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}
