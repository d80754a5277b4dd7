/**
 * The output files: the per-file delivery URLs (like replicate.delivery's `xezq/<token>/out-0.png`,
 * not derivable from the prediction id), rendering each image once on first request, and serving
 * them from the delivery origin to anyone holding the URL, until retention removes them. Mirrors
 * the output URLs of Replicate's recorded responses (reference §2).
 */
import { createHash } from 'node:crypto';
import { snapshot, type PredictionRecord } from './prediction-state';
import { renderOutput, type RenderedImage } from './render';
import { DELIVERY_NOT_FOUND, type SimResponse } from './sim-http';

/** Output file URLs: `<deliveryOrigin>/xezq/<49-char token>/out-<i>.<ext>`, like replicate.delivery's. */
export const DELIVERY_PATH = /^\/xezq\/([A-Za-z0-9_-]+)\/out-(\d+)\.(png|jpg|webp)$/;

/** What the server lends this part: its clock, delivery origin, retention and predictions. */
export interface OutputFilesHost {
  now(): number;
  deliveryOrigin(): string;
  retentionMs: number;
  prediction(id: string): PredictionRecord | undefined;
}

export class OutputFiles {
  /** delivery path token → (prediction, output index) */
  readonly deliveryTokens = new Map<string, { id: string; index: number }>();
  private rendering = 0;
  private renderingSince = 0;
  private renderMs = 0;
  private readonly now: () => number;
  private readonly retentionMs: number;

  constructor(private readonly host: OutputFilesHost) {
    this.now = () => host.now();
    this.retentionMs = host.retentionMs;
  }

  private get deliveryOrigin(): string {
    return this.host.deliveryOrigin();
  }

  /** A per-file token like replicate.delivery's (`xezq/<49 alphanumerics>/out-0.png`): not derivable from the id. */
  deliveryToken(rec: PredictionRecord, index: number): string {
    return createHash('sha512')
      .update(`${rec.nonce}/${rec.id}/${index}`)
      .digest('base64url')
      .replace(/[-_]/g, 'x')
      .slice(0, 49);
  }

  outputUrl(rec: PredictionRecord, index: number): string {
    return `${this.deliveryOrigin}/xezq/${this.deliveryToken(rec, index)}/out-${index}.${rec.plan.render!.format}`;
  }

  ensureRenders(rec: PredictionRecord): Promise<RenderedImage[]> {
    const o = rec.plan.outcome;
    if (o.kind !== 'succeeded' || !rec.plan.render) return Promise.resolve([]);
    return Promise.all(o.kept.map((i) => this.renderOne(rec, i)));
  }

  private renderOne(rec: PredictionRecord, index: number): Promise<RenderedImage> {
    let p = rec.renders.get(index);
    if (!p) {
      const sources = rec.sources ?? { image: null, mask: null };
      p = this.timed(() =>
        renderOutput(rec.plan.render!, index, { image: sources.image, mask: sources.mask, nonce: rec.nonce }),
      );
      rec.renders.set(index, p);
    }
    return p;
  }

  private async timed<T>(work: () => Promise<T>): Promise<T> {
    if (this.rendering++ === 0) this.renderingSince = performance.now();
    try {
      return await work();
    } finally {
      if (--this.rendering === 0) this.renderMs += performance.now() - this.renderingSince;
    }
  }

  async getOutput(token: string, index: number, ext: string): Promise<SimResponse> {
    const notFound = DELIVERY_NOT_FOUND;
    const ref = this.deliveryTokens.get(token);
    const rec = ref && ref.index === index ? this.host.prediction(ref.id) : undefined;
    if (!rec) return notFound;
    const snap = snapshot(rec, this.now(), this.retentionMs);
    if (snap.removed || !snap.output?.includes(index) || rec.plan.render?.format !== ext) return notFound;
    const img = await this.renderOne(rec, index);
    return {
      status: 200,
      headers: { 'content-type': img.contentType, 'cache-control': 'public, max-age=3600' },
      body: img.bytes,
    };
  }

  /** wall time spent rendering output images (overlapping renders counted once) */
  generationMs(): number {
    return this.renderMs + (this.rendering > 0 ? performance.now() - this.renderingSince : 0);
  }
}
