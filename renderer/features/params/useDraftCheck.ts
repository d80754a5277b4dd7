/**
 * The draft (prompt + parameters) checked against the current model's schema, shared by the
 * parameters form (inline messages) and the Generate button (why it is disabled).
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelSchema } from '../../../shared/model/schema';
import { preparedSize, useMaskSession } from '../canvas';
import type { OutputPlan } from '../../../shared/model/rules';
import { useModel } from './model-store';
import { useSelfies } from '../studio/selfies-store';
import { useDraft } from './draft-store';
import { useSelection, type SourceImage } from '../studio/selection-store';
import { checkDraft, fieldTitle, type DraftCheck } from './logic';
import { originalSize, savedSize, type SavedSize, type ShelfSelfie } from './output-size';

/** The model's schema with the form's friendlier titles (so messages name what the person sees). */
export function useSchema(): ModelSchema | null {
  const fields = useModel((s) => s.info?.fields);
  return useMemo(() => (fields ? { fields: fields.map((f) => ({ ...f, title: fieldTitle(f) })) } : null), [fields]);
}

/**
 * The size the model gets: main fits the photo (a selfie's original, not the display copy painted
 * on) in 1440 px and cuts the sides to multiples of 16.
 */
export function modelImageSize(
  source: (Pick<SourceImage, 'width' | 'height'> & { assetId?: string }) | null,
  selfies: readonly ShelfSelfie[] = [],
): { width: number; height: number } | null {
  if (!source) return null;
  const own = source.assetId ? originalSize({ ...source, assetId: source.assetId }, selfies) : source;
  return preparedSize(own.width, own.height) ?? { width: own.width, height: own.height };
}

/** The size the photos will be saved at (keep-outside composites into the original's size). */
export function useSavedSize(plan: Pick<OutputPlan, 'mode' | 'width' | 'height'> | null | undefined): SavedSize | null {
  const source = useSelection((s) => s.source);
  const selfies = useSelfies((s) => s.list);
  const keepOutside = useMaskSession((s) => s.keepOutside);
  const mode = plan?.mode;
  const width = plan?.width ?? null;
  const height = plan?.height ?? null;
  return useMemo(
    () =>
      mode ? savedSize({ mode, width, height }, source ? originalSize(source, selfies) : null, keepOutside) : null,
    [mode, width, height, source, selfies, keepOutside],
  );
}

export function useDraftCheck(): (DraftCheck & { schema: ModelSchema; hasMask: boolean }) | null {
  const schema = useSchema();
  const draft = useDraft(
    useShallow((s) => ({ prompt: s.prompt, values: s.values, raw: s.raw, serverIssues: s.serverIssues })),
  );
  const source = useSelection((s) => s.source);
  const selfies = useSelfies((s) => s.list);
  const painted = useMaskSession((s) => s.hasMask);
  return useMemo(() => {
    if (!schema) return null;
    const size = modelImageSize(source, selfies);
    const hasMask = !!size && painted;
    return { schema, hasMask, ...checkDraft(schema, draft, size, draft.serverIssues, hasMask) };
  }, [schema, draft, source, selfies, painted]);
}
