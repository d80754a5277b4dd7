/**
 * A saved run's record as main keeps it (`library:get`): its mode, every input it was made with
 * (the strength), and the prepared starting photo (the "before" of a before/after). Main's
 * JobView carries none of these, so the results cards and the studio's centre ask for the run
 * once it is saved, and share the answer here. Asked once per run; a run that is gone is
 * 'missing'. The answer also tells the stars what main knows (noteRuns).
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { RunDetailT } from '../../../shared/ipc/contract';
import { client } from '../../app/client';
import { noteRuns } from './keep';

interface RunDetailsState {
  byId: Record<string, RunDetailT | 'missing'>;
}

export const useRunDetails = create<RunDetailsState>()(() => ({ byId: {} }));

const asking = new Set<string>();

export function loadRunDetail(runId: string): void {
  if (asking.has(runId) || useRunDetails.getState().byId[runId]) return;
  asking.add(runId);
  client.library
    .get({ runId })
    .then((r) => {
      noteRuns([r]);
      return r as RunDetailT | 'missing';
    })
    .catch(() => 'missing' as const)
    .then((v) => {
      if (!asking.delete(runId)) return; // reset meanwhile (tests)
      useRunDetails.setState((s) => ({ byId: { ...s.byId, [runId]: v } }));
    });
}

/** The run's record once main has answered (null until then, or while `enabled` is false). */
export function useRunDetail(runId: string | null | undefined, enabled = true): RunDetailT | 'missing' | null {
  const detail = useRunDetails((s) => (runId ? s.byId[runId] : undefined));
  useEffect(() => {
    if (enabled && runId && !detail) loadRunDetail(runId);
  }, [enabled, runId, detail]);
  return enabled ? (detail ?? null) : null;
}

/** For tests: forget everything. */
export function resetRunDetails(): void {
  asking.clear();
  useRunDetails.setState({ byId: {} });
}
