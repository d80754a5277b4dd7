/**
 * What the studio's centre shows: the newest photo large (the result viewer), or the starting
 * point (the mask painter when a photo is picked as the base, else the hint to pick one).
 *
 * The rules, in the order a person meets them:
 *  - Generate (any new job: a photoshoot, Try again) turns the centre to the result viewer and
 *    makes it follow that job: its progress first, then its first photo.
 *  - Photos that arrive are the newest: the viewer follows them. It does not take the centre from
 *    a person editing a starting photo, or looking at a photo they picked; "Result" then says new.
 *  - Picking a base photo ("Start from this", a selfie) opens the painter, as before.
 *  - Clicking a result shows it in the centre; Esc returns to the starting point.
 *
 * Plain TypeScript over zustand, fed by subscriptions to the jobs and selection stores (not by
 * React effects), so every path that starts a job or picks a photo is covered the same way.
 */
import { useMemo } from 'react';
import { create } from 'zustand';
import type { JobViewT, Req } from '../../../../shared/ipc/contract';
import { planOutput, type GenerationMode } from '../../../../shared/model/rules';
import { preparedSize } from '../../canvas/editor-logic';
import { isActive, sortedJobs, useJobs } from '../jobs-store';
import { useModel } from '../../params/model-store';
import { useSelection, type SourceImage } from '../../studio/selection-store';
import { resetRunDetails } from '../run-details';

export interface StagePick {
  jobId: string;
  assetId: string;
}

/** What the renderer knew when a job started (main's JobView does not say). */
export interface StartedWith {
  /** the starting photo as it was picked (img2img / inpainting) */
  base: SourceImage | null;
  mode: GenerationMode;
  /** prompt_strength as sent; undefined: the model's default */
  strength?: number;
  /** the size its photos will have, for the frames of photos still to come */
  size: { width: number; height: number } | null;
}

export type StageView = 'result' | 'start';
export type StageZoom = 'fit' | 'actual';

interface StageState {
  view: StageView;
  /** the job the viewer follows while nothing is picked */
  follow: string | null;
  /** the photo the person chose (a click on a result, the arrows) */
  pick: StagePick | null;
  /** new photos arrived that the centre is not showing */
  unseen: boolean;
  zoom: StageZoom;
  /** per job of this session */
  started: Record<string, StartedWith>;
  /** bumped to move the keyboard focus to the viewer (after a click on a result) */
  focusTick: number;
}

const initial = (): StageState => ({
  view: 'start',
  follow: null,
  pick: null,
  unseen: false,
  zoom: 'fit',
  started: {},
  focusTick: 0,
});

export const useStage = create<StageState>()(() => initial());

// ---------- actions ----------

/** A result clicked in the results column or the filmstrip: large in the centre. */
export function showPhoto(pick: StagePick, opts: { focus?: boolean } = {}): void {
  useStage.setState((s) => ({
    view: 'result',
    pick,
    unseen: s.pick?.jobId === pick.jobId ? s.unseen : false,
    focusTick: opts.focus ? s.focusTick + 1 : s.focusTick,
  }));
}

/** Back to following the newest photo. */
export function showNewest(): void {
  useStage.setState({ view: 'result', pick: null, unseen: false });
}

/** The viewer again, as it was left. */
export function showResultView(): void {
  useStage.setState((s) => (s.pick ? { view: 'result' } : { view: 'result', unseen: false }));
}

/** The starting point: the painter with a base photo, else the hint. */
export function showStart(): void {
  useStage.setState({ view: 'start', zoom: 'fit' });
}

export function setZoom(zoom: StageZoom): void {
  useStage.setState({ zoom });
}

// ---------- what is shown ----------

export interface StageTarget {
  job: JobViewT;
  /** the photo's index in job.images; a job without photos yet shows its progress */
  index: number;
}

/** The photo the centre shows, from the jobs and the stage state (pure). */
export function stageTarget(
  byId: Record<string, JobViewT>,
  st: Pick<StageState, 'pick' | 'follow'>,
): StageTarget | null {
  if (st.pick) {
    const job = byId[st.pick.jobId];
    const index = job ? job.images.findIndex((im) => im.id === st.pick!.assetId) : -1;
    if (job && index >= 0) return { job, index };
  }
  const followed = st.follow ? byId[st.follow] : undefined;
  if (followed && (followed.images.length || isActive(followed))) return { job: followed, index: 0 };
  // Nothing followed (a reload, the followed job dismissed or failed): the newest photos, else the newest job at work.
  let best: JobViewT | null = null;
  for (const j of Object.values(byId)) if (j.images.length && (!best || j.updatedAt > best.updatedAt)) best = j;
  if (best) return { job: best, index: 0 };
  for (const j of Object.values(byId)) if (isActive(j) && (!best || j.createdAt > best.createdAt)) best = j;
  return best ? { job: best, index: 0 } : null;
}

/** The photo the centre shows when it shows the viewer (null: nothing to show yet). */
export function useStageTarget(): StageTarget | null {
  const byId = useJobs((s) => s.byId);
  const pick = useStage((s) => s.pick);
  const follow = useStage((s) => s.follow);
  return useMemo(() => stageTarget(byId, { pick, follow }), [byId, pick, follow]);
}

/** The photo shown large right now, if the centre shows one (for the results cards). */
export function useShownPhotoId(): string | null {
  const target = useStageTarget();
  const on = useStage((s) => s.view === 'result');
  return on && target ? (target.job.images[target.index]?.id ?? null) : null;
}

/**
 * The next photo with the arrows: along the run's filmstrip, then on into the neighbouring run
 * in the results column's order (newest first), so ← → walk through every photo of the session.
 */
export function stepPhoto(byId: Record<string, JobViewT>, from: StageTarget, dir: 1 | -1): StagePick | null {
  const inRun = from.job.images[from.index + dir];
  if (inRun) return { jobId: from.job.id, assetId: inRun.id };
  const runs = sortedJobs(byId).filter((j) => j.images.length);
  let i = runs.findIndex((j) => j.id === from.job.id);
  if (i < 0) return null;
  for (i += dir; i >= 0 && i < runs.length; i += dir) {
    const job = runs[i]!;
    const img = dir === 1 ? job.images[0] : job.images[job.images.length - 1];
    if (img) return { jobId: job.id, assetId: img.id };
  }
  return null;
}

// ---------- following the jobs ----------

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** What a request says about the job it starts (with the base as it is picked right now). */
export function startedWith(
  req: Req<'jobs:start'>,
  source: SourceImage | null,
  defaults: Record<string, unknown> = {},
): StartedWith {
  const base = req.image && source && source.assetId === req.image.assetId ? source : null;
  const mode: GenerationMode = req.image ? (req.mask ? 'inpaint' : 'img2img') : 'txt2img';
  let size: StartedWith['size'] = null;
  if (base) size = preparedSize(base.width, base.height);
  else if (!req.image) {
    const plan = planOutput({ ...defaults, ...req.input });
    if (plan.width && plan.height) size = { width: plan.width, height: plan.height };
  }
  const out: StartedWith = { base, mode, size };
  const strength = num(req.input.prompt_strength);
  if (strength !== undefined) out.strength = strength;
  return out;
}

function modelDefaults(): Record<string, unknown> {
  const fields = useModel.getState().info?.fields ?? [];
  return Object.fromEntries(fields.filter((f) => f.default !== undefined).map((f) => [f.name, f.default]));
}

type JobsSlice = ReturnType<typeof useJobs.getState>;

function onJobs(s: JobsSlice, prev: JobsSlice): void {
  if (s.byId === prev.byId && s.requests === prev.requests) return;
  const st = useStage.getState();
  const patch: Partial<StageState> = {};

  // What each job started with, from its request (kept even after the request is dropped).
  let started = st.started;
  const own = () => (started === st.started ? (started = { ...st.started }) : started);
  for (const [id, req] of Object.entries(s.requests))
    if (!started[id]) own()[id] = startedWith(req, useSelection.getState().source, modelDefaults());
  for (const id of Object.keys(started)) if (!s.byId[id] && !s.requests[id]) delete own()[id];
  if (started !== st.started) patch.started = started;

  if (s.byId !== prev.byId) {
    // A generation that just started: the centre turns to it.
    let fresh: JobViewT | null = null;
    for (const j of Object.values(s.byId))
      if (!prev.byId[j.id] && isActive(j) && (!fresh || j.createdAt > fresh.createdAt)) fresh = j;
    if (fresh) Object.assign(patch, { follow: fresh.id, pick: null, view: 'result', unseen: false });
    else {
      // Photos that just arrived are the newest.
      let arrived: JobViewT | null = null;
      for (const j of Object.values(s.byId))
        if (j.images.length > (prev.byId[j.id]?.images.length ?? 0) && (!arrived || j.updatedAt > arrived.updatedAt))
          arrived = j;
      if (arrived) {
        patch.follow = arrived.id;
        const editing = st.view === 'start' && !!useSelection.getState().source;
        const lookingElsewhere = st.view === 'result' && !!st.pick && st.pick.jobId !== arrived.id;
        if (editing || lookingElsewhere) patch.unseen = true;
        else if (st.view === 'start') patch.view = 'result';
      }
    }
  }
  if (Object.keys(patch).length) useStage.setState(patch);
}

useJobs.subscribe(onJobs);

// Picking a photo to start from (a selfie, "Start from this") opens the painter, even when it is
// the photo already picked (each pick is a new object).
useSelection.subscribe((s, prev) => {
  if (s.source && s.source !== prev.source) useStage.setState({ view: 'start', zoom: 'fit' });
});

/** For tests: back to a blank slate. */
export function resetStage(): void {
  useStage.setState(initial());
  resetRunDetails();
}
