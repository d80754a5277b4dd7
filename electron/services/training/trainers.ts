/**
 * The trainers the app offers, each with its inputs read from its current version's
 * `components.schemas.TrainingInput` (never assumed): ostris/flux-dev-lora-trainer always, and
 * replicate/fast-flux-trainer only when its schema could be read.
 */
import { StudioError } from '../../../shared/errors';
import { parseOpenApiSchema, type ModelSchema } from '../../../shared/model/schema';
import { checkField } from '../../../shared/model/validate';
import type { FieldIssue } from '../../../shared/errors';
import { DEFAULT_TRAINER, OPTIONAL_TRAINERS } from '../../../shared/training/training';
import type { ReplicateGateway } from '../replicate/gateway';
import { trainingFailures } from './training-failures';

export interface Trainer {
  ref: string;
  versionId: string;
  description?: string;
  schema: ModelSchema;
}

export const KNOWN_TRAINERS: readonly string[] = [DEFAULT_TRAINER, ...OPTIONAL_TRAINERS];

/** The TrainingInput of a trainer version's document, as a form schema. */
export function trainingInputSchema(openapi: unknown): ModelSchema {
  const doc = openapi as { components?: { schemas?: Record<string, unknown> } } | null;
  const ti = doc?.components?.schemas?.TrainingInput;
  if (!ti) throw new Error('its version has no TrainingInput');
  return parseOpenApiSchema({
    ...doc,
    components: { ...doc!.components, schemas: { ...doc!.components!.schemas, Input: ti } },
  });
}

export class TrainerCatalog {
  private cache = new Map<string, Trainer>();

  constructor(private readonly gateway: ReplicateGateway) {}

  async get(ref: string, opts: { refresh?: boolean } = {}): Promise<Trainer> {
    if (!KNOWN_TRAINERS.includes(ref)) throw trainingFailures.unknownTrainer(ref);
    if (!opts.refresh && this.cache.has(ref)) return this.cache.get(ref)!;
    const [owner, name] = ref.split('/') as [string, string];
    const m = await this.gateway.getModel(owner, name);
    if (!m.latest_version) throw trainingFailures.trainerUnreadable(ref, 'it has no version');
    let schema: ModelSchema;
    try {
      schema = trainingInputSchema(m.latest_version.openapi_schema);
    } catch (e) {
      throw trainingFailures.trainerUnreadable(ref, e instanceof Error ? e.message : String(e));
    }
    const t: Trainer = {
      ref,
      versionId: m.latest_version.id,
      schema,
      ...(m.description ? { description: m.description } : {}),
    };
    this.cache.set(ref, t);
    return t;
  }

  /** The default trainer (its failure is the answer) and every optional one that can be read. */
  async list(): Promise<Trainer[]> {
    const out = [await this.get(DEFAULT_TRAINER, { refresh: true })];
    for (const ref of OPTIONAL_TRAINERS) {
      try {
        out.push(await this.get(ref, { refresh: true }));
      } catch (e) {
        if (!(e instanceof StudioError)) throw e;
      }
    }
    return out;
  }
}

/** The trainer inputs the person set, checked against its schema: unknown names and bad values refused. */
export function checkTrainerInput(t: Trainer, input: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [k, v] of Object.entries(input)) {
    const f = t.schema.fields.find((x) => x.name === k);
    if (!f) {
      issues.push({ field: k, message: `${t.ref} has no setting "${k}".` });
      continue;
    }
    const p = checkField(f, v);
    if (p) issues.push({ field: k, message: p });
  }
  return issues;
}
