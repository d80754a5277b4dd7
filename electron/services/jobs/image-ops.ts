/**
 * What the job engine needs from the image pipeline, in the pipeline's own types
 * (images/image-types.ts). defaultImageOps() below adapts an ImagePipeline to it.
 */
import { embedParameters } from '../images/embed-metadata';
import { ImagePipeline } from '../images/image-pipeline';
import type { EmbedFormat, EmbeddedMeta } from '../images/embed-metadata';
import type {
  CompositeOptions,
  ImageInfo,
  ImageInput,
  MaskBitmap,
  PreparedImage,
  RasterizedMask,
} from '../images/image-types';

export interface ImageOps {
  inspect(input: ImageInput): Promise<ImageInfo>;
  prepareForModel(input: ImageInput): Promise<PreparedImage>;
  rasterizeMask(mask: MaskBitmap, target: { width: number; height: number }): Promise<RasterizedMask>;
  embedParameters(bytes: Uint8Array, format: EmbedFormat, meta: EmbeddedMeta): Uint8Array | Promise<Uint8Array>;
  /** "keep everything outside the mask exactly"; without it the model's result is saved as it is */
  compositeKeepOutside?(
    args: Pick<CompositeOptions, 'original' | 'result' | 'mask' | 'crop'>,
  ): Promise<{ bytes: Uint8Array; format: Extract<EmbedFormat, 'png' | 'jpg'>; width: number; height: number }>;
}

export function defaultImageOps(pipeline = new ImagePipeline()): ImageOps {
  return {
    inspect: (i) => pipeline.inspect(i),
    prepareForModel: (i) => pipeline.prepareForModel(i),
    rasterizeMask: (m, t) => pipeline.rasterizeMask(m, t),
    embedParameters: (b, f, m) => embedParameters(b, f, m),
    compositeKeepOutside: async (a) => {
      // PNG, lossless: every unpainted pixel is exactly the original's decoded pixel, not a re-encoded copy.
      const c = await pipeline.compositeKeepOutside({ ...a, format: 'png' });
      return { bytes: c.bytes, width: c.width, height: c.height, format: c.mime === 'image/png' ? 'png' : 'jpg' };
    },
  };
}
