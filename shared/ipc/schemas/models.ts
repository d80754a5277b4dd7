/**
 * A model's inputs as the forms show them (channel models:get; the trainers reuse the field schema).
 */
import { z } from 'zod';

export const ModelFieldSchema = z.object({
  name: z.string(),
  title: z.string(),
  type: z.enum(['string', 'integer', 'number', 'boolean']),
  format: z.literal('uri').optional(),
  description: z.string().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  enum: z.array(z.union([z.string(), z.number()])).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  required: z.boolean(),
  order: z.number(),
});
export const ModelInfo = z.object({
  ref: z.string(),
  owner: z.string(),
  name: z.string(),
  versionId: z.string().nullable(),
  description: z.string().optional(),
  fields: z.array(ModelFieldSchema),
  /** live: fetched now; cache: fetched earlier; builtin: the bundled sseelfie-ai schema (offline) */
  source: z.enum(['live', 'cache', 'builtin']),
  warning: z.string().optional(),
});
