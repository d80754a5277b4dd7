/**
 * "Your photos are in the previous library …: 12 runs and 3 selfies." After choosing another
 * library folder the old photos are not lost, only elsewhere: this notice (in the Gallery and in
 * Settings → Library) says where, and offers to move them here, to open that folder, or to stop
 * mentioning it. While they move it shows how far it is (and Cancel), then what was moved and
 * what stayed, with why.
 */
import type { MoveProgressT } from '../../../shared/ipc/contract';
import { Banner, ErrorText, Spinner } from '../../app/controls';
import { usePreviousLibrary } from './previous-library-store';
import './library.css';

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "1 run and 2 selfies", "3 runs", "1 selfie" */
export function holdings(runs: number, selfies: number): string {
  const parts = [runs ? count(runs, 'run', 'runs') : null, selfies ? count(selfies, 'selfie', 'selfies') : null].filter(
    Boolean,
  );
  return parts.join(' and ') || 'nothing';
}

/** What a finished, canceled or failed move did, in one sentence. */
export function outcome(p: MoveProgressT): string {
  const moved = p.runsMoved + p.selfiesMoved;
  const what = holdings(p.runsMoved, p.selfiesMoved);
  if (p.state === 'canceled')
    return moved
      ? `Stopped. Moved ${what} into this library; the rest stays in the previous library.`
      : 'Stopped before anything was moved; your photos stay in the previous library.';
  if (p.state === 'failed') return moved ? `Moved ${what} into this library before it stopped.` : 'Nothing was moved.';
  return moved ? `Moved ${what} into this library.` : 'Nothing needed moving.';
}

function skippedLine(p: MoveProgressT): string | null {
  const runs = p.skipped.filter((s) => s.kind === 'run').length;
  const selfies = p.skipped.length - runs;
  if (!p.skipped.length) return null;
  return `${holdings(runs, selfies)} stayed in the previous library:`;
}

export function PreviousLibraryNotice() {
  const previous = usePreviousLibrary((s) => s.previous);
  const progress = usePreviousLibrary((s) => s.progress);
  const error = usePreviousLibrary((s) => s.error);
  const move = usePreviousLibrary((s) => s.move);
  const cancel = usePreviousLibrary((s) => s.cancel);
  const open = usePreviousLibrary((s) => s.open);
  const dismiss = usePreviousLibrary((s) => s.dismiss);
  if (!previous && !progress && !error) return null;

  const moving = progress?.state === 'moving';
  const ended = progress && !moving ? progress : null;
  const pct = moving && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  const skipped = ended ? skippedLine(ended) : null;
  const tone = error || ended?.state === 'failed' ? 'error' : ended?.state === 'done' && !skipped ? 'info' : 'warning';

  return (
    <div className="previous-library" data-testid="previous-library">
      <Banner tone={tone}>
        {moving ? (
          <>
            <p>
              <Spinner /> Moving your photos here: {progress.done} of {progress.total}…
            </p>
            <div
              className="progress"
              role="progressbar"
              aria-label="Moving your photos"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={pct}
            >
              <div className="progress-fill" style={{ width: `${pct}%` }} />
            </div>
          </>
        ) : null}
        {ended ? <p>{outcome(ended)}</p> : null}
        {ended?.error ? <ErrorText>{ended.error}</ErrorText> : null}
        {skipped ? (
          <>
            <p>{skipped}</p>
            <ul className="previous-library-skipped">
              {ended!.skipped.map((s) => (
                <li key={`${s.kind}-${s.id}`}>{s.reason}</li>
              ))}
            </ul>
          </>
        ) : null}
        {previous && !moving ? (
          <p>
            {ended ? 'Still in the previous library ' : 'Your photos are in the previous library '}
            <span className="mono break">{previous.dir}</span>: {holdings(previous.runs, previous.selfies)}.
          </p>
        ) : null}
        {error ? <ErrorText>{error}</ErrorText> : null}
        <div className="button-row previous-library-actions">
          {moving ? (
            <button type="button" className="button button--small" onClick={() => void cancel()}>
              Cancel
            </button>
          ) : (
            <>
              {previous ? (
                <>
                  <button type="button" className="button button--small button--primary" onClick={() => void move()}>
                    {ended && ended.state !== 'done' ? 'Move the rest here' : 'Move them here'}
                  </button>
                  <button type="button" className="button button--small" onClick={() => void open()}>
                    Open the previous library
                  </button>
                </>
              ) : null}
              <button
                type="button"
                className="button button--small button--quiet"
                onClick={() => void dismiss()}
                title={previous ? 'Stop mentioning the previous library (its photos stay where they are)' : undefined}
              >
                Dismiss
              </button>
            </>
          )}
        </div>
      </Banner>
    </div>
  );
}
