/**
 * Which job states mean "not over yet", for both processes: main resumes a journaled job in one
 * of them and refuses to move the library while any job is in one; the window shows such a job
 * as working (or, with an error, as stopped part-way with Try again).
 */
import type { JobStateT } from './ipc/contract';

export const ACTIVE_JOB_STATES: ReadonlySet<JobStateT> = new Set<JobStateT>([
  'queued',
  'preparing',
  'submitted',
  'running',
  'downloading',
]);
