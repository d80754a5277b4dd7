/**
 * Injected transport and gateway failures for the Replicate simulator.
 *
 * Rules are evaluated per endpoint, in the order given. Every rule counts every call to its endpoint
 * (so `after: 2` means "from the third call on", whatever other rules did), and only the rule that
 * fires spends one of its `times`. `latency` rules stack with each other and with the first
 * non-latency rule that fires; all other kinds are exclusive.
 */

export type Endpoint =
  | 'account'
  | 'models.get'
  | 'models.versions'
  | 'predictions.create'
  | 'predictions.get'
  | 'predictions.list'
  | 'predictions.cancel'
  | 'files.create'
  | 'files.get'
  | 'files.list'
  | 'files.delete'
  /** a GET of an output file, on the delivery origin */
  | 'output'
  // trainings (test/sim/trainings.ts)
  | 'models.create'
  | 'hardware.list'
  | 'trainings.create'
  | 'trainings.get'
  | 'trainings.list'
  | 'trainings.cancel';

export const ENDPOINTS: readonly Endpoint[] = [
  'account',
  'models.get',
  'models.versions',
  'predictions.create',
  'predictions.get',
  'predictions.list',
  'predictions.cancel',
  'files.create',
  'files.get',
  'files.list',
  'files.delete',
  'output',
  'models.create',
  'hardware.list',
  'trainings.create',
  'trainings.get',
  'trainings.list',
  'trainings.cancel',
];

/**
 * How a training the trainer runs can fail on its own (the `trainer` fault kind, on
 * `trainings.create`): the platform faults seen on Replicate that a plain retry fixes.
 */
export const TRAINER_FAULTS = ['read-only-fs', 'failed-to-create-image'] as const;
export type TrainerFault = (typeof TRAINER_FAULTS)[number];

export type FaultRule = {
  endpoint: Endpoint;
  /** how many times the rule fires; default 1; Infinity allowed */
  times?: number;
  /** chance (0..1) that an eligible call is hit; drawn from the simulator's seeded PRNG */
  probability?: number;
  /** skip the first N calls to the endpoint */
  after?: number;
} & (
  | { kind: 'status'; status: 429 | 500 | 502 | 503; retryAfterSec?: number }
  /** destroy the socket before responding; the request is NOT processed */
  | { kind: 'reset' }
  /** the request IS processed (prediction created, file stored) but the socket dies before the response */
  | { kind: 'lost-response' }
  /** correct Content-Length, then the connection closes after half the body */
  | { kind: 'truncate' }
  | { kind: 'latency'; ms: number }
  /** the training is created (201) but then fails with this platform fault */
  | { kind: 'trainer'; failure: TrainerFault }
);

export type FaultAction =
  | { kind: 'status'; status: 429 | 500 | 502 | 503; retryAfterSec?: number }
  | { kind: 'reset' }
  | { kind: 'lost-response' }
  | { kind: 'truncate' }
  | { kind: 'trainer'; failure: TrainerFault };

export interface FaultDecision {
  latencyMs: number;
  action: FaultAction | null;
}

/** Small, fast, seedable PRNG (mulberry32); good enough for fault dice and random model seeds. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RuleState {
  rule: FaultRule;
  seen: number;
  fired: number;
}

export class FaultInjector {
  private states: RuleState[] = [];

  constructor(
    rules: FaultRule[],
    private readonly random: () => number,
  ) {
    this.set(rules);
  }

  set(rules: FaultRule[]): void {
    for (const r of rules) validateRule(r);
    this.states = rules.map((rule) => ({ rule, seen: 0, fired: 0 }));
  }

  decide(endpoint: Endpoint): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, action: null };
    const matching = this.states.filter((s) => s.rule.endpoint === endpoint);
    for (const s of matching) s.seen += 1;
    for (const s of matching) {
      const { rule } = s;
      if (s.seen <= (rule.after ?? 0)) continue;
      if (s.fired >= (rule.times ?? 1)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.kind === 'latency') {
        s.fired += 1;
        decision.latencyMs += rule.ms;
        continue;
      }
      if (decision.action) continue;
      s.fired += 1;
      decision.action =
        rule.kind === 'status'
          ? { kind: 'status', status: rule.status, retryAfterSec: rule.retryAfterSec }
          : rule.kind === 'trainer'
            ? { kind: 'trainer', failure: rule.failure }
            : { kind: rule.kind };
    }
    return decision;
  }
}

function validateRule(r: FaultRule): void {
  if (!ENDPOINTS.includes(r.endpoint)) throw new Error(`Unknown fault endpoint "${r.endpoint}"`);
  if (r.kind === 'status' && ![429, 500, 502, 503].includes(r.status)) {
    throw new Error(`Fault status must be 429, 500, 502 or 503, got ${String(r.status)}`);
  }
  if (r.kind === 'trainer') {
    if (r.endpoint !== 'trainings.create')
      throw new Error(`The trainer fault applies to trainings.create only, not ${r.endpoint}`);
    if (!TRAINER_FAULTS.includes(r.failure))
      throw new Error(`Unknown trainer fault "${String(r.failure)}" (${TRAINER_FAULTS.join(', ')})`);
  }
  if (r.probability !== undefined && !(r.probability >= 0 && r.probability <= 1)) {
    throw new Error(`Fault probability must be within 0..1, got ${r.probability}`);
  }
}

/** The JSON body and headers Replicate's gateway sends for an injected status. */
export function faultResponse(action: Extract<FaultAction, { kind: 'status' }>): {
  status: number;
  headers: Record<string, string>;
  body: { detail: string; status: number };
} {
  const headers: Record<string, string> = {};
  if (action.status === 429) {
    const sec = action.retryAfterSec ?? 1;
    headers['retry-after'] = String(sec);
    return {
      status: 429,
      headers,
      body: { detail: `Request was throttled. Your rate limit resets in ~${sec}s.`, status: 429 },
    };
  }
  if (action.retryAfterSec !== undefined) headers['retry-after'] = String(action.retryAfterSec);
  const detail = { 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable' }[action.status];
  return { status: action.status, headers, body: { detail, status: action.status } };
}

/**
 * CLI form `endpoint:kind[:arg][:times]`: `arg` is the status for `status` and the delay in ms for
 * `latency`, the failure for `trainer` (read-only-fs, failed-to-create-image); other kinds take
 * only `times`. `times` may be `inf`.
 * Examples: `predictions.create:status:503:2`, `output:truncate`, `predictions.get:reset:3`,
 * `predictions.get:latency:800:inf`.
 */
export function parseFaultSpec(spec: string): FaultRule {
  const parts = spec.split(':');
  const [endpoint, kind] = parts as [Endpoint, string];
  const parseTimes = (s: string | undefined): number | undefined => {
    if (s === undefined || s === '') return undefined;
    if (/^(inf|infinity)$/i.test(s)) return Infinity;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`Bad times "${s}" in fault "${spec}"`);
    return n;
  };
  let rule: FaultRule;
  switch (kind) {
    case 'status': {
      const status = Number(parts[2]);
      rule = { endpoint, kind, status: status as 429 | 500 | 502 | 503, times: parseTimes(parts[3]) };
      break;
    }
    case 'latency': {
      const ms = Number(parts[2]);
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`Bad latency "${parts[2]}" in fault "${spec}"`);
      rule = { endpoint, kind, ms, times: parseTimes(parts[3]) };
      break;
    }
    case 'trainer':
      rule = { endpoint, kind, failure: parts[2] as TrainerFault, times: parseTimes(parts[3]) };
      break;
    case 'reset':
    case 'lost-response':
    case 'truncate':
      rule = { endpoint, kind, times: parseTimes(parts[2]) };
      break;
    default:
      throw new Error(
        `Unknown fault kind "${kind}" in "${spec}" (status, reset, lost-response, truncate, latency, trainer)`,
      );
  }
  if (rule.times === undefined) delete rule.times;
  validateRule(rule);
  return rule;
}
