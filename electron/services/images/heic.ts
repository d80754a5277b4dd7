/**
 * HEIC/HEIF decoding with libheif compiled to WebAssembly (`libheif-js`, the library `heic-decode`
 * wraps; sharp's prebuilt libvips has no HEVC decoder), loaded on first use by libheif-loader.ts
 * (which also puts a faster inverse transform into it).
 *
 * Why libheif's C API rather than heic-decode's one-call decode: phone HEICs are not one HEVC
 * picture but a `grid` of 512×512 tiles (48 for a 12 MP iPhone photo). libheif can decode any tile
 * on its own (`heif_image_handle_decode_image_tile`), so a pool of worker threads can each decode a
 * band of tile rows (heic-worker-decoder.ts): decoding is the whole cost, and WebAssembly here has no
 * threads of its own. A plain one-picture HEIC is one "tile" and is decoded whole.
 *
 * Tiles are requested in displayed coordinates, so libheif applies `irot`/`imir`/`clap` per tile
 * itself, and width/height here are the displayed ones. (EXIF orientation inside a HEIF is ignored,
 * as the HEIF spec requires.)
 */
import { loadLibheif } from './libheif-loader';

// enum values from libheif's heif_image.h
const COLORSPACE_RGB = 1;
const CHROMA_INTERLEAVED_RGB = 10;
const CHROMA_INTERLEAVED_RGBA = 11;
const CHANNEL_INTERLEAVED = 10;

export interface HeicTiling {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  /** how far the top-left tile starts above/left of the image (rotated or cropped grids) */
  topOffset: number;
  leftOffset: number;
}

/** What the pipeline knows from parsing the container, handed to a faster decoder. */
export interface HeicLayout {
  width: number;
  height: number;
  /** tile rows of the displayed image (1 for a one-picture HEIC) */
  tileRows: number;
}

export interface HeicRaster {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
}

/** Rows `y .. y + height` of the displayed image, full width. */
export interface HeicBand extends HeicRaster {
  y: number;
}

export interface OpenedHeic {
  /** displayed size (after irot/imir/clap) */
  width: number;
  height: number;
  hasAlpha: boolean;
  tiling: HeicTiling;
  /** decodes tile rows `fromRow .. toRow` (exclusive) into one band of the displayed image */
  decodeRows(fromRow: number, toRow: number): HeicBand;
  /** the whole image */
  decode(): HeicRaster;
  /** frees libheif's memory; safe to call twice */
  dispose(): void;
}

/** The image rows a band of tile rows covers, clipped to the image. */
export function bandRows(
  tiling: HeicTiling,
  height: number,
  fromRow: number,
  toRow: number,
): { y: number; height: number } {
  const y0 = Math.max(0, fromRow * tiling.tileHeight - tiling.topOffset);
  const y1 = Math.min(height, toRow * tiling.tileHeight - tiling.topOffset);
  return { y: y0, height: Math.max(0, y1 - y0) };
}

/**
 * Where the tiles go in the displayed image, or one whole-image "tile" when that is not certain.
 *
 * The right/bottom tiles of a grid overhang the image; after a rotation or mirror the overhang can
 * be on the left or top instead, and the tiles then start above/left of the image. libheif 1.23
 * says which side (a non-zero offset) but reports `size % tile` rather than the overhang, so the
 * overhang is computed here. A crop (`clap`: the displayed size is not the grid's, turned or not)
 * can cut both sides, which the tiling cannot express: such images are decoded whole.
 */
export function placeTiles(
  reported: HeicTiling,
  shown: { width: number; height: number },
  ispe: { width: number; height: number },
): HeicTiling {
  const whole: HeicTiling = {
    columns: 1,
    rows: 1,
    tileWidth: shown.width,
    tileHeight: shown.height,
    topOffset: 0,
    leftOffset: 0,
  };
  const { columns, rows, tileWidth, tileHeight } = reported;
  if (columns * rows <= 1 || !tileWidth || !tileHeight) return whole;
  const uncropped =
    (ispe.width === shown.width && ispe.height === shown.height) ||
    (ispe.width === shown.height && ispe.height === shown.width);
  const overX = columns * tileWidth - shown.width;
  const overY = rows * tileHeight - shown.height;
  if (!uncropped || overX < 0 || overY < 0 || overX >= tileWidth || overY >= tileHeight) return whole;
  return {
    columns,
    rows,
    tileWidth,
    tileHeight,
    leftOffset: reported.leftOffset ? overX : 0,
    topOffset: reported.topOffset ? overY : 0,
  };
}

/** Parses the container (no pixel decoding) so the size can be checked before memory is spent. */
export async function openHeic(bytes: Uint8Array): Promise<OpenedHeic> {
  const L = (await loadLibheif()).lib;
  // scratch: heif_error (12 bytes), a pointer out-parameter, a stride, a heif_image_tiling (72 bytes)
  const scratch = L._malloc(128);
  const ERR = scratch;
  const OUT = scratch + 16;
  const STRIDE = scratch + 20;
  const TILING = scratch + 24;
  const data = L._malloc(Math.max(1, bytes.byteLength));
  if (!scratch || !data) {
    if (scratch) L._free(scratch);
    if (data) L._free(data);
    throw new Error('Not enough memory to open this HEIF image');
  }
  const ctx = L._heif_context_alloc();
  let handle = 0;
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    if (handle) L._heif_image_handle_release(handle);
    L._heif_context_free(ctx);
    L._free(data); // after the context: it reads the file in place
    L._free(scratch);
  };
  const u32 = (ptr: number) => new DataView(L.HEAPU8.buffer).getUint32(ptr, true); // HEAPU8 is replaced when memory grows
  const check = (what: string) => {
    const code = u32(ERR);
    if (code === 0) return;
    const msgPtr = u32(ERR + 8);
    let end = msgPtr;
    while (msgPtr && L.HEAPU8[end] !== 0 && end - msgPtr < 500) end++;
    const message = msgPtr ? new TextDecoder().decode(L.HEAPU8.subarray(msgPtr, end)) : `error ${code}`;
    throw new Error(`${what}: ${message}`);
  };

  try {
    L.HEAPU8.set(bytes, data);
    L._heif_context_read_from_memory_without_copy(ERR, ctx, data, bytes.byteLength, 0);
    check('Not a readable HEIF file');
    L._heif_context_get_primary_image_handle(ERR, ctx, OUT);
    check('HEIF image not found');
    handle = u32(OUT);
    new DataView(L.HEAPU8.buffer).setInt32(TILING, 1, true); // struct version
    L._heif_image_handle_get_image_tiling(ERR, handle, 1, TILING);
    check('Could not read the HEIF tiling');
  } catch (e) {
    dispose();
    throw e;
  }

  const view = new DataView(L.HEAPU8.buffer);
  const width = L._heif_image_handle_get_width(handle);
  const height = L._heif_image_handle_get_height(handle);
  const hasAlpha = L._heif_image_handle_has_alpha_channel(handle) !== 0;
  const channels: 3 | 4 = hasAlpha ? 4 : 3;
  const reported = {
    columns: view.getUint32(TILING + 4, true),
    rows: view.getUint32(TILING + 8, true),
    tileWidth: view.getUint32(TILING + 12, true),
    tileHeight: view.getUint32(TILING + 16, true),
    topOffset: view.getUint32(TILING + 28, true),
    leftOffset: view.getUint32(TILING + 32, true),
  };
  const tiling = placeTiles(
    reported,
    { width, height },
    { width: L._heif_image_handle_get_ispe_width(handle), height: L._heif_image_handle_get_ispe_height(handle) },
  );
  const whole = tiling.columns * tiling.rows === 1;

  /** Decodes one tile (or the whole image) and copies the part inside the band into `band`. */
  const decodeInto = (band: HeicBand, tx: number, ty: number) => {
    const chroma = hasAlpha ? CHROMA_INTERLEAVED_RGBA : CHROMA_INTERLEAVED_RGB;
    if (whole) L._heif_decode_image(ERR, handle, OUT, COLORSPACE_RGB, chroma, 0);
    else L._heif_image_handle_decode_image_tile(ERR, handle, OUT, COLORSPACE_RGB, chroma, 0, tx, ty);
    check('Could not decode the HEIF image');
    const img = u32(OUT);
    try {
      const tw = L._heif_image_get_width(img, CHANNEL_INTERLEAVED);
      const th = L._heif_image_get_height(img, CHANNEL_INTERLEAVED);
      const plane = L._heif_image_get_plane_readonly(img, CHANNEL_INTERLEAVED, STRIDE);
      if (!plane) throw new Error('Could not decode the HEIF image: no pixels');
      const stride = new DataView(L.HEAPU8.buffer).getInt32(STRIDE, true);
      const heap = L.HEAPU8;
      const x0 = tx * tiling.tileWidth - tiling.leftOffset;
      const y0 = ty * tiling.tileHeight - tiling.topOffset;
      const left = Math.max(0, -x0);
      const right = Math.min(tw, width - x0);
      const top = Math.max(0, band.y - y0);
      const bottom = Math.min(th, band.y + band.height - y0);
      const rowBytes = (right - left) * channels;
      if (rowBytes <= 0) return;
      for (let j = top; j < bottom; j++) {
        const src = plane + j * stride + left * channels;
        band.data.set(heap.subarray(src, src + rowBytes), ((y0 + j - band.y) * width + x0 + left) * channels);
      }
    } finally {
      L._heif_image_release(img);
    }
  };

  const decodeRows = (fromRow: number, toRow: number): HeicBand => {
    if (disposed) throw new Error('HEIF image already closed');
    const from = Math.max(0, Math.min(tiling.rows, Math.floor(fromRow)));
    const to = Math.max(from, Math.min(tiling.rows, Math.floor(toRow)));
    const rows = bandRows(tiling, height, from, to);
    const band: HeicBand = { ...rows, width, channels, data: new Uint8Array(width * rows.height * channels) };
    for (let ty = from; ty < to; ty++) for (let tx = 0; tx < tiling.columns; tx++) decodeInto(band, tx, ty);
    return band;
  };

  return {
    width,
    height,
    hasAlpha,
    tiling,
    decodeRows,
    decode: () => decodeRows(0, tiling.rows),
    dispose,
  };
}
