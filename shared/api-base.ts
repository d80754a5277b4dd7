/**
 * Which API addresses may receive the Replicate token. The token goes in an Authorization header
 * on every API call, so the address decides who gets it: https anywhere (the person confirms a
 * host other than Replicate's), plain http only to this computer (the simulator, a local proxy).
 * Pure: the settings contract, the settings service and the gateway all apply the same rule.
 */
export const REPLICATE_API_BASE = 'https://api.replicate.com/v1';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** null when the address may carry the token, else what is wrong with it, in words. */
export function apiBaseProblem(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'That is not a web address. It looks like https://api.replicate.com/v1.';
  }
  if (u.username || u.password) return 'The address must not contain a user name or password.';
  if (u.search || u.hash) return 'The address must not contain ? or #.';
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return null;
  if (u.protocol === 'http:')
    return 'Use https: your API token would travel unencrypted. Plain http is only allowed to this computer (localhost, 127.0.0.1).';
  return 'Use an https:// address.';
}

/** The address without trailing slashes, as it is stored and compared. */
export function normalizeApiBase(raw: string): string {
  return raw.trim().replace(/\/+$/, '');
}

/** Two addresses reach the same server (the token was checked against that one). */
export function sameApiOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
