/**
 * Writes test/fixtures/openapi/<dialect>.json: the `openapi_schema` the simulator serves for
 * sandrasocial/sseelfie-ai in each Cog dialect (see cog-schema.ts), so the app's schema-reader tests
 * read exactly what the simulator sends. `openapi-fixtures.test.ts` fails when they drift apart.
 *
 *   npx tsx test/sim/write-openapi-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { COG_DIALECTS, type CogDialect } from './cog-schema';
import { hotswapSchema } from './model-rules';

export const OPENAPI_FIXTURE_DIR = path.resolve(import.meta.dirname, '../fixtures/openapi');

export function fixturePath(dialect: CogDialect): string {
  return path.join(OPENAPI_FIXTURE_DIR, `${dialect}.json`);
}

export function fixtureText(dialect: CogDialect): string {
  return `${JSON.stringify(hotswapSchema(dialect), null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  for (const d of COG_DIALECTS) {
    writeFileSync(fixturePath(d), fixtureText(d));
    console.log(`wrote ${path.relative(process.cwd(), fixturePath(d))}`);
  }
}
