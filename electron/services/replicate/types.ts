/**
 * Replicate HTTP API shapes we read (replicate.com/docs/reference/http; test/sim/server.ts serves
 * the same shapes). Only the fields we use.
 */
export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';

export interface Prediction {
  id: string;
  version?: string;
  model?: string;
  status: PredictionStatus;
  input?: Record<string, unknown>;
  output?: unknown;
  error?: string | null;
  logs?: string | null;
  data_removed?: boolean;
  created_at?: string;
  started_at?: string | null;
  completed_at?: string | null;
  metrics?: { predict_time?: number; total_time?: number } | null;
  urls?: { get?: string; cancel?: string; web?: string };
}

export interface PredictionPage {
  next: string | null;
  previous?: string | null;
  results: Prediction[];
}

export interface FileObject {
  id: string;
  name?: string;
  content_type?: string;
  size: number;
  checksums?: { sha256?: string; md5?: string };
  metadata?: Record<string, unknown>;
  created_at?: string;
  expires_at?: string;
  urls: { get: string };
}

export interface ModelVersion {
  id: string;
  created_at?: string;
  cog_version?: string;
  openapi_schema: unknown;
}

export interface ModelObject {
  owner: string;
  name: string;
  description?: string | null;
  visibility?: string;
  latest_version: ModelVersion | null;
}

export function isTerminal(s: PredictionStatus): boolean {
  return s === 'succeeded' || s === 'failed' || s === 'canceled' || s === 'aborted';
}
