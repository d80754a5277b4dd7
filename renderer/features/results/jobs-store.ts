/** The jobs of this session, a mirror of main's (fed by `jobs:progress`, wired in app/connect-studio.ts). */
import { create } from 'zustand';
import type { JobStartRequestT, JobViewT } from '../../../shared/ipc/contract';
import type { Req } from '../../../shared/ipc/contract';
import { ACTIVE_JOB_STATES as ACTIVE_STATES } from '../../../shared/job-states';
import { asClientError, client, type StudioClientError } from '../../app/client';

/** Working on it now. A job that stopped part-way on an error (a full disk) is not: it waits for Try again. */
export function isActive(job: JobViewT): boolean {
  return ACTIVE_STATES.has(job.state) && !job.error;
}

/** Stopped part-way (its photos are safe in the rescue folder or on Replicate) and can be tried again. */
export function isStuck(job: JobViewT): boolean {
  return ACTIVE_STATES.has(job.state) && !!job.error;
}

interface JobsState {
  byId: Record<string, JobViewT>;
  /**
   * The request that started each job of this session (renderer-side only: main's JobView does
   * not carry it), so a failed job can be tried again through the normal start path. Dropped once
   * the job is saved, canceled or dismissed (a painted mask can weigh megabytes).
   */
  requests: Record<string, Req<'jobs:start'>>;
  error: StudioClientError | null;
  load(): Promise<void>;
  start(req: Req<'jobs:start'> | JobStartRequestT): Promise<JobViewT>;
  cancel(jobId: string): Promise<void>;
  dismiss(jobId: string): Promise<void>;
  retry(jobId: string): Promise<void>;
  receive(job: JobViewT): void;
}

/** A job that ended so it will not be tried again: its request is not needed any more. */
function requestDone(job: JobViewT): boolean {
  return job.state === 'saved' || job.state === 'canceled';
}

export const useJobs = create<JobsState>()((set) => ({
  byId: {},
  requests: {},
  error: null,
  async load() {
    try {
      const list = await client.jobs.list();
      set((s) => {
        const byId = { ...s.byId };
        for (const j of list) if (!byId[j.id] || byId[j.id]!.updatedAt <= j.updatedAt) byId[j.id] = j;
        return { byId, error: null };
      });
    } catch (e) {
      set({ error: asClientError(e) });
    }
  },
  async start(req) {
    const job = await client.jobs.start(req as Req<'jobs:start'>);
    set((s) => {
      const view = s.byId[job.id] && s.byId[job.id]!.updatedAt > job.updatedAt ? s.byId[job.id]! : job;
      return {
        byId: { ...s.byId, [job.id]: view },
        requests: requestDone(view) ? s.requests : { ...s.requests, [job.id]: req as Req<'jobs:start'> },
      };
    });
    return job;
  },
  async cancel(jobId) {
    const job = await client.jobs.cancel({ jobId });
    set((s) => ({ byId: { ...s.byId, [job.id]: job } }));
  },
  async retry(jobId) {
    const job = await client.jobs.retry({ jobId });
    set((s) => ({ byId: { ...s.byId, [job.id]: job } }));
  },
  async dismiss(jobId) {
    await client.jobs.dismiss({ jobId });
    set((s) => {
      const byId = { ...s.byId };
      delete byId[jobId];
      const requests = { ...s.requests };
      delete requests[jobId];
      return { byId, requests };
    });
  },
  receive(job) {
    // Events can arrive out of order with a start() reply: keep the newest view.
    set((s) => {
      const cur = s.byId[job.id];
      if (cur && cur.updatedAt > job.updatedAt) return s;
      if (requestDone(job) && s.requests[job.id]) {
        const requests = { ...s.requests };
        delete requests[job.id];
        return { byId: { ...s.byId, [job.id]: job }, requests };
      }
      return { byId: { ...s.byId, [job.id]: job } };
    });
  },
}));

/** newest first */
export function sortedJobs(byId: Record<string, JobViewT>): JobViewT[] {
  return Object.values(byId).sort((a, b) => b.createdAt - a.createdAt);
}

export function resetJobs(): void {
  useJobs.setState({ byId: {}, requests: {}, error: null });
}
