/**
 * Which links the app opens in the browser (window.ts for links in the page, the app:openExternal
 * and export:openPrediction handlers): Replicate's own pages, nothing else.
 */
/** External links the app may open: Replicate's pages only, https only. */
export const EXTERNAL_ALLOWLIST = ['replicate.com', 'www.replicate.com'];

export function isAllowedExternal(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && EXTERNAL_ALLOWLIST.includes(u.hostname) && !u.username && !u.password;
}
