import { useEffect, useState } from 'react';
import type { RunDetailT } from '../../../shared/ipc/contract';
import { client } from '../../app/client';
import { noteRuns } from '../results/keep';
import type { CompareItem } from './compare-store';

/** Each compared photo's run from the library (`library.get`), or 'missing' when it is not there. */
export function useRuns(items: readonly CompareItem[]): Record<string, RunDetailT | 'missing'> {
  const [runs, setRuns] = useState<Record<string, RunDetailT | 'missing'>>({});
  const ids = [...new Set(items.map((i) => i.runId))].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const runId of ids ? ids.split(',') : []) {
      client.library
        .get({ runId })
        .then((r) => {
          noteRuns([r]);
          if (live) setRuns((s) => ({ ...s, [runId]: r }));
        })
        .catch(() => live && setRuns((s) => ({ ...s, [runId]: 'missing' })));
    }
    return () => {
      live = false;
    };
  }, [ids]);
  return runs;
}
