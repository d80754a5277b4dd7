/**
 * Recent prompts and saved presets (channels prompts:*, presets:*).
 */
import { z } from 'zod';
import { boundedRecord } from './common';

export const PresetValues = boundedRecord(
  z.string().max(64),
  z.union([z.string().max(2000), z.number(), z.boolean()]),
  64,
);
export const Preset = z.object({ name: z.string(), values: PresetValues, savedAt: z.number() });
