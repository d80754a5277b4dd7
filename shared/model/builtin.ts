/** The built-in sseelfie-ai schema: used when the model cannot be fetched (offline, first run). */
import openapi from './sseelfie-ai.openapi.json' with { type: 'json' };
import { parseOpenApiSchema } from './schema';

export const BUILTIN_OPENAPI: unknown = openapi;
export const BUILTIN_SCHEMA = parseOpenApiSchema(openapi);
