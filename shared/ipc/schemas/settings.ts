/**
 * The token, the settings and the network state (channels token:*, settings:*, network:*).
 */
import { z } from 'zod';
import { apiBaseProblem } from '../../api-base';
import { boundedRecord } from './common';

/** An API address that may carry the token (shared/api-base.ts). */
export const ApiBaseUrl = z
  .string()
  .max(500)
  .superRefine((v, ctx) => {
    const problem = apiBaseProblem(v.trim());
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Trigger words per model: one per model the person uses, not an unbounded store. */
export const TriggerWords = boundedRecord(z.string().max(200), z.string().max(100), 200);

export const Account = z.object({ username: z.string(), name: z.string().optional() });

export const TokenStatus = z.object({
  hasToken: z.boolean(),
  account: Account.nullable(),
  /** encrypted: in the OS keychain; session: kept in memory until quit; env: from REPLICATE_API_TOKEN */
  storage: z.enum(['none', 'encrypted', 'plaintext', 'session', 'env']),
  /** the OS offers no real encryption (Linux basic_text): storing means plaintext */
  insecureBackend: z.boolean(),
  /** a token is kept, but for this other API host: the current address needs its own */
  tokenHost: z.string().optional(),
});

export const Theme = z.enum(['system', 'light', 'dark']);
export const SettingsView = z.object({
  libraryDir: z.string(),
  libraryIsDefault: z.boolean(),
  defaultModel: z.string(),
  apiBaseUrl: z.string(),
  /** set for this session by REPLICATE_BASE_URL: shown, not editable, never saved */
  apiBaseFromEnv: z.boolean(),
  theme: Theme,
  concurrency: z.number().int(),
  uploadRetentionMinutes: z.number().int(),
  triggerWords: z.record(z.string(), z.string()),
  /** the folder photos were last exported to (chosen in a native dialog), null before the first export */
  exportDir: z.string().nullable(),
  /** shown once: e.g. "Your settings file was damaged; a backup was kept and defaults restored." */
  notices: z.array(z.string()),
});
export const SettingsPatch = z
  .object({
    defaultModel: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]*\/[a-z0-9][a-z0-9_.-]*(:[0-9a-f]{64})?$/i, 'Use owner/name or owner/name:version.'),
    apiBaseUrl: ApiBaseUrl,
    theme: Theme,
    concurrency: z.number().int().min(1).max(4),
    uploadRetentionMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    triggerWords: TriggerWords,
    dismissNotices: z.literal(true),
  })
  .partial()
  .strict();

/** Whether Replicate can be reached; `since`: when that last changed (main's clock, ms). */
export const NetworkState = z.object({ online: z.boolean(), since: z.number() });
