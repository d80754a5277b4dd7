/**
 * Recent prompts and saved presets (channels prompts:recent, presets:*).
 */
import type { HandlerContext, HandlersOf } from './context';

export function promptHandlers({ prompts }: Pick<HandlerContext, 'prompts'>): HandlersOf<'prompts' | 'presets'> {
  return {
    'prompts:recent': () => prompts.recent(),
    'presets:list': () => prompts.presets(),
    'presets:save': ({ name, values }) => prompts.savePreset(name, values),
    'presets:remove': ({ name }) => prompts.removePreset(name),
  };
}
