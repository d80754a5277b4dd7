/** A few starting scenes for a personal-brand shoot; `{tw}` is replaced by the trigger word. */
export interface Scene {
  title: string;
  prompt: string;
}

export const SCENES: readonly Scene[] = [
  { title: 'Studio headshot', prompt: 'a professional headshot of {tw}, soft studio light, neutral warm backdrop, confident relaxed smile, 85mm lens' },
  { title: 'Café, laptop', prompt: '{tw} working on a laptop in a bright café, morning window light, candid, shallow depth of field' },
  { title: 'On stage', prompt: '{tw} speaking on stage at a conference, holding a microphone, warm spotlight, audience softly blurred' },
  { title: 'City walk', prompt: '{tw} walking down a city street at golden hour, smart casual outfit, natural stride, editorial photo' },
  { title: 'Home office', prompt: '{tw} at a tidy home office desk with plants, natural light, looking at the camera, friendly' },
];

export function scenePrompt(scene: Scene, triggerWord: string | undefined): string {
  return scene.prompt.replaceAll('{tw}', triggerWord?.trim() || 'a person');
}

/** true when the prompt mentions the trigger word as a word (case-insensitive) */
export function mentionsTrigger(prompt: string, triggerWord: string): boolean {
  const tw = triggerWord.trim();
  if (!tw) return true;
  const esc = tw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_])${esc}($|[^\\p{L}\\p{N}_])`, 'iu').test(prompt);
}
