import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger, redact } from '../../../electron/services/log/logger';
import { tmpDir } from './jobs/harness';

describe('Logger', () => {
  it('never writes a token, whatever its shape', () => {
    const log = new Logger(tmpDir('sseelfie-log-'));
    log.addSecret('customSecretValue42');
    log.write(
      'error',
      'request failed: Authorization: Bearer r8_AbCdEf123456 token r8_ZZZZZZZZZZ and customSecretValue42',
    );
    const text = readFileSync(log.file, 'utf8');
    expect(text).not.toMatch(/r8_AbCdEf123456|r8_ZZZZZZZZZZ|customSecretValue42/);
    expect(text).toContain('[redacted]');
    expect(redact('Token abcdefghijkl')).toBe('Token [redacted]');
  });

  it('catches tokens with "_" and "-" whole, not just their first part', () => {
    const log = new Logger(tmpDir('sseelfie-log-'));
    for (const t of ['r8_Ab-cd_EF-gh_ij0123456789', 'r8_abc_def-ghi', 'r8_-_-_-_-_-_']) {
      log.write('warn', `echoed ${t} and "Authorization: Bearer ${t}"`);
      expect(redact(`x ${t} y`)).toBe('x r8_[redacted] y');
    }
    const text = readFileSync(log.file, 'utf8');
    for (const part of ['cd_EF', 'def-ghi', 'gh_ij0123456789', '-_-_-_']) expect(text).not.toContain(part);
  });

  it('remembers each secret once, however many requests add it', () => {
    const log = new Logger(tmpDir('sseelfie-log-'));
    for (let i = 0; i < 1000; i++) log.addSecret('the-same-secret-value');
    expect((log as unknown as { secrets: Set<string> }).secrets.size).toBe(1);
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
