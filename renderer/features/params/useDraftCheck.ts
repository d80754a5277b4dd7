/**
 * The draft (prompt + parameters) checked against the current model's schema, shared by the
 * parameters form (inline messages) and the Generate button (why it is disabled).
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelSchema } from '../../../shared/model/schema';
import { useModel } from '../../store/studio';
import { useDraft, useSelection } from '../../store/ui';
import { checkDraft, fieldTitle, type DraftCheck } from './logic';

/** The model's schema with the form's friendlier titles (so messages name what the person sees). */
export function useSchema(): ModelSchema | null {
  const fields = useModel((s) => s.info?.fields);
  return useMemo(() => (fields ? { fields: fields.map((f) => ({ ...f, title: fieldTitle(f) })) } : null), [fields]);
}

export function useDraftCheck(): (DraftCheck & { schema: ModelSchema }) | null {
  const schema = useSchema();
  const draft = useDraft(useShallow((s) => ({ prompt: s.prompt, values: s.values, raw: s.raw, serverIssues: s.serverIssues })));
  const source = useSelection((s) => s.source);
  return useMemo(() => {
    if (!schema) return null;
    const size = source ? { width: source.width, height: source.height } : null;
    return { schema, ...checkDraft(schema, draft, size, draft.serverIssues) };
  }, [schema, draft, source]);
}
