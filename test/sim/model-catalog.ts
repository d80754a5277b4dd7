/**
 * The simulator's models and versions: what a test declares (`SimModel`), what the API serves
 * (`CatalogModel`, `ModelVersion`), stable version ids and Replicate's timestamp format (part of
 * model-rules.ts). Mirrors the model and version objects of Replicate's OpenAPI
 * (`models.get`, `models.versions.list`).
 */
import { createHash } from 'node:crypto';
import { COG_VERSION_OF, type CogDialect, type OpenApiSchema } from './cog-schema';
import { hotswapSchema, legacySchema } from './model-inputs';

export type Predictor = 'hotswap' | 'legacy';

export interface SimVersionSpec {
  predictor?: Predictor;
  /** how the version's Cog wrote its schema; default: the model's, else SimOptions.schemaDialect, else 'cog-allof' */
  dialect?: CogDialect;
  /** default: the schema of the predictor in that dialect */
  openapiSchema?: OpenApiSchema;
  /** default: a Cog version typical of the dialect */
  cogVersion?: string;
  /** ISO time; default: deterministic from the model name */
  createdAt?: string;
}

export interface SimModel {
  owner: string;
  name: string;
  description?: string;
  /** private: only a token whose username equals `owner` sees it; everyone else gets 404 / 422 */
  visibility?: 'public' | 'private';
  /** oldest first; default one hotswap version. The last one is `latest_version`. */
  versions?: SimVersionSpec[];
  /** dialect of every version that names none */
  dialect?: CogDialect;
  runCount?: number;
}

export interface ModelVersion {
  id: string;
  index: number;
  createdAt: string;
  predictor: Predictor;
  dialect: CogDialect;
  cogVersion: string;
  schema: OpenApiSchema;
}

export interface CatalogModel {
  owner: string;
  name: string;
  description: string;
  visibility: 'public' | 'private';
  runCount: number;
  /** oldest first */
  versions: ModelVersion[];
}

export const DEFAULT_MODEL: SimModel = {
  owner: 'sandrasocial',
  name: 'sseelfie-ai',
  description: 'Your perfect AI brandphotoshoot using just your selfies',
  visibility: 'public',
  versions: [{ predictor: 'hotswap' }],
  runCount: 1287,
};

/** 64 hex characters, stable for a model name and version index (what a real version id looks like). */
export function versionIdFor(owner: string, name: string, index: number): string {
  return createHash('sha256').update(`${owner}/${name}@${index}`).digest('hex');
}

export function buildCatalogModel(m: SimModel, defaultDialect: CogDialect = 'cog-allof'): CatalogModel {
  const specs = m.versions?.length ? m.versions : [{ predictor: 'hotswap' as const }];
  const h = createHash('sha256').update(`${m.owner}/${m.name}`).digest();
  const base = Date.UTC(2025, 0, 10) + (h.readUInt32BE(0) % (86_400 * 60)) * 1000;
  return {
    owner: m.owner,
    name: m.name,
    description: m.description ?? '',
    visibility: m.visibility ?? 'public',
    runCount: m.runCount ?? 0,
    versions: specs.map((spec, index) => {
      const predictor = spec.predictor ?? 'hotswap';
      const dialect = spec.dialect ?? m.dialect ?? defaultDialect;
      return {
        id: versionIdFor(m.owner, m.name, index),
        index,
        predictor,
        dialect,
        cogVersion: spec.cogVersion ?? COG_VERSION_OF[dialect],
        createdAt:
          spec.createdAt ?? replicateTime(base + index * 9 * 86_400_000 + (h[4 + (index % 20)]! * 3_600_000) / 7),
        schema: spec.openapiSchema ?? (predictor === 'legacy' ? legacySchema(dialect) : hotswapSchema(dialect)),
      };
    }),
  };
}

/** Replicate writes timestamps with microseconds: 2025-01-10T12:34:56.789000Z. */
export function replicateTime(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  const micros = String(Math.floor((ms % 1) * 1000)).padStart(3, '0');
  return iso.replace('Z', `${micros}Z`);
}
