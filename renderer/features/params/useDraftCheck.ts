/**
 * The draft (prompt + parameters) checked against the current model's schema, shared by the
 * parameters form (inline messages) and the Generate button (why it is disabled).
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelSchema } from '../../../shared/model/schema';
import { preparedSize, useMaskSession } from '../canvas';
import { useModel } from '../../store/studio';
import { useDraft, useSelection, type SourceImage } from '../../store/ui';
import { checkDraft, fieldTitle, type DraftCheck } from './logic';

/** The model's schema with the form's friendlier titles (so messages name what the person sees). */
export function useSchema(): ModelSchema | null {
  const fields = useModel((s) => s.info?.fields);
  return useMemo(() => (fields ? { fields: fields.map((f) => ({ ...f, title: fieldTitle(f) })) } : null), [fields]);
}

/** The size the model gets: main fits the photo in 1440 px and cuts the sides to multiples of 16. */
export function modelImageSize(source: Pick<SourceImage, 'width' | 'height'> | null): { width: number; height: number } | null {
  if (!source) return null;
  return preparedSize(source.width, source.height) ?? { width: source.width, height: source.height };
}

export function useDraftCheck(): (DraftCheck & { schema: ModelSchema; hasMask: boolean }) | null {
  const schema = useSchema();
  const draft = useDraft(useShallow((s) => ({ prompt: s.prompt, values: s.values, raw: s.raw, serverIssues: s.serverIssues })));
  const source = useSelection((s) => s.source);
  const painted = useMaskSession((s) => s.hasMask);
  return useMemo(() => {
    if (!schema) return null;
    const size = modelImageSize(source);
    const hasMask = !!size && painted;
    return { schema, hasMask, ...checkDraft(schema, draft, size, draft.serverIssues, hasMask) };
  }, [schema, draft, source, painted]);
}
