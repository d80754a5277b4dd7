/**
 * The seam between the mask canvas and the Generate button.
 *
 * The canvas (CanvasSlot) registers what it is painting on; Generate asks for the mask:
 *
 *   const mask = source ? currentMask() : null;            // null: nothing painted (img2img)
 *   if (mask) { req.mask = mask; req.keepOutside = useMaskSession.getState().keepOutside; }
 *
 * `currentMask()` rasterizes the mask at the size the session was registered with (the starting
 * photo's full size; main crops and resizes it to the prepared image pixel for pixel).
 * `useMaskSession` is the reactive part: `hasMask` (for "Repainting the masked area" and the
 * output plan) and `keepOutside` ("Keep everything outside the mask exactly", on by default).
 *
 * Masks are kept per photo for the whole session (a small LRU of MaskDocs keyed by asset id), so
 * leaving the studio for the gallery, or picking another photo and coming back, keeps the work.
 */
import { create } from 'zustand';
import { MaskDoc } from './mask-doc';
import type { MaskBitmap } from '../../../shared/images';

/** width × height bytes, 0 (keep) or 255 (repaint): shared/images.ts */
export type MaskPayload = MaskBitmap;

export interface MaskSession {
  /** The mask at the starting photo's full size. */
  exportMask(): MaskPayload;
  /** True when nothing is painted (cheap: decided without rasterizing). */
  isEmpty(): boolean;
  /** The asset the mask belongs to (lets a caller check it still matches its source). */
  readonly assetId?: string;
}

interface MaskSessionState {
  /** Something is painted on the photo the canvas shows. */
  hasMask: boolean;
  /** Paste the original back outside the mask after the model ran (default true). */
  keepOutside: boolean;
  setKeepOutside(v: boolean): void;
}

export const useMaskSession = create<MaskSessionState>()((set) => ({
  hasMask: false,
  keepOutside: true,
  setKeepOutside: (keepOutside) => set({ keepOutside }),
}));

let current: MaskSession | null = null;

/**
 * Makes `s` the session Generate reads (null: no canvas). Returns a function that unregisters
 * `s` only if it is still the current session (safe in effect cleanups when a newer canvas has
 * already registered).
 */
export function registerMaskSession(s: MaskSession | null): () => void {
  current = s;
  refreshMaskSession();
  return () => {
    if (current === s) {
      current = null;
      refreshMaskSession();
    }
  };
}

/** Re-reads `isEmpty()` of the current session into `useMaskSession.hasMask`. */
export function refreshMaskSession(): void {
  const hasMask = !!current && !current.isEmpty();
  if (useMaskSession.getState().hasMask !== hasMask) useMaskSession.setState({ hasMask });
}

/** The registered session (tests, diagnostics). */
export function currentMaskSession(): MaskSession | null {
  return current;
}

/**
 * The painted mask at the starting photo's full size, or null when there is no canvas, nothing
 * is painted, or every painted pixel was erased again. With `forAssetId`, also null when the
 * canvas shows another photo.
 */
export function currentMask(forAssetId?: string): MaskPayload | null {
  const s = current;
  if (!s || s.isEmpty()) return null;
  if (forAssetId !== undefined && s.assetId !== undefined && s.assetId !== forAssetId) return null;
  const m = s.exportMask();
  return maskHasPaint(m.data) ? m : null;
}

/** True when any byte is non-zero (8 bytes at a time where aligned). */
export function maskHasPaint(data: Uint8Array): boolean {
  const n8 = data.byteOffset % 8 === 0 ? Math.floor(data.length / 8) : 0;
  if (n8 > 0) {
    const words = new BigUint64Array(data.buffer, data.byteOffset, n8);
    for (let i = 0; i < n8; i++) if (words[i] !== 0n) return true;
  }
  for (let i = n8 * 8; i < data.length; i++) if (data[i] !== 0) return true;
  return false;
}

// ---------- masks kept per photo ----------

const MAX_DOCS = 8;
const docs = new Map<string, MaskDoc>();

/**
 * The mask of a photo: the one painted earlier in this session when its size matches, else a new
 * empty one. Most recently used last; the oldest beyond 8 photos are dropped.
 */
export function maskDocFor(assetId: string, width: number, height: number): { doc: MaskDoc; restored: boolean } {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  const old = docs.get(assetId);
  docs.delete(assetId);
  if (old && old.width === w && old.height === h) {
    docs.set(assetId, old);
    return { doc: old, restored: true };
  }
  const doc = new MaskDoc(w, h);
  docs.set(assetId, doc);
  while (docs.size > MAX_DOCS) docs.delete(docs.keys().next().value!);
  return { doc, restored: false };
}

/** Forgets the mask of a photo (e.g. it was removed), or every mask. */
export function forgetMaskDocs(assetId?: string): void {
  if (assetId === undefined) docs.clear();
  else docs.delete(assetId);
}

/** For tests: no session, defaults, no kept masks. */
export function resetMaskSession(): void {
  current = null;
  docs.clear();
  useMaskSession.setState({ hasMask: false, keepOutside: true });
}
