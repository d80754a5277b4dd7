/**
 * Output images for simulated predictions: real, decodable files in the requested format, quality
 * and size. Each (input, seed, index) gives the same picture and different seeds or indices give
 * visibly different ones, so the app's gallery, caching and de-duplication can be tested by eye and
 * by bytes. img2img starts from the input image; inpainting keeps the input outside the mask.
 */
import { createHash } from 'node:crypto';
import sharp, { type Sharp } from 'sharp';
import type { RenderPlan } from './model-rules';

export interface RenderInputs {
  image: Buffer | null;
  mask: Buffer | null;
  /** differs per prediction; only used when the plan says fp8 (non-deterministic) */
  nonce: string;
}

export interface RenderedImage {
  bytes: Buffer;
  contentType: string;
}

export const CONTENT_TYPES: Record<RenderPlan['format'], string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
};

/** Side of the latent cell: FLUX's VAE works at 1/8 resolution, so inpainting masks act in 8-px blocks. */
const LATENT_CELL = 8;

function hashBytes(...parts: Array<string | Buffer>): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** The "generated" picture: a gradient, soft shapes and the seed/index caption, all from a hash. */
function generatedSvg(plan: RenderPlan, index: number, key: Buffer): string {
  const { width: w, height: h } = plan;
  const hue1 = key.readUInt16BE(0) % 360;
  const hue2 = (hue1 + 60 + (key[2]! % 180)) % 360;
  const angle = key[3]! % 360;
  const rad = (angle * Math.PI) / 180;
  const [x1, y1, x2, y2] = [
    0.5 - Math.cos(rad) / 2,
    0.5 - Math.sin(rad) / 2,
    0.5 + Math.cos(rad) / 2,
    0.5 + Math.sin(rad) / 2,
  ];
  const shapes: string[] = [];
  for (let i = 0; i < 7; i++) {
    const b = key.subarray(4 + i * 4, 8 + i * 4);
    const cx = (b[0]! / 255) * w;
    const cy = (b[1]! / 255) * h;
    const r = (0.05 + (b[2]! / 255) * 0.25) * Math.min(w, h);
    const hue = (hue1 + b[3]! * 2) % 360;
    shapes.push(
      `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${r.toFixed(1)}" fill="hsl(${hue},70%,60%)" fill-opacity="0.45"/>`,
    );
  }
  const big = Math.max(12, Math.round(Math.min(w, h) / 9));
  const small = Math.max(8, Math.round(big / 3.2));
  const caption = `seed ${plan.seed} · #${index}`;
  const details = `${w}×${h} · ${plan.model} · ${plan.steps} steps · ${plan.mode}`;
  const promptLine = plan.prompt.length > 70 ? `${plan.prompt.slice(0, 69)}…` : plan.prompt;
  const text = (y: number, size: number, s: string, weight = 'normal') =>
    `<text x="50%" y="${y}" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="${size}" font-weight="${weight}" text-anchor="middle" fill="#fff" stroke="#000" stroke-width="${Math.max(1, size / 18).toFixed(1)}" paint-order="stroke">${escapeXml(s)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<defs><linearGradient id="g" x1="${x1.toFixed(3)}" y1="${y1.toFixed(3)}" x2="${x2.toFixed(3)}" y2="${y2.toFixed(3)}">`,
    `<stop offset="0" stop-color="hsl(${hue1},65%,45%)"/><stop offset="1" stop-color="hsl(${hue2},65%,30%)"/></linearGradient></defs>`,
    `<rect width="${w}" height="${h}" fill="url(#g)"/>`,
    ...shapes,
    text(Math.round(h / 2 + big / 3), big, caption, 'bold'),
    text(Math.round(h / 2 + big / 3 + small * 1.8), small, details),
    text(Math.round(h - small * 1.2), small, promptLine),
    '</svg>',
  ].join('');
}

async function toRaw(img: Sharp, w: number, h: number): Promise<Buffer> {
  const { data, info } = await img.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.width !== w || info.height !== h || info.channels !== 3 || data.length !== w * h * 3) {
    throw new Error(`internal: expected ${w}x${h}x3 raw, got ${info.width}x${info.height}x${info.channels}`);
  }
  return data;
}

/** PIL `Image.open(p).convert("RGB")`: no EXIF rotation, alpha dropped. */
function openRgb(bytes: Buffer): Sharp {
  return sharp(bytes, { limitInputPixels: false, autoOrient: false }).removeAlpha().toColourspace('srgb');
}

/**
 * The white (≥ 50 % grey) part of the mask, as diffusers sees it: NEAREST-resized to the output
 * size, PIL grayscale, binarized, then sampled once per latent cell.
 */
async function regenerateMask(maskBytes: Buffer, w: number, h: number): Promise<Uint8Array> {
  const rgb = await toRaw(openRgb(maskBytes).resize(w, h, { fit: 'fill', kernel: 'nearest' }), w, h);
  const cellsX = Math.ceil(w / LATENT_CELL);
  const cellsY = Math.ceil(h / LATENT_CELL);
  const cell = new Uint8Array(cellsX * cellsY);
  for (let cy = 0; cy < cellsY; cy++) {
    for (let cx = 0; cx < cellsX; cx++) {
      const p = (cy * LATENT_CELL * w + cx * LATENT_CELL) * 3;
      const grey = (rgb[p]! * 299 + rgb[p + 1]! * 587 + rgb[p + 2]! * 114) / 1000;
      cell[cy * cellsX + cx] = grey / 255 >= 0.5 ? 1 : 0;
    }
  }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = Math.floor(y / LATENT_CELL) * cellsX;
    for (let x = 0; x < w; x++) out[y * w + x] = cell[row + Math.floor(x / LATENT_CELL)]!;
  }
  return out;
}

function encode(img: Sharp, plan: RenderPlan): Promise<Buffer> {
  const quality = Math.min(100, Math.max(1, Math.round(plan.quality)));
  switch (plan.format) {
    case 'png':
      return img.png().toBuffer();
    case 'jpg':
      return img.jpeg({ quality }).toBuffer();
    case 'webp':
      return img.webp({ quality }).toBuffer();
  }
}

export async function renderOutput(plan: RenderPlan, index: number, inputs: RenderInputs): Promise<RenderedImage> {
  const { width: w, height: h } = plan;
  const imageHash = inputs.image ? hashBytes(inputs.image).toString('hex') : '';
  const maskHash = inputs.mask ? hashBytes(inputs.mask).toString('hex') : '';
  const key = hashBytes(JSON.stringify(plan), `#${index}`, imageHash, maskHash, plan.fp8 ? inputs.nonce : '');
  const svg = Buffer.from(generatedSvg(plan, index, key));
  const contentType = CONTENT_TYPES[plan.format];

  if (plan.mode === 'txt2img' || !inputs.image) {
    const bytes = await encode(sharp(svg).removeAlpha(), plan);
    return { bytes, contentType };
  }

  const generated = await toRaw(sharp(svg), w, h);
  const source = await toRaw(openRgb(inputs.image).resize(w, h, { fit: 'fill', kernel: 'lanczos3' }), w, h);
  // Cubic, so the default strength 0.8 still shows the input's composition, and 1.0 erases it.
  const weight = Math.min(1, Math.max(0, plan.strength)) ** 3;
  const out = Buffer.alloc(w * h * 3);
  const regenerate = plan.mode === 'inpaint' && inputs.mask ? await regenerateMask(inputs.mask, w, h) : null;
  let noise = key.readUInt32BE(28) | 1;
  for (let i = 0, p = 0; i < w * h; i++, p += 3) {
    if (regenerate && !regenerate[i]) {
      // Kept pixels still go through the VAE: close to the input, not bit-identical.
      for (let c = 0; c < 3; c++) {
        noise ^= noise << 13;
        noise ^= noise >>> 17;
        noise ^= noise << 5;
        const jitter = ((noise >>> 0) % 3) - 1;
        out[p + c] = Math.min(255, Math.max(0, source[p + c]! + jitter));
      }
    } else {
      for (let c = 0; c < 3; c++) out[p + c] = Math.round(source[p + c]! * (1 - weight) + generated[p + c]! * weight);
    }
  }
  const bytes = await encode(sharp(out, { raw: { width: w, height: h, channels: 3 } }), plan);
  return { bytes, contentType };
}

/** Width and height of an input image as PIL reports them (stored size, EXIF orientation ignored). */
export async function probeImage(bytes: Buffer): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  if (!meta.width || !meta.height) throw new Error('no dimensions');
  return { width: meta.width, height: meta.height };
}
