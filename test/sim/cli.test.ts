/** `npm run sim`: flags, the usage text, and the offline/online commands on stdin. */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'test/sim/cli.ts');

let child: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Starts the CLI and resolves with its stdout reader once it printed the listening line. */
function startCli(
  args: string[],
): Promise<{ api: string; delivery: string; waitFor: (re: RegExp) => Promise<string> }> {
  child = spawn(TSX, [CLI, ...args], { cwd: ROOT, stdio: 'pipe' });
  let out = '';
  const waiters: Array<{ re: RegExp; resolve: (s: string) => void }> = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    for (const w of [...waiters]) {
      const m = w.re.exec(out);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m[0]);
      }
    }
  });
  const waitFor = (re: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const m = re.exec(out);
      if (m) return resolve(m[0]);
      waiters.push({ re, resolve });
      setTimeout(() => reject(new Error(`no ${re} in:\n${out}`)), 20_000).unref();
    });
  return waitFor(/Replicate simulator: API (\S+), output files (\S+)/).then((line) => {
    const m = /API (\S+)\/v1, output files (\S+)/.exec(line)!;
    return { api: m[1]!, delivery: m[2]!, waitFor };
  });
}

describe('npm run sim', () => {
  it('--help documents every switch', () => {
    const r = spawnSync(TSX, [CLI, '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const flag of [
      '--port',
      '--delivery-port',
      '--boot-ms',
      '--step-ms',
      '--tail-ms',
      '--realistic',
      '--schema-dialect',
      '--fault',
      '--offline',
      '--seed',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toContain('predictions.get:status:503:8');
    expect(r.stdout).toContain('cog-pydantic2-anyof');
    const bad = spawnSync(TSX, [CLI, '--schema-dialect', 'nope'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--schema-dialect must be one of');
  });

  it('serves with the given dialect and faults, and goes offline and online on command', async () => {
    const { api, delivery, waitFor } = await startCli([
      '--port',
      '0',
      '--realistic',
      '--schema-dialect',
      'cog-nullable',
      '--fault',
      'predictions.get:status:503:2',
      '--seed',
      '3',
    ]);
    expect(delivery).not.toBe(api);
    const auth = { authorization: 'Bearer r8_sim_token' };
    const model = (await (await fetch(`${api}/v1/models/sandrasocial/sseelfie-ai`, { headers: auth })).json()) as any;
    expect(model.latest_version.openapi_schema.components.schemas.Input.properties.seed.nullable).toBe(true);
    const version = model.latest_version.id;
    const created: any = await (
      await fetch(`${api}/v1/predictions`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ version, input: { prompt: 'x' } }),
      })
    ).json();
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await fetch(`${api}/v1/predictions/${created.id}`, { headers: auth })).status);
    expect(statuses).toEqual([503, 503, 200]);
    // --realistic: still booting right after the create.
    expect(((await (await fetch(`${api}/v1/predictions/${created.id}`, { headers: auth })).json()) as any).status).toBe(
      'starting',
    );

    child!.stdin.write('offline\n');
    await waitFor(/OFFLINE: both ports refuse connections\./);
    await expect(fetch(`${api}/v1/account`, { headers: auth })).rejects.toThrow(/fetch failed/);
    await expect(fetch(`${delivery}/`)).rejects.toThrow(/fetch failed/);
    child!.stdin.write('online\n');
    await waitFor(/ONLINE again/);
    expect((await fetch(`${api}/v1/account`, { headers: auth })).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
