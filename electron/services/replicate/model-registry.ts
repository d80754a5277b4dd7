/**
 * Resolves `owner/name[:version]` to a pinned version id and its input schema. Answers are
 * cached on disk so the form and validation work offline; the built-in sseelfie-ai schema is the
 * last resort (it can show the form, but a run still needs the version id from Replicate).
 */
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { BUILTIN_SCHEMA } from '../../../shared/model/builtin';
import { DEFAULT_MODEL, parseModelRef } from '../../../shared/model/rules';
import { parseOpenApiSchema, type ModelSchema } from '../../../shared/model/schema';
import { readJson, writeJsonAtomic } from '../fs/atomic';
import type { ReplicateGateway } from './gateway';

export interface ResolvedModel {
  ref: string;
  owner: string;
  name: string;
  versionId: string | null;
  description?: string;
  schema: ModelSchema;
  source: 'live' | 'cache' | 'builtin';
  warning?: string;
  /** why Replicate could not be asked (the built-in fallback has no version to run) */
  lookupError?: StudioError;
}

interface CacheEntry {
  versionId: string;
  description?: string;
  openapi: unknown;
  fetchedAt: number;
}

export class ModelRegistry {
  private memory = new Map<string, ResolvedModel>();
  private disk: Record<string, CacheEntry> | null = null;

  constructor(
    private readonly gateway: ReplicateGateway,
    private readonly cacheFile: string,
    private readonly now: () => number = Date.now,
  ) {}

  private async loadDisk(): Promise<Record<string, CacheEntry>> {
    if (!this.disk) {
      try {
        this.disk = (await readJson<Record<string, CacheEntry>>(this.cacheFile)) ?? {};
      } catch {
        this.disk = {}; // a damaged cache is only a cache
      }
    }
    return this.disk;
  }

  async resolve(ref: string, opts: { refresh?: boolean } = {}): Promise<ResolvedModel> {
    const parsed = parseModelRef(ref);
    if (!parsed)
      throw new StudioError('invalid_input', `"${ref}" is not a model name. Use owner/name, e.g. ${DEFAULT_MODEL}.`, {
        fields: [{ field: 'model', message: 'Use owner/name or owner/name:version.' }],
      });
    const key = `${parsed.owner}/${parsed.name}${parsed.version ? ':' + parsed.version : ''}`;
    if (!opts.refresh && this.memory.has(key)) return this.memory.get(key)!;
    const disk = await this.loadDisk();
    try {
      let versionId: string;
      let openapi: unknown;
      let description: string | undefined;
      if (parsed.version) {
        const v = await this.gateway.getVersion(parsed.owner, parsed.name, parsed.version);
        versionId = v.id;
        openapi = v.openapi_schema;
      } else {
        const m = await this.gateway.getModel(parsed.owner, parsed.name);
        if (!m.latest_version)
          throw new StudioError(
            'not_found',
            `${parsed.owner}/${parsed.name} has no version yet. Train it first, or pick another model.`,
          );
        versionId = m.latest_version.id;
        openapi = m.latest_version.openapi_schema;
        description = m.description ?? undefined;
      }
      let schema: ModelSchema;
      try {
        schema = parseOpenApiSchema(openapi);
      } catch (e) {
        throw new StudioError(
          'invalid_input',
          `The inputs of ${key} cannot be read by this app (${e instanceof Error ? e.message : String(e)}). It may not be an image model made with Cog; pick another model or version in Settings.`,
          {
            fields: [{ field: 'model', message: 'Its input schema cannot be read.' }],
          },
        );
      }
      const out: ResolvedModel = {
        ref: key,
        owner: parsed.owner,
        name: parsed.name,
        versionId,
        schema,
        source: 'live',
      };
      if (description) out.description = description;
      this.memory.set(key, out);
      disk[key] = { versionId, openapi, fetchedAt: this.now(), ...(description ? { description } : {}) };
      await writeJsonAtomic(this.cacheFile, disk).catch(() => {});
      return out;
    } catch (e) {
      // Only fall back when Replicate could not be asked; a definite "no" is the answer.
      if (!(e instanceof StudioError) || !['network', 'server', 'rate_limited', 'unauthenticated'].includes(e.code))
        throw e;
      const cached = disk[key];
      if (cached) {
        const out: ResolvedModel = {
          ref: key,
          owner: parsed.owner,
          name: parsed.name,
          versionId: cached.versionId,
          schema: parseOpenApiSchema(cached.openapi),
          source: 'cache',
          warning: `Showing the settings saved on ${new Date(cached.fetchedAt).toLocaleDateString()}: ${e.message}`,
        };
        this.memory.set(key, out);
        return out;
      }
      if (`${parsed.owner}/${parsed.name}` === DEFAULT_MODEL) {
        return {
          ref: key,
          owner: parsed.owner,
          name: parsed.name,
          versionId: parsed.version ?? null,
          schema: BUILTIN_SCHEMA,
          source: 'builtin',
          warning: e.message,
          lookupError: e,
        };
      }
      throw e;
    }
  }
}

export function modelCacheFile(dir: string): string {
  return path.join(dir, 'models.json');
}
