// Types for heic-decode@2.1.0 (the package ships none). Only what heic.ts uses.
declare module 'heic-decode' {
  export interface DecodedHeic {
    width: number;
    height: number;
    /** RGBA, 4 bytes per pixel, row-major */
    data: Uint8ClampedArray;
  }
  export interface HeicImageHandle {
    width: number;
    height: number;
    decode(): Promise<DecodedHeic>;
  }
  export type HeicImageList = HeicImageHandle[] & { dispose(): void };
  export interface HeicDecode {
    (input: { buffer: ArrayBufferLike | Uint8Array }): Promise<DecodedHeic>;
    all(input: { buffer: ArrayBufferLike | Uint8Array }): Promise<HeicImageList>;
  }
  const decode: HeicDecode;
  export default decode;
}
