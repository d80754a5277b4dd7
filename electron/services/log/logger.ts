/**
 * The app's log file in userData, rotated at 1 MB (keeps 3). Everything written passes through
 * `redact`, so a token or Authorization header can never end up on disk. No telemetry.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export type LogLevel = 'info' | 'warn' | 'error';

// Replicate tokens are r8_ followed by letters, digits, "_" and "-"; any scheme's credential too.
const TOKEN_RE = /\b(r8_[A-Za-z0-9_-]{6,})|(Bearer|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** The exact secrets first (whatever their shape), then anything that looks like a token. */
export function redact(s: string, secrets: Iterable<string> = []): string {
  let out = s;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out.replace(TOKEN_RE, (_m, r8, scheme) => (r8 ? 'r8_[redacted]' : `${scheme} [redacted]`));
}

export class Logger {
  private secrets = new Set<string>();
  constructor(
    readonly dir: string,
    private readonly maxBytes = 1_000_000,
    private readonly keep = 3,
  ) {
    mkdirSync(dir, { recursive: true });
  }
  get file() {
    return path.join(this.dir, 'sseelfie.log');
  }
  /** Values that must never be written (the current token, whatever its shape). */
  addSecret(s: string | null) {
    if (s) this.secrets.add(s); // called on every request: a set, so it never grows
  }
  write(level: LogLevel, msg: string) {
    const line = `${new Date().toISOString()} ${level.toUpperCase()} ${redact(msg, this.secrets)}\n`;
    try {
      this.rotate();
      appendFileSync(this.file, line, { mode: 0o600 });
    } catch {
      // logging must never break the app
    }
  }
  private rotate() {
    let size: number;
    try {
      size = statSync(this.file).size;
    } catch {
      return;
    }
    if (size < this.maxBytes) return;
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      } catch {
        /* missing generation */
      }
    }
    renameSync(this.file, `${this.file}.1`);
  }
}
