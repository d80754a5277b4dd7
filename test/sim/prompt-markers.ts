/**
 * Prompt markers: the simulator's way to ask for the model's own failure modes (`[nsfw]`,
 * `[nsfw:1,3]`, `[oom]`, `[slow]`), and which `extra_lora` strings the predictor can resolve
 * (part of model-rules.ts). The extra_lora rules and error texts mirror cog-flux weights.py
 * `make_download_url`.
 */

export interface PromptMarkers {
  /** indices the safety checker flags; 'all' for every image */
  nsfw: number[] | 'all' | null;
  oom: boolean;
  slow: boolean;
}

export function parseMarkers(prompt: string): PromptMarkers {
  const m: PromptMarkers = { nsfw: null, oom: /\[oom\]/i.test(prompt), slow: /\[slow\]/i.test(prompt) };
  if (/\[nsfw\]/i.test(prompt)) m.nsfw = 'all';
  else {
    const sel = /\[nsfw:([\d,\s]+)\]/i.exec(prompt);
    if (sel)
      m.nsfw = sel[1]!
        .split(',')
        .map((s) => Number(s.trim()))
        .filter((n) => Number.isInteger(n));
  }
  return m;
}

/** weights.py make_download_url: which extra_lora strings the predictor can resolve. */
export function extraLoraError(ref: string): string | null {
  const ok = [
    /^data:/,
    /^(?:https?:\/\/)?huggingface\.co\/([^/]+)\/([^/]+)(?:\/([^/]+\.safetensors))?\/?$/,
    /^(?:https?:\/\/)?civitai\.com\/models\/(\d+)(?:\/[^/?]+)?\/?$/,
    /^((?:https?:\/\/)?civitai\.com\/api\/download\/models\/.*)$/,
    /^(https?:\/\/.*\.safetensors(\?.*)?)$/,
    /^(?:https?:\/\/replicate.com\/)?([^/]+)\/([^/]+)\/?$/,
    /^(?:https?:\/\/replicate.com\/)?([^/]+)\/([^/]+)\/(?:versions\/)?([^/]+)\/?$/,
    /^(https?:\/\/replicate.delivery\/.*\.tar)$/,
  ];
  if (ok.some((re) => re.test(ref))) return null;
  if (ref.includes('huggingface.co'))
    return 'Failed to parse HuggingFace URL. Expected huggingface.co/<owner>/<model-name>[/<lora-weights-file.safetensors>]';
  if (ref.includes('civitai.com'))
    return 'Failed to parse CivitAI URL. Expected civitai.com/models/<id>[/<model-name>]';
  return [
    'Failed to parse URL. Expected either:',
    '* Replicate model in the format <owner>/<username> or <owner>/<username>/<version>',
    '* HuggingFace URL in the format huggingface.co/<owner>/<model-name>[/<lora-weights-file.safetensors>]',
    '* CivitAI URL in the format civitai.com/models/<id>[/<model-name>]',
    '* Arbitrary .safetensors URLs from the Internet',
  ].join('\n');
}
