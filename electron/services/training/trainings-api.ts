/**
 * The trainings part of Replicate's HTTP API, over the gateway's retry policy (gateway.ts). Not
 * npm replicate's `trainings.create`: it sends a Buffer input as `{"type":"Buffer","data":[…]}`
 * instead of uploading it (reference §3.6), and its retries re-send POSTs at once. Here a create
 * whose outcome is unknown throws OutcomeUnknownError and the caller reconciles with `list`.
 */
import type { CallOptions, ReplicateGateway } from '../replicate/gateway';
import type { ModelObject, PredictionStatus } from '../replicate/types';

export interface Training {
  id: string;
  model?: string;
  version?: string;
  destination?: string;
  status: PredictionStatus;
  input?: Record<string, unknown>;
  output?: { version?: string; weights?: string } | null;
  error?: string | null;
  logs?: string | null;
  created_at?: string;
  started_at?: string | null;
  completed_at?: string | null;
  metrics?: { predict_time?: number; total_time?: number } | null;
  urls?: { get?: string; cancel?: string; web?: string };
}

const seg = encodeURIComponent;

export class TrainingsApi {
  constructor(readonly gateway: ReplicateGateway) {}

  /** Never repeated blindly: a model created twice is a 409 at worst, but we look first. */
  createModel(
    body: { owner: string; name: string; visibility: 'private' | 'public'; hardware: string; description?: string },
    call: CallOptions = {},
  ) {
    return this.gateway.call<ModelObject>(
      'POST',
      '/models',
      `the model ${body.owner}/${body.name}`,
      { json: body, safeToRepeat: false },
      call,
    );
  }

  /** POST /models/{trainer}/versions/{id}/trainings: never repeated on an unknown outcome. */
  create(
    trainer: string,
    versionId: string,
    body: { destination: string; input: Record<string, unknown> },
    call: CallOptions = {},
  ) {
    const [owner, name] = trainer.split('/');
    return this.gateway.call<Training>(
      'POST',
      `/models/${seg(owner!)}/${seg(name!)}/versions/${seg(versionId)}/trainings`,
      `the trainer ${trainer}`,
      { json: body, safeToRepeat: false },
      call,
    );
  }

  get(id: string, call: CallOptions = {}) {
    return this.gateway.call<Training>('GET', `/trainings/${seg(id)}`, 'this training', { safeToRepeat: true }, call);
  }

  list(cursorUrl?: string, call: CallOptions = {}) {
    return this.gateway.call<{ next: string | null; previous?: string | null; results: Training[] }>(
      'GET',
      cursorUrl ?? '/trainings',
      'your trainings',
      { safeToRepeat: true },
      call,
    );
  }

  cancel(id: string, call: CallOptions = {}) {
    return this.gateway.call<Training>(
      'POST',
      `/trainings/${seg(id)}/cancel`,
      'this training',
      { safeToRepeat: true },
      call,
    );
  }
}
