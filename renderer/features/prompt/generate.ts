/**
 * Turning the draft into `jobs.start` requests: one for Generate (with the starting photo and the
 * painted mask when there are), one per scene for a photoshoot. Also the sentence under the
 * button that says what will happen, and why Generate is disabled when it is.
 */
import type { Req } from '../../../shared/ipc/contract';
import type { ModelSchema } from '../../../shared/model/schema';
import type { OutputPlan } from '../../../shared/model/rules';
import type { MaskBitmap } from '../../../shared/images';
import { checkDraft, requestInput, type DraftInputs } from '../params/logic';
import type { SourceImage } from '../studio/selection-store';
import { activeFragments, addFragment, scenePrompt, type Scene } from './logic';

export type MaskInput = MaskBitmap;

/** The request for Generate. `mask` only counts with a starting photo. */
export function generateRequest(
  schema: ModelSchema,
  draft: DraftInputs,
  source: SourceImage | null,
  modelSize: { width: number; height: number } | null,
  mask: MaskInput | null,
  keepOutside: boolean,
): Req<'jobs:start'> {
  const req: Req<'jobs:start'> = { input: requestInput(schema, draft, modelSize) };
  if (source) {
    req.image = { assetId: source.assetId };
    if (mask) {
      req.mask = { width: mask.width, height: mask.height, data: mask.data as Uint8Array<ArrayBuffer> };
      req.keepOutside = keepOutside;
    }
  }
  return req;
}

/** A scene's prompt with the trigger word and the style fragments that are on in the draft. */
export function scenePromptWithStyle(scene: Scene, triggerWord: string | undefined, draftPrompt: string): string {
  return activeFragments(draftPrompt).reduce((p, f) => addFragment(p, f.text), scenePrompt(scene, triggerWord));
}

/** The draft as a scene would send it: its prompt and recommended aspect ratio, the rest as set. */
export function sceneDraft(
  schema: ModelSchema,
  draft: DraftInputs,
  scene: Scene,
  triggerWord: string | undefined,
): DraftInputs {
  const values = { ...draft.values };
  if (schema.fields.some((f) => f.name === 'aspect_ratio')) values.aspect_ratio = scene.aspect_ratio;
  return { prompt: scenePromptWithStyle(scene, triggerWord, draft.prompt), values, raw: draft.raw };
}

/** One request per scene (no starting photo: each scene has its own size), labelled by its title. */
export function packRequests(
  schema: ModelSchema,
  draft: DraftInputs,
  scenes: readonly Scene[],
  triggerWord: string | undefined,
): Array<Req<'jobs:start'>> {
  return scenes.map((scene) => ({
    input: requestInput(schema, sceneDraft(schema, draft, scene, triggerWord), null),
    label: scene.title,
  }));
}

/** Why the scenes cannot be queued with the current settings (null: they can). */
export function packProblem(
  schema: ModelSchema,
  draft: DraftInputs,
  scenes: readonly Scene[],
  triggerWord: string | undefined,
): string | null {
  if (!scenes.length) return 'Pick at least one scene.';
  const check = checkDraft(schema, sceneDraft(schema, draft, scenes[0]!, triggerWord), null);
  if (check.result.ok) return null;
  const first = check.result.issues.find((i) => i.field !== 'prompt') ?? check.result.issues[0]!;
  return `Fix the photo settings first: ${first.message}`;
}

export function photoCount(values: Record<string, unknown>, schema: ModelSchema): number {
  const n = values.num_outputs ?? schema.fields.find((f) => f.name === 'num_outputs')?.default ?? 1;
  return typeof n === 'number' && n > 0 ? n : 1;
}

/** "2 photos at 1440 × 1088, repainting the masked area · Billed to your Replicate account" */
export function generateSummary(
  plan: Pick<OutputPlan, 'width' | 'height' | 'mode'>,
  count: number,
  seed?: number,
): string {
  let s = `${count} ${count === 1 ? 'photo' : 'photos'}`;
  if (plan.width && plan.height) s += ` at ${plan.width} × ${plan.height}`;
  if (plan.mode === 'inpaint') s += ', repainting the masked area';
  else if (plan.mode === 'img2img') s += ', starting from your photo';
  if (seed !== undefined) s += ` · seed ${seed}`;
  return `${s} · Billed to your Replicate account`;
}
