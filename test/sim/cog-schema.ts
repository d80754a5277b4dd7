/**
 * The `openapi_schema` a model version carries: Cog's WHOLE OpenAPI document (openapi, info, paths,
 * components.schemas Input/Output/Status/WebhookEvent/PredictionRequest/PredictionResponse/
 * ValidationError/HTTPValidationError and one schema per `choices=` enum), built from a list of
 * predict() inputs, in the dialects different Cog/pydantic generations write.
 *
 * Sources (read, not imported):
 * - Cog 0.9 (pydantic 1) document: the real `stability-ai/sdxl` version with cog_version 0.9.5 in
 *   replicate/replicate-python tests/cassettes/test_predictions_create_blocking[True-True].yaml, and
 *   replicate/cog v0.9.26 python/tests/server/test_http.py (paths, operationIds, Status enum).
 * - Cog ≥ 0.11 with pydantic 2: replicate/cog python/cog/server/helpers.py
 *   `update_openapi_schema_for_pydantic_2` rewrites pydantic 2's raw output (bare `$ref` with
 *   siblings, `anyOf: [{…}, {type: null}]`) back to the 0.9 shape; from 0.15 (#2316) an Optional
 *   input becomes `{type, nullable: true}` instead. cog-runtime/coglet and Cog's Go schema generator
 *   (pkg/schema/openapi_spec.go) also write `allOf` + `nullable`.
 *
 * So the dialects:
 * - `cog-allof` (default; Cog 0.9 and what the cog-flux hotswap predictor serves): enums as
 *   `allOf: [{$ref}]` next to default/description/x-order; optional inputs are plain types.
 * - `cog-bare-ref`: enums as a bare `$ref` with those siblings (pydantic 2's own form, before Cog's
 *   `_restore_allof_for_prediction_id_put`); the rest as in cog-allof.
 * - `cog-pydantic2-anyof`: pydantic 2 raw: inputs that default to None as
 *   `anyOf: [{type: X, …constraints}, {type: 'null'}]` with `default: null`, enums as bare `$ref`
 *   (an optional enum as `anyOf: [{$ref}, {type: 'null'}]`), enum schemas without Cog's
 *   "An enumeration." description, and the same for Optional fields of PredictionRequest/Response.
 * - `cog-nullable` (Cog ≥ 0.15, cog-runtime): optional inputs as `{type: X, nullable: true}`.
 * Every dialect keeps `x-order` on every input.
 *
 * Replicate stores the document as Postgres jsonb and serves it in jsonb key order (shorter keys
 * first, then bytewise: `{"info", "paths", "openapi", "components"}` in the sdxl cassette), so
 * property order says nothing; `x-order` does. `jsonbOrder` reproduces that.
 */

export type CogDialect = 'cog-allof' | 'cog-bare-ref' | 'cog-pydantic2-anyof' | 'cog-nullable';

export const COG_DIALECTS: readonly CogDialect[] = ['cog-allof', 'cog-bare-ref', 'cog-pydantic2-anyof', 'cog-nullable'];

/** The `cog_version` a version built in each dialect reports (a label only; clients must not branch on it). */
export const COG_VERSION_OF: Record<CogDialect, string> = {
  'cog-allof': '0.9.26',
  'cog-bare-ref': '0.11.1',
  'cog-pydantic2-anyof': '0.11.1',
  'cog-nullable': '0.15.8',
};

/** One predict() argument as Cog sees it (`name: type = Input(...)`). */
export interface CogInput {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  /** Path inputs */
  format?: 'uri';
  description?: string;
  /** absent: required (no default); null: `default=None` (optional); otherwise the default */
  default?: string | number | boolean | null;
  minimum?: number;
  maximum?: number;
  /** `choices=`: becomes components.schemas.<name> */
  choices?: Array<string | number>;
}

export interface SchemaNode {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  $ref?: string;
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  'x-order'?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
}

export interface OpenApiSchema {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, unknown>;
  components: { schemas: Record<string, SchemaNode> };
}

/** Python's `name.replace("_", " ").title()`, which pydantic uses for field titles. */
export function cogTitle(name: string): string {
  return name
    .split('_')
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase())
    .join(' ');
}

/** Postgres jsonb key order, recursively: shorter keys first, then bytewise. Arrays keep their order. */
export function jsonbOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => jsonbOrder(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value as object).sort((a, b) => {
    const la = Buffer.byteLength(a);
    const lb = Buffer.byteLength(b);
    return la - lb || Buffer.compare(Buffer.from(a), Buffer.from(b));
  });
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = jsonbOrder((value as Record<string, unknown>)[k]);
  return out as T;
}

const ref = (name: string) => `#/components/schemas/${name}`;

function inputProperty(f: CogInput, order: number, dialect: CogDialect): SchemaNode {
  const optional = f.default === null;
  const extras: SchemaNode = {};
  if (f.default !== undefined && f.default !== null) extras.default = f.default;
  if (f.description !== undefined) extras.description = f.description;

  if (f.choices) {
    const target = { $ref: ref(f.name) };
    let node: SchemaNode;
    if (dialect === 'cog-pydantic2-anyof' && optional) node = { anyOf: [target, { type: 'null' }], default: null };
    else if (dialect === 'cog-bare-ref' || dialect === 'cog-pydantic2-anyof') node = { ...target };
    else node = { allOf: [target] };
    if (dialect === 'cog-nullable' && optional) node.nullable = true;
    return { ...node, ...extras, 'x-order': order };
  }

  const typed: SchemaNode = { type: f.type };
  if (f.format) typed.format = f.format;
  if (f.minimum !== undefined) typed.minimum = f.minimum;
  if (f.maximum !== undefined) typed.maximum = f.maximum;
  if (dialect === 'cog-pydantic2-anyof' && optional) {
    // pydantic 2 keeps the constraints inside the non-null branch and writes the None default.
    return { anyOf: [typed, { type: 'null' }], default: null, title: cogTitle(f.name), ...extras, 'x-order': order };
  }
  const node: SchemaNode = { ...typed, title: cogTitle(f.name), ...extras, 'x-order': order };
  if (dialect === 'cog-nullable' && optional) node.nullable = true;
  return node;
}

function enumSchema(f: CogInput, dialect: CogDialect): SchemaNode {
  const s: SchemaNode = { enum: [...f.choices!], type: f.type, title: f.name };
  // Cog adds pydantic 1's boilerplate back (`_set_default_enumeration_description`); raw pydantic 2 has none.
  if (dialect !== 'cog-pydantic2-anyof') s.description = 'An enumeration.';
  return s;
}

/** A field of Cog's own request/response models that is Optional[...] in its Python source. */
function optionalField(
  dialect: CogDialect,
  typed: SchemaNode,
  title: string | undefined,
  extra: SchemaNode = {},
): SchemaNode {
  const withTitle = (n: SchemaNode) => (title === undefined ? n : { ...n, title });
  if (dialect === 'cog-pydantic2-anyof')
    return withTitle({ anyOf: [typed, { type: 'null' }], default: 'default' in extra ? extra.default : null });
  const node = withTitle({ ...typed, ...extra });
  if (dialect === 'cog-nullable') node.nullable = true;
  return node;
}

function cogModels(dialect: CogDialect): Record<string, SchemaNode> {
  const str = (title: string, format?: string): SchemaNode =>
    optionalField(dialect, format ? { type: 'string', format } : { type: 'string' }, title);
  const webhookEvents = ['start', 'output', 'logs', 'completed'];
  return {
    Status: {
      enum: ['starting', 'processing', 'succeeded', 'canceled', 'failed'],
      type: 'string',
      title: 'Status',
      description: 'An enumeration.',
    },
    WebhookEvent: { enum: webhookEvents, type: 'string', title: 'WebhookEvent', description: 'An enumeration.' },
    ValidationError: {
      type: 'object',
      title: 'ValidationError',
      required: ['loc', 'msg', 'type'],
      properties: {
        loc: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, title: 'Location' },
        msg: { type: 'string', title: 'Message' },
        type: { type: 'string', title: 'Error Type' },
      },
    },
    HTTPValidationError: {
      type: 'object',
      title: 'HTTPValidationError',
      properties: { detail: { type: 'array', items: { $ref: ref('ValidationError') }, title: 'Detail' } },
    },
    PredictionRequest: {
      type: 'object',
      title: 'PredictionRequest',
      properties: {
        id: str('Id'),
        input:
          dialect === 'cog-pydantic2-anyof'
            ? { anyOf: [{ $ref: ref('Input') }, { type: 'null' }], default: null }
            : { $ref: ref('Input') },
        webhook: optionalField(dialect, { type: 'string', format: 'uri', maxLength: 65536, minLength: 1 }, 'Webhook'),
        created_at: str('Created At', 'date-time'),
        output_file_prefix: str('Output File Prefix'),
        webhook_events_filter: optionalField(
          dialect,
          { type: 'array', items: { $ref: ref('WebhookEvent') } },
          undefined,
          { default: webhookEvents },
        ),
      },
    },
    PredictionResponse: {
      type: 'object',
      title: 'PredictionResponse',
      properties: {
        id: str('Id'),
        logs: { type: 'string', title: 'Logs', default: '' },
        error: str('Error'),
        input:
          dialect === 'cog-pydantic2-anyof'
            ? { anyOf: [{ $ref: ref('Input') }, { type: 'null' }], default: null }
            : { $ref: ref('Input') },
        output: { $ref: ref('Output') },
        status:
          dialect === 'cog-pydantic2-anyof'
            ? { anyOf: [{ $ref: ref('Status') }, { type: 'null' }], default: null }
            : { $ref: ref('Status') },
        metrics: optionalField(dialect, { type: 'object' }, 'Metrics'),
        version: str('Version'),
        created_at: str('Created At', 'date-time'),
        started_at: str('Started At', 'date-time'),
        completed_at: str('Completed At', 'date-time'),
      },
    },
  };
}

/** The `paths` of a Cog prediction server (no /trainings: a trained FLUX-LoRA version only predicts). */
function cogPaths(): Record<string, unknown> {
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  const ok = (schema: unknown) => ({ description: 'Successful Response', content: json(schema) });
  const invalid = { description: 'Validation Error', content: json({ $ref: ref('HTTPValidationError') }) };
  const prefer = { in: 'header', name: 'prefer', required: false, schema: { type: 'string', title: 'Prefer' } };
  const predictionId = {
    in: 'path',
    name: 'prediction_id',
    required: true,
    schema: { type: 'string', title: 'Prediction ID' },
  };
  return {
    '/': {
      get: { summary: 'Root', operationId: 'root__get', responses: { '200': ok({ title: 'Response Root  Get' }) } },
    },
    '/shutdown': {
      post: {
        summary: 'Start Shutdown',
        operationId: 'start_shutdown_shutdown_post',
        responses: { '200': ok({ title: 'Response Start Shutdown Shutdown Post' }) },
      },
    },
    '/health-check': {
      get: {
        summary: 'Healthcheck',
        operationId: 'healthcheck_health_check_get',
        responses: { '200': ok({ title: 'Response Healthcheck Health Check Get' }) },
      },
    },
    '/predictions': {
      post: {
        summary: 'Predict',
        description: 'Run a single prediction on the model',
        operationId: 'predict_predictions_post',
        parameters: [prefer],
        requestBody: { content: json({ $ref: ref('PredictionRequest') }) },
        responses: { '200': ok({ $ref: ref('PredictionResponse') }), '422': invalid },
      },
    },
    '/predictions/{prediction_id}': {
      put: {
        summary: 'Predict Idempotent',
        description: 'Run a single prediction on the model (idempotent creation).',
        operationId: 'predict_idempotent_predictions__prediction_id__put',
        parameters: [predictionId, prefer],
        requestBody: {
          required: true,
          content: json({ allOf: [{ $ref: ref('PredictionRequest') }], title: 'Prediction Request' }),
        },
        responses: { '200': ok({ $ref: ref('PredictionResponse') }), '422': invalid },
      },
    },
    '/predictions/{prediction_id}/cancel': {
      post: {
        summary: 'Cancel',
        description: 'Cancel a running prediction',
        operationId: 'cancel_predictions__prediction_id__cancel_post',
        parameters: [predictionId],
        responses: { '200': ok({ title: 'Response Cancel Predictions  Prediction Id  Cancel Post' }), '422': invalid },
      },
    },
  };
}

/** `List[Path]`: what every FLUX predictor returns. */
export const OUTPUT_LIST_OF_URIS: SchemaNode = {
  type: 'array',
  items: { type: 'string', format: 'uri' },
  title: 'Output',
};

/** The whole document, in jsonb key order, as `GET /v1/models/…` serves it. */
export function buildCogDocument(
  inputs: CogInput[],
  dialect: CogDialect = 'cog-allof',
  output: SchemaNode = OUTPUT_LIST_OF_URIS,
): OpenApiSchema {
  const properties: Record<string, SchemaNode> = {};
  const enums: Record<string, SchemaNode> = {};
  inputs.forEach((f, order) => {
    properties[f.name] = inputProperty(f, order, dialect);
    if (f.choices) enums[f.name] = enumSchema(f, dialect);
  });
  const required = inputs.filter((f) => f.default === undefined).map((f) => f.name);
  const input: SchemaNode = { type: 'object', title: 'Input', properties };
  if (required.length) input.required = required;
  return jsonbOrder({
    openapi: '3.0.2',
    info: { title: 'Cog', version: '0.1.0' },
    paths: cogPaths(),
    components: { schemas: { Input: input, Output: structuredClone(output), ...enums, ...cogModels(dialect) } },
  });
}

// ---------------------------------------------------------------------------------------------
// Reading a served document back (the simulator's own validator uses this; any dialect)

/** The target of a local `#/components/schemas/X` reference. */
export function deref(schema: OpenApiSchema, $ref: string): SchemaNode {
  const name = $ref.replace('#/components/schemas/', '');
  return schema.components.schemas[name] ?? {};
}

/**
 * A property with references, `allOf` and nullable `anyOf` resolved into one flat node, whatever the
 * dialect: `{type, enum?, default?, minimum?, maximum?, format?, 'x-order'?, nullable}`.
 */
export function resolveProperty(schema: OpenApiSchema, node: SchemaNode): SchemaNode & { nullable: boolean } {
  let nullable = node.nullable === true;
  let core: SchemaNode = node;
  const merged: SchemaNode = {};
  if (node.anyOf) {
    const nonNull = node.anyOf.filter((n) => n.type !== 'null');
    if (nonNull.length < node.anyOf.length) nullable = true;
    if (nonNull.length === 1) core = { ...nonNull[0]! };
  }
  const refNode = core.$ref ? core : core.allOf?.[0]?.$ref ? core.allOf[0]! : null;
  if (refNode?.$ref) Object.assign(merged, deref(schema, refNode.$ref));
  for (const k of ['type', 'format', 'minimum', 'maximum', 'enum'] as const) {
    if (core[k] !== undefined) (merged as Record<string, unknown>)[k] = core[k];
  }
  for (const k of ['title', 'description', 'default', 'x-order'] as const) {
    if (node[k] !== undefined) (merged as Record<string, unknown>)[k] = node[k];
  }
  return { ...merged, nullable };
}
