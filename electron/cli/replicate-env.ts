/**
 * The token and API address every command that talks to Replicate reads from the environment,
 * checked once: a missing token or an address that would carry it unencrypted is exit 2.
 */
import { apiBaseProblem } from '../../shared/api-base';
import { DEFAULT_API_BASE } from '../services/settings/settings-service';

/** The token and base URL, or null after saying on stderr what is wrong. */
export function replicateEnv(io: {
  env: Record<string, string | undefined>;
  stderr: (s: string) => void;
}): { token: string; baseUrl: string } | null {
  const token = io.env.REPLICATE_API_TOKEN;
  if (!token) {
    io.stderr('Set REPLICATE_API_TOKEN to your Replicate API token (replicate.com/account/api-tokens).\n');
    return null;
  }
  const baseUrl = io.env.REPLICATE_BASE_URL?.trim() || DEFAULT_API_BASE;
  const baseProblem = apiBaseProblem(baseUrl);
  if (baseProblem) {
    io.stderr(`REPLICATE_BASE_URL=${baseUrl} cannot be used: ${baseProblem}\n`);
    return null;
  }
  return { token, baseUrl };
}
