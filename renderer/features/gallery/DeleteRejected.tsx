/**
 * "Delete rejected…": a separate, deliberate step (a confirm that says how many photos, counted by
 * main over the whole library), then the undo bar: the photos are hidden at once and go to the
 * system trash when the undo window closes. A refusal of the trash says why and offers a
 * permanent delete (or Undo, which shows them again).
 */
import { useEffect, useState } from 'react';
import { asClientError, client } from '../../app/client';
import { ConfirmDialog, ErrorText, Spinner } from '../../app/controls';
import { IconAlert, IconTrash } from '../../app/icons';
import {
  deletePermanently,
  dismissDeletion,
  receivePending,
  undoDeletion,
  useDeletions,
  type ShownDeletion,
} from './deletion-store';

const photos = (n: number) => (n === 1 ? '1 photo' : `${n.toLocaleString()} photos`);

export function DeleteRejectedButton({ rejected }: { rejected: number }) {
  const [open, setOpen] = useState(false);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setTotal(null);
    setError(null);
    // The whole library's rejected photos, whatever the grid shows now.
    client.library
      .query({ filter: { flag: 'reject' }, limit: 1 })
      .then((p) => live && setTotal(p.total))
      .catch((e) => live && setError(asClientError(e).message));
    return () => {
      live = false;
    };
  }, [open]);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const d = await client.library.deleteRejected(undefined);
      if (d) receivePending(d);
      setOpen(false);
    } catch (e) {
      setError(`Nothing was deleted. ${asClientError(e).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className="button"
        disabled={rejected === 0}
        title={
          rejected
            ? 'Move every rejected photo to the trash (you can undo)'
            : 'No rejected photos: press X on a photo to reject it'
        }
        onClick={() => setOpen(true)}
      >
        <IconTrash size={14} /> Delete rejected…
      </button>
      {open ? (
        <ConfirmDialog
          title={total === null ? 'Delete the rejected photos?' : `Delete ${photos(total)} you rejected?`}
          subtitle="They go to the system trash with their settings. You can undo for a few seconds."
          onCancel={() => setOpen(false)}
          testId="delete-rejected"
          action={<>{busy ? <Spinner /> : <IconTrash size={14} />} Move to trash</>}
          actionDisabled={busy || !total}
          onAction={() => void confirm()}
        >
          {total === null && !error ? (
            <Spinner label="Counting the rejected photos" />
          ) : total === 0 ? (
            <p className="confirm-text">No photo is rejected any more.</p>
          ) : (
            <p className="confirm-text">
              Every photo flagged Reject in the library, not only those the filter shows. Photos you picked or only
              rated stay.
            </p>
          )}
          {error ? <ErrorText>{error}</ErrorText> : null}
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function secondsLeft(until: number | undefined, now: number): number {
  return until === undefined ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

function Bar({ d }: { d: ShownDeletion }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (d.state !== 'pending') return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [d.state]);
  const left = secondsLeft(d.undoUntil, now);
  const text =
    d.state === 'pending'
      ? `${photos(d.photos)} moved to the trash${left ? ` in ${left} s` : ''}.`
      : d.state === 'trashed'
        ? `${photos(d.photos)} in the system trash.`
        : d.state === 'restored'
          ? `${photos(d.photos)} brought back.`
          : d.state === 'deleted'
            ? `${photos(d.photos)} deleted permanently.`
            : `The system trash refused ${photos(d.photos)}${d.reason ? `: ${d.reason}` : ''}. They are hidden, not deleted.`;
  return (
    <div
      className={`undo-bar undo-bar--${d.state}`}
      role={d.state === 'failed' ? 'alert' : 'status'}
      data-testid="undo-bar"
      data-state={d.state}
    >
      {d.state === 'failed' ? <IconAlert size={15} /> : <IconTrash size={15} />}
      <span className="undo-text">{text}</span>
      {d.error ? <ErrorText>{d.error}</ErrorText> : null}
      {d.state === 'pending' || d.state === 'failed' ? (
        <button
          type="button"
          className="button button--small"
          disabled={d.busy}
          onClick={() => void undoDeletion(d.token)}
        >
          Undo
        </button>
      ) : null}
      {d.state === 'failed' ? (
        <button
          type="button"
          className="button button--small button--danger"
          disabled={d.busy}
          onClick={() => void deletePermanently(d.token)}
        >
          Delete permanently
        </button>
      ) : null}
      {d.state !== 'pending' && d.state !== 'failed' ? (
        <button type="button" className="link-button" onClick={() => dismissDeletion(d.token)}>
          Dismiss
        </button>
      ) : null}
    </div>
  );
}

/** The deletions main is holding, newest at the bottom. */
export function UndoBars() {
  const list = useDeletions((s) => s.list);
  if (!list.length) return null;
  return (
    <div className="undo-bars" data-testid="undo-bars">
      {list.slice(-3).map((d) => (
        <Bar key={d.token} d={d} />
      ))}
    </div>
  );
}
