/**
 * The A1111-style "parameters" text, the convention other tools (and people) read: the prompt,
 * then one line of `Key: value` pairs. promptFromParameters (xmp.ts) reads the prompt back.
 */

/** What the text is made from; a job's journal record (jobs/journal.ts) has all of it. */
export interface ParametersSource {
  prompt: string;
  input: Record<string, unknown>;
  modelRef: string;
  versionId: string | null;
  seed?: number;
  predictionId?: string;
  /** set when the run started from a photo: the text then gives the denoising strength */
  image?: unknown;
}

export function parametersText(rec: ParametersSource, width: number, height: number): string {
  const i = rec.input;
  const parts = [
    `Steps: ${i.num_inference_steps ?? 28}`,
    `Sampler: flux-${i.model ?? 'dev'}`,
    `CFG scale: ${i.guidance_scale ?? 3}`,
    `Seed: ${rec.seed ?? 'random'}`,
    `Size: ${width}x${height}`,
    `Model: ${rec.modelRef}${rec.versionId ? ':' + rec.versionId : ''}`,
    `Lora scale: ${i.lora_scale ?? 1}`,
  ];
  if (rec.image) parts.push(`Denoising strength: ${i.prompt_strength ?? 0.8}`);
  if (rec.predictionId) parts.push(`Replicate prediction: ${rec.predictionId}`);
  return `${rec.prompt}\n${parts.join(', ')}`;
}
