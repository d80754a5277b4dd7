import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger, redact } from '../../../electron/services/log/logger';
import { tmpDir } from './jobs/harness';

describe('Logger', () => {
  it('never writes a token, whatever its shape', () => {
    const log = new Logger(tmpDir('sseelfie-log-'));
    log.addSecret('customSecretValue42');
    log.write('error', 'request failed: Authorization: Bearer r8_AbCdEf123456 token r8_ZZZZZZZZZZ and customSecretValue42');
    const text = readFileSync(log.file, 'utf8');
    expect(text).not.toMatch(/r8_AbCdEf123456|r8_ZZZZZZZZZZ|customSecretValue42/);
    expect(text).toContain('[redacted]');
    expect(redact('Token abcdefghijkl')).toBe('Token [redacted]');
  });

  it('rotates at the size limit and keeps a few generations', () => {
    const dir = tmpDir('sseelfie-log-');
    const log = new Logger(dir, 200, 2);
    for (let i = 0; i < 40; i++) log.write('info', `line ${i} ${'x'.repeat(30)}`);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['sseelfie.log', 'sseelfie.log.1', 'sseelfie.log.2']);
    expect(readFileSync(path.join(dir, 'sseelfie.log'), 'utf8')).toContain('line 39');
  });
});
