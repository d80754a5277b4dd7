/**
 * Settings back into the studio's form: from a photo's embedded settings (export:readSettingsFromFile,
 * dropped on the prompt column or picked from the Presets menu) and from a saved run (Remix).
 * `restoreIntoForm` is the pure mapping (unit-tested); the store holds the notes the banner shows.
 */
import { create } from 'zustand';
import type { RestoredSettingsT, RunDetailT } from '../../../shared/ipc/contract';
import type { ModelSchema } from '../../../shared/model/schema';
import { asClientError, client } from '../../app/client';
import { useModel } from '../params/model-store';
import { useDraft, type DraftValue } from '../params/draft-store';
import { useNav } from '../../app/nav-store';
import { useSelection } from '../studio/selection-store';
import { makeBitmap } from '../canvas/mask-doc';
import { maskDocFor } from '../canvas/mask-session';

export interface RestoreNote {
  field: string;
  message: string;
}

export interface FormFill {
  prompt: string;
  values: Record<string, DraftValue>;
  notes: RestoreNote[];
}

/** inputs that are files, not settings: a run's photo and mask come back through the selection */
const FILE_INPUTS = new Set(['image', 'mask']);

/**
 * The form's prompt and values from a model input: every field this model has whose value the
 * form can hold; everything else is named in a note (never silently dropped, never pasted into
 * the prompt).
 */
export function restoreIntoForm(
  input: Record<string, unknown>,
  schema: ModelSchema,
  notes: readonly RestoreNote[] = [],
): FormFill {
  const fields = new Map(schema.fields.map((f) => [f.name, f]));
  const values: Record<string, DraftValue> = {};
  const out: RestoreNote[] = [...notes];
  let prompt = '';
  for (const [k, v] of Object.entries(input)) {
    if (k === 'prompt') {
      if (typeof v === 'string') prompt = v;
      continue;
    }
    if (FILE_INPUTS.has(k)) continue;
    const f = fields.get(k);
    if (!f) {
      if (!out.some((n) => n.field === k))
        out.push({ field: k, message: `${k}: not a setting of this model, left out.` });
      continue;
    }
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[k] = v;
    else if (v !== null && v !== undefined)
      out.push({ field: k, message: `${k}: a value the form cannot show, left out.` });
  }
  return { prompt, values, notes: out };
}

interface RestoreState {
  /** what the banner says: where the settings came from and what was left out; null: no banner */
  banner: { title: string; notes: RestoreNote[]; tone: 'info' | 'error' } | null;
  busy: boolean;
  dismiss(): void;
}

export const useRestore = create<RestoreState>()((set) => ({
  banner: null,
  busy: false,
  dismiss: () => set({ banner: null }),
}));

function currentSchema(): ModelSchema | undefined {
  const info = useModel.getState().info;
  return info ? { fields: info.fields } : undefined;
}

function fill(f: FormFill): void {
  useDraft.getState().load(f.prompt, f.values);
}

/** The model the studio uses now differs from the one that made these settings: say so. */
function modelNote(modelRef: string | undefined): RestoreNote[] {
  const current = useModel.getState().info?.ref;
  if (!modelRef || !current || modelRef === current || modelRef.split(':')[0] === current.split(':')[0]) return [];
  return [
    {
      field: 'model',
      message: `Made with ${modelRef}; the studio generates with ${current} (change the model in Settings).`,
    },
  ];
}

/** A photo's settings into the form (file: a dropped file; none: main's open dialog asks). */
export async function restoreFromPhoto(file?: File): Promise<void> {
  const schema = currentSchema();
  useRestore.setState({ busy: true });
  try {
    if (!schema) throw new Error('The model’s settings are still loading: try again in a moment.');
    const r: RestoredSettingsT = await client.export.readSettingsFromFile({ files: file ? [file] : [] });
    if (!r.input) return; // the person closed the file dialog
    const f = restoreIntoForm(r.input, schema, [...r.notes, ...modelNote(r.modelRef)]);
    fill(f);
    const from = r.name ? `“${r.name}”` : 'the photo';
    const title =
      r.source === 'a1111'
        ? `Settings from ${from} (an AUTOMATIC1111-style file): what maps onto this model.`
        : `Settings restored from ${from}.`;
    useRestore.setState({ banner: { title, notes: f.notes, tone: 'info' } });
    useNav.getState().go('studio');
  } catch (e) {
    const msg = e instanceof Error && !('code' in e) ? e.message : asClientError(e).message;
    useRestore.setState({ banner: { title: msg, notes: [], tone: 'error' } });
  } finally {
    useRestore.setState({ busy: false });
  }
}

/**
 * A repainted run's mask onto the painter's mask of its starting photo (the one Remix puts on the
 * canvas), as one step the person can undo or paint over; a note when it cannot be had.
 */
async function loadRunMask(run: RunDetailT, notes: RestoreNote[]): Promise<void> {
  const source = run.source;
  if (!run.mask || !source) return;
  try {
    const m = await client.export.remixMask({ runId: run.id });
    const { doc } = maskDocFor(source.id, source.width, source.height);
    if (m.width !== doc.width || m.height !== doc.height || !doc.push(makeBitmap(m.width, m.height, m.data)))
      throw new Error(`the mask is ${m.width} × ${m.height}, the photo ${doc.width} × ${doc.height}`);
  } catch (e) {
    const why = e instanceof Error && !('code' in e) ? e.message : asClientError(e).message;
    notes.push({ field: 'mask', message: `Its painted mask could not be loaded (${why}): paint the area again.` });
  }
}

/**
 * Remix: a saved run's prompt, every setting (its seed too), its starting photo and, for a
 * repainted run, its mask back in the studio, ready to repaint from.
 */
export async function remixRun(run: RunDetailT): Promise<void> {
  const schema = currentSchema();
  const input: Record<string, unknown> = { ...run.input, prompt: run.prompt };
  if (run.seed !== null) input.seed = run.seed; // the seed the run actually used, even when it asked for a random one
  const f = schema
    ? restoreIntoForm(input, schema, modelNote(run.modelRef))
    : {
        prompt: run.prompt,
        values: {},
        notes: [{ field: 'model', message: 'The model’s settings were not loaded, so only the prompt was restored.' }],
      };
  // before the canvas shows the photo, so it opens with the mask on it
  await loadRunMask(run, f.notes);
  fill(f);
  useSelection.getState().setSource(
    run.source
      ? {
          assetId: run.source.id,
          width: run.source.width,
          height: run.source.height,
          label: 'Starting photo of a saved run',
        }
      : null,
  );
  const what = run.mask && !f.notes.some((n) => n.field === 'mask') ? 'settings, seed and mask' : 'settings and seed';
  useRestore.setState({
    banner: {
      title: `Remixing “${run.label || run.prompt.slice(0, 60)}”: its prompt, ${what} are in the studio.`,
      notes: f.notes,
      tone: 'info',
    },
  });
  useNav.getState().go('studio');
}
