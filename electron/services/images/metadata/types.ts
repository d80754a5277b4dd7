/** What is embedded in a result image and what reading one gives back. */
export type EmbedFormat = 'png' | 'jpg' | 'webp';

export interface EmbeddedMeta {
  /** A1111-style text: prompt line(s), optional "Negative prompt: …", then "Steps: 28, Sampler: …, Seed: N, Size: WxH, Model: owner/name:version" */
  parameters: string;
  json: Record<string, unknown>;
}

export interface ReadMeta {
  parameters?: string;
  json?: Record<string, unknown>;
  /** dc:description of the XMP packet */
  prompt?: string;
}
