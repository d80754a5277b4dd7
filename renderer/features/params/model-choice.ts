/**
 * Choosing the model the studio generates with: the default model in Settings (main resolves its
 * schema from the version itself, `models:get`), and the prompt's trigger word swapped for the new
 * model's, so "SSLFQX at a desk" becomes "ADAQXZ at a desk" rather than drawing a stranger.
 */
import type { TrainedModelT } from '../../../shared/ipc/contract';
import { useModel } from './model-store';
import { useSettings } from '../settings/settings-store';
import { useDraft } from './draft-store';
import { addTrigger, mentionsTrigger, triggerFor } from '../prompt/logic';

/** The prompt with `from` (the old model's trigger word) replaced by `to`, or `to` put in front. */
export function swapTrigger(prompt: string, from: string | undefined, to: string): string {
  if (!prompt.trim()) return prompt;
  if (from && from !== to && mentionsTrigger(prompt, from)) {
    const esc = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return prompt.replace(new RegExp(`(^|[^\\p{L}\\p{N}_])${esc}(?=$|[^\\p{L}\\p{N}_])`, 'giu'), `$1${to}`);
  }
  return addTrigger(prompt, to);
}

/** Makes `ref` the studio's model; a trained model's trigger word goes into the prompt. */
export async function chooseModel(ref: string, trained?: Pick<TrainedModelT, 'triggerWord'>): Promise<void> {
  const settings = useSettings.getState();
  const before = triggerFor(settings.settings?.triggerWords, useModel.getState().info);
  const view = await settings.update({ defaultModel: ref });
  const [base] = ref.split(':');
  const next = trained?.triggerWord ?? view.triggerWords[ref] ?? view.triggerWords[base!];
  if (next) {
    const draft = useDraft.getState();
    const prompt = swapTrigger(draft.prompt, before, next);
    if (prompt !== draft.prompt) draft.setPrompt(prompt);
  }
}
