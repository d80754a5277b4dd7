/**
 * The Train view's trainings: the trainers main could read (each with its schema and dated
 * price), every training of the library (newest first) fed by `training:progress`, the models
 * trained so far, and the form's draft. Main is the truth: `training:list` on mount gives back
 * what a reload of the view lost, and each event replaces that training's view.
 */
import { create } from 'zustand';
import type { TrainedModelT, TrainerInfoT, TrainingViewT } from '../../../shared/ipc/contract';
import { DEFAULT_TRAINER, type QualityPreset } from '../../../shared/training/training';
import { asClientError, client, events, type StudioClientError } from '../../app/client';
import { advancedStart, formInput, type FormMode, type TrainForm } from './train-logic';

interface TrainingsState {
  trainers: TrainerInfoT[];
  trainersError: string | null;
  trainings: TrainingViewT[];
  models: TrainedModelT[];
  loaded: boolean;
  form: TrainForm;
  /** the person edited the trigger word: a new name no longer replaces it */
  triggerTouched: boolean;
  starting: boolean;
  startError: StudioClientError | null;
  /** what a Cancel / Retry said when it failed */
  actionError: string | null;
  load(): Promise<void>;
  setForm(patch: Partial<TrainForm>): void;
  setMode(mode: FormMode): void;
  setPreset(preset: QualityPreset): void;
  setValue(name: string, value: string | number | boolean | undefined): void;
  start(setId: string): Promise<boolean>;
  cancel(id: string): Promise<void>;
  retry(id: string): Promise<void>;
  receive(v: TrainingViewT): void;
}

const INITIAL_FORM: TrainForm = {
  name: '',
  triggerWord: '',
  trainer: DEFAULT_TRAINER,
  mode: 'simple',
  preset: 'balanced',
  values: {},
};

const INITIAL = {
  trainers: [],
  trainersError: null,
  trainings: [],
  models: [],
  loaded: false,
  form: INITIAL_FORM,
  triggerTouched: false,
  starting: false,
  startError: null,
  actionError: null,
};

function upsert(list: TrainingViewT[], v: TrainingViewT): TrainingViewT[] {
  const rest = list.filter((t) => t.id !== v.id);
  return [v, ...rest].sort((a, b) => b.createdAt - a.createdAt);
}

export const useTrainings = create<TrainingsState>()((set, get) => ({
  ...INITIAL,
  async load() {
    try {
      const { trainings, models } = await client.training.list();
      // events that arrived meanwhile are newer than the list
      set((s) => ({
        trainings: trainings.map((t) => s.trainings.find((x) => x.id === t.id && x.updatedAt > t.updatedAt) ?? t),
        models,
        loaded: true,
      }));
    } catch (e) {
      set({ loaded: true, actionError: asClientError(e).message });
    }
    try {
      const trainers = await client.training.trainers();
      set({ trainers, trainersError: null });
    } catch (e) {
      set({ trainersError: asClientError(e).message });
    }
  },
  setForm(patch) {
    set((s) => ({ form: { ...s.form, ...patch }, startError: null }));
  },
  setMode(mode) {
    const s = get();
    const t = s.trainers.find((x) => x.ref === s.form.trainer);
    // Advanced starts from what Simple would send, so switching changes nothing by itself
    const values =
      mode === 'advanced' && !Object.keys(s.form.values).length ? advancedStart(s.form.preset, t) : s.form.values;
    set({ form: { ...s.form, mode, values }, startError: null });
  },
  setPreset(preset) {
    set((s) => ({ form: { ...s.form, preset }, startError: null }));
  },
  setValue(name, value) {
    set((s) => {
      const values = { ...s.form.values };
      if (value === undefined) delete values[name];
      else values[name] = value;
      return { form: { ...s.form, values }, startError: null };
    });
  },
  async start(setId) {
    const s = get();
    if (s.starting) return false;
    const t = s.trainers.find((x) => x.ref === s.form.trainer);
    set({ starting: true, startError: null });
    try {
      const input = formInput(s.form, t);
      const v = await client.training.start({
        setId,
        name: s.form.name.trim(),
        triggerWord: s.form.triggerWord.trim(),
        trainer: s.form.trainer,
        ...(s.form.mode === 'simple' ? { preset: s.form.preset } : { input }),
      });
      set((st) => ({ trainings: upsert(st.trainings, v) }));
      return true;
    } catch (e) {
      set({ startError: asClientError(e) });
      return false;
    } finally {
      set({ starting: false });
    }
  },
  async cancel(id) {
    try {
      get().receive(await client.training.cancel({ id }));
      set({ actionError: null });
    } catch (e) {
      set({ actionError: asClientError(e).message });
    }
  },
  async retry(id) {
    try {
      get().receive(await client.training.retry({ id }));
      set({ actionError: null });
    } catch (e) {
      set({ actionError: asClientError(e).message });
    }
  },
  receive(v) {
    set((s) => ({ trainings: upsert(s.trainings, v) }));
    // a model is recorded when its training succeeds: read the list again for it
    if (v.state === 'succeeded' && v.modelRef && !get().models.some((m) => m.ref === v.modelRef))
      void client.training
        .list()
        .then(({ models }) => set({ models }))
        .catch(() => {});
  },
}));

/** `training:progress` from main while the view is open; returns the unsubscribe. */
export function connectTrainings(): () => void {
  return events().training.onProgress((v) => useTrainings.getState().receive(v));
}

export function resetTrainings(): void {
  useTrainings.setState(INITIAL);
}
