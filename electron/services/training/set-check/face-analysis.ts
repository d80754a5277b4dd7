/**
 * The measures of one photo that need a model or a full pass over its pixels: sharpness, the
 * perceptual hash and the faces (box, score, which way the face looks, a 128-d descriptor).
 * Runs inside the worker thread of analysis-worker.ts: face-api's inference blocks for a few
 * hundred milliseconds per photo and its WebAssembly heap never shrinks, so it never loads in main.
 *
 * Face detection is @vladmandic/face-api on TensorFlow.js's WebAssembly backend, with the models
 * and the .wasm files read from the installed packages (never from a network): SSD MobileNet v1
 * for the boxes, the 68-point landmarks for the angle, and the aligned 128-d recognition
 * descriptor, which separates people (same person 0.34–0.47, different ≥ 0.6).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';
import { dHash, sharpness, toGrey, type RgbRaster } from './measures';

export interface FoundFace {
  score: number;
  /** the detector's box in the analysed raster's pixels */
  box: { x: number; y: number; width: number; height: number };
  /**
   * which way the face turns: the nose tip's offset from the middle of the jaw line, as a share
   * of the jaw's width (0 = facing the camera, about ±0.3 a three-quarter view; the sign is the side)
   */
  yaw: number;
  descriptor: number[];
}

export interface PhotoAnalysis {
  /** the raster that was measured (at most 1024 px long) */
  width: number;
  height: number;
  sharpness: number;
  hash: string;
  faces: FoundFace[];
}

/** Detections below this score are not even looked at; LIMITS.faceScore decides what counts. */
export const DETECT_MIN_SCORE = 0.3;

/** A packaged app reads these files from app.asar.unpacked (electron-builder.yml unpacks them). */
export function unpackedPath(p: string): string {
  return p.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

/** A face's box and score only: what the default crop of an export needs (no landmarks, no descriptor). */
export interface DetectedFace {
  score: number;
  /** in the analysed raster's pixels */
  box: { x: number; y: number; width: number; height: number };
}

export interface FaceModel {
  analyse(rgb: RgbRaster): Promise<PhotoAnalysis>;
  /** the boxes alone, best score first: about a third of analyse()'s work */
  detect(rgb: RgbRaster): Promise<DetectedFace[]>;
}

let loading: Promise<FaceModel> | null = null;

/** Loads face-api, its WebAssembly backend and the three models once per thread. */
export function loadFaceModel(): Promise<FaceModel> {
  loading ??= load().catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

async function load(): Promise<FaceModel> {
  const require = createRequire(import.meta.url);
  // the node-wasm build: TensorFlow.js's WebAssembly backend, no native binary to install
  const entry = require.resolve('@vladmandic/face-api/dist/face-api.node-wasm.js');
  const faceapi = require(entry) as typeof FaceApi;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
  const wasmDir = path.dirname(
    unpackedPath(require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm')),
  );
  wasm.setWasmPaths(wasmDir + path.sep);
  const tf = faceapi.tf as unknown as {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    getBackend(): string;
    tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): { dispose(): void };
  };
  if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js could not start its WebAssembly backend');
  await tf.ready();
  const modelDir = unpackedPath(path.join(path.dirname(entry), '..', 'model'));
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: DETECT_MIN_SCORE, maxResults: 20 });

  return {
    async analyse(rgb) {
      const grey = toGrey(rgb);
      const input = tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], 'int32');
      try {
        const found = await faceapi
          .detectAllFaces(input as unknown as FaceApi.TNetInput, options)
          .withFaceLandmarks()
          .withFaceDescriptors();
        const faces = found.map((f): FoundFace => {
          const b = f.detection.box;
          return {
            score: f.detection.score,
            box: { x: b.x, y: b.y, width: b.width, height: b.height },
            yaw: yawOf(f.landmarks.positions),
            descriptor: Array.from(f.descriptor),
          };
        });
        faces.sort((a, b) => b.score - a.score);
        return {
          width: rgb.width,
          height: rgb.height,
          sharpness: sharpness(grey, rgb.width, rgb.height),
          hash: dHash(grey, rgb.width, rgb.height),
          faces,
        };
      } finally {
        input.dispose();
      }
    },
    async detect(rgb) {
      const input = tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], 'int32');
      try {
        const found = await faceapi.detectAllFaces(input as unknown as FaceApi.TNetInput, options);
        return found
          .map((d): DetectedFace => {
            const b = d.box;
            return { score: d.score, box: { x: b.x, y: b.y, width: b.width, height: b.height } };
          })
          .sort((a, b) => b.score - a.score);
      } finally {
        input.dispose();
      }
    },
  };
}

/** 68-point landmarks: 0 and 16 are the jaw's ends at the ears, 30 the nose tip. */
function yawOf(points: ReadonlyArray<{ x: number; y: number }>): number {
  const left = points[0];
  const right = points[16];
  const nose = points[30];
  if (!left || !right || !nose) return 0;
  const span = right.x - left.x;
  if (Math.abs(span) < 1) return 0;
  return (nose.x - (left.x + right.x) / 2) / span;
}
