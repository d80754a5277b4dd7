/**
 * The deletions waiting in main's trash queue, as the undo bar shows them. Main hides the photos
 * at once and moves them to the system trash when the undo window closes (`library:deletion`
 * tells each step); Undo asks main to show them again; when the system trash refused (OneDrive,
 * a locked file) the bar says why and offers a permanent delete.
 */
import { create } from 'zustand';
import type { DeletionEventT, DeletionT } from '../../../shared/ipc/contract';
import { asClientError, client } from '../../app/client';

export interface ShownDeletion {
  token: string;
  state: 'pending' | 'failed' | 'trashed' | 'restored' | 'deleted';
  photos: number;
  undoUntil?: number;
  reason?: string;
  /** what went wrong asking main (undo refused, …) */
  error?: string;
  busy?: boolean;
}

interface DeletionState {
  /** newest last */
  list: ShownDeletion[];
}

export const useDeletions = create<DeletionState>()(() => ({ list: [] }));

function upsert(d: ShownDeletion): void {
  useDeletions.setState((s) => {
    const others = s.list.filter((x) => x.token !== d.token);
    const was = s.list.find((x) => x.token === d.token);
    return { list: [...others, { ...was, ...d }] };
  });
}

export function dismissDeletion(token: string): void {
  useDeletions.setState((s) => ({ list: s.list.filter((x) => x.token !== token) }));
}

const FINAL_SHOWN_MS = 4000;

/** One step of a deletion, from main. */
export function receiveDeletion(e: DeletionEventT): void {
  const d: ShownDeletion = { token: e.token, state: e.state, photos: e.photos };
  if (e.undoUntil !== undefined) d.undoUntil = e.undoUntil;
  if (e.reason !== undefined) d.reason = e.reason;
  upsert({ ...d, busy: false });
  // Done (in the trash, shown again, deleted): said for a moment, then the bar goes.
  if (e.state === 'trashed' || e.state === 'restored' || e.state === 'deleted') {
    setTimeout(() => {
      const now = useDeletions.getState().list.find((x) => x.token === e.token);
      if (now && now.state === e.state) dismissDeletion(e.token);
    }, FINAL_SHOWN_MS);
  }
}

/** A deletion main answered with (deleteRejected, or the list when the gallery opens). */
export function receivePending(d: DeletionT): void {
  const shown: ShownDeletion = { token: d.token, state: d.state, photos: d.photos, undoUntil: d.undoUntil };
  if (d.reason !== undefined) shown.reason = d.reason;
  upsert(shown);
}

/** The deletions main still holds (a run deleted from its page, or before a reload). */
export async function loadDeletions(): Promise<void> {
  try {
    for (const d of await client.library.deletions()) receivePending(d);
  } catch {
    // nothing to show: the photos are either hidden and undoable from the next event, or gone
  }
}

async function ask(token: string, call: () => Promise<unknown>, what: string): Promise<void> {
  upsert({ ...useDeletions.getState().list.find((x) => x.token === token)!, busy: true });
  try {
    await call();
    const after = useDeletions.getState().list.find((x) => x.token === token);
    if (after?.busy) upsert({ ...after, busy: false });
  } catch (e) {
    const now = useDeletions.getState().list.find((x) => x.token === token);
    if (now) upsert({ ...now, busy: false, error: `Could not ${what}. ${asClientError(e).message}` });
  }
}

export function undoDeletion(token: string): Promise<void> {
  return ask(token, () => client.library.undoDelete({ token }), 'bring these photos back');
}

export function deletePermanently(token: string): Promise<void> {
  return ask(token, () => client.library.deletePermanently({ token }), 'delete these photos');
}

export function resetDeletions(): void {
  useDeletions.setState({ list: [] });
}
