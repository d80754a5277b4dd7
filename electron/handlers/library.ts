/**
 * The library (channels library:*): the gallery's queries and records, culling (flag, rating),
 * deleting through the trash queue, and the previous library (move its photos here, open, forget).
 * Every change holds the library first (`writable`).
 */
import { StudioError } from '../../shared/errors';
import type { HandlerContext, HandlersOf } from './context';

export function libraryHandlers({
  o,
  previous,
  writable,
  current,
}: Pick<HandlerContext, 'o' | 'previous' | 'writable' | 'current'>): HandlersOf<'library'> {
  return {
    'library:list': (req) => current.library.list(req ?? {}),
    'library:query': (req) => current.library.query(req ?? {}),
    'library:records': ({ runIds }) => current.library.records(runIds),
    'library:get': ({ runId }) => current.library.get(runId),
    'library:reveal': async ({ runId, index }) => {
      o.showItemInFolder?.(await current.library.revealPath(runId, index));
      return null;
    },
    'library:remove': async ({ runId }) => {
      await writable();
      return current.trash.deleteRun(runId);
    },
    'library:setFlag': async ({ items, flag }) => {
      await writable();
      const runs = await current.library.setFlag(items, flag);
      o.emit('library:changed', runs.length === 1 ? { runId: runs[0]!.id, reason: 'updated' } : { reason: 'updated' });
      return runs;
    },
    'library:setRating': async ({ items, rating }) => {
      await writable();
      const runs = await current.library.setRating(items, rating);
      o.emit('library:changed', runs.length === 1 ? { runId: runs[0]!.id, reason: 'updated' } : { reason: 'updated' });
      return runs;
    },
    'library:deleteRejected': async (req) => {
      await writable();
      return current.trash.deleteRejected(req?.runIds);
    },
    'library:undoDelete': async ({ token }) => {
      await writable();
      await current.trash.undo(token);
      return null;
    },
    'library:deletePermanently': async ({ token }) => {
      await writable();
      await current.trash.deletePermanently(token);
      return null;
    },
    'library:previous': () => previous.view(),
    'library:movePrevious': () => previous.moveHere(),
    'library:cancelMove': async () => {
      previous.cancel();
      return null;
    },
    'library:openPrevious': async () => {
      const dir = previous.dir();
      if (!dir) throw new StudioError('not_found', 'There is no previous library any more.');
      await o.openPath?.(dir);
      return null;
    },
    'library:forgetPrevious': async () => {
      if (previous.moving) throw new StudioError('invalid_input', 'The photos are being moved. Cancel the move first.');
      previous.forget();
      return null;
    },
    'library:deletions': () => current.trash.list(),
  };
}
