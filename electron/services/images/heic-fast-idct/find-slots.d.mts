/** Types of find-slots.mjs (a node script, so plain JavaScript) for the tests that import it. */
export type IdctName = 'idct4' | 'idct8' | 'idct16' | 'idct32';
export interface FoundSlots {
  sha256: string;
  matrix: { address: number; bytes: number; element: 'int8' | 'int16' };
  transforms: Record<IdctName, { function: number; slots: number[] }>;
  /** candidates that were run and matched no size */
  rejected: Array<{ function: number; slots: number[]; why: string }>;
}
export const SIZES: readonly [4, 8, 16, 32];
export function findIdctSlots(bytes: Uint8Array): Promise<FoundSlots>;
export function targetSource(found: FoundSlots, libheifJs: string): string;
