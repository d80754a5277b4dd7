/**
 * HEIC/HEIF decoding through `heic-decode` (libheif compiled to WebAssembly; sharp's prebuilt libvips
 * has no HEVC decoder). The module (8.5 MB of WASM) is loaded on first use only.
 *
 * libheif applies the HEIF `irot`/`imir` transforms itself, so width/height here are already the
 * displayed ones. (EXIF orientation inside a HEIF is ignored, as the HEIF spec requires.)
 *
 * Note: decoding is synchronous WebAssembly on the calling thread (about 1 s for 12 MP on a slow
 * laptop core). Run it off the UI-critical path if that matters.
 */
import type { HeicImageList } from 'heic-decode';

type HeicModule = (typeof import('heic-decode'))['default'];

let modulePromise: Promise<HeicModule> | null = null;

function loadHeicDecode(): Promise<HeicModule> {
  modulePromise ??= import('heic-decode').then((m) => {
    const mod = (m as unknown as { default?: HeicModule }).default ?? (m as unknown as HeicModule);
    return mod;
  });
  return modulePromise;
}

/** Major brands heic-decode accepts; other valid HEIF brands are rewritten to `mif1` in a copy. */
const ACCEPTED_MAJOR = new Set(['mif1', 'msf1', 'heic', 'heix', 'hevc', 'hevx']);

function withAcceptedBrand(bytes: Uint8Array): Uint8Array {
  const major = String.fromCharCode(bytes[8] ?? 0, bytes[9] ?? 0, bytes[10] ?? 0, bytes[11] ?? 0);
  if (ACCEPTED_MAJOR.has(major)) return bytes;
  const copy = new Uint8Array(bytes);
  copy.set([0x6d, 0x69, 0x66, 0x31], 8); // 'mif1'
  return copy;
}

export interface HeicRaster {
  width: number;
  height: number;
  /** 4 channels, RGBA */
  data: Uint8Array;
}

export interface OpenedHeic {
  /** displayed size (after irot/imir) */
  width: number;
  height: number;
  /** decode the primary image's pixels; call at most once */
  decode(): Promise<HeicRaster>;
  /** free the WASM memory; safe to call twice */
  dispose(): void;
}

/** Parses the container (no pixel decoding) so the size can be checked before memory is spent. */
export async function openHeic(bytes: Uint8Array): Promise<OpenedHeic> {
  const heic = await loadHeicDecode();
  const list: HeicImageList = await heic.all({ buffer: withAcceptedBrand(bytes) });
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    list.dispose();
  };
  const first = list[0];
  if (!first) {
    dispose();
    throw new Error('HEIF image not found');
  }
  return {
    width: first.width,
    height: first.height,
    async decode() {
      const img = await first.decode();
      const data = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
      return { width: img.width, height: img.height, data };
    },
    dispose,
  };
}
