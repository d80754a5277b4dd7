/**
 * `npm run sim`: the Replicate simulator as a standalone server, for running the app or the CLI
 * against it by hand.
 *
 *   npx tsx test/sim/cli.ts [--port 8765] [--boot-ms 300] [--step-ms 15] [--seed N]
 *                           [--fault endpoint:kind[:status|ms][:times]]...
 */
import { parseArgs } from 'node:util';
import { ENDPOINTS, parseFaultSpec } from './faults';
import { startSimulator } from './server';

const USAGE = `Usage: npx tsx test/sim/cli.ts [options]

  --port N         port to listen on (default 8765; 0 = any free port)
  --host H         address to bind (default 127.0.0.1)
  --boot-ms N      time a prediction stays "starting" (default 300)
  --step-ms N      time per denoising step (default 15)
  --seed N         make random seeds, ids and fault dice reproducible
  --fault SPEC     inject a failure; repeatable. SPEC = endpoint:kind[:arg][:times]
                   kinds: status (arg = 429|500|502|503), reset, lost-response, truncate,
                          latency (arg = ms); times defaults to 1, "inf" for always
                   endpoints: ${ENDPOINTS.join(', ')}
                   e.g. --fault predictions.create:status:503:2 --fault output:truncate
  -h, --help       show this help

Prompt markers: [nsfw] [nsfw:0,2] [oom] [slow]`;

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got "${value}"`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: 'string', default: '8765' },
        host: { type: 'string', default: '127.0.0.1' },
        'boot-ms': { type: 'string' },
        'step-ms': { type: 'string' },
        seed: { type: 'string' },
        fault: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const v = parsed.values;
  if (v.help) {
    console.log(USAGE);
    return;
  }
  let faults;
  try {
    faults = (v.fault ?? []).map(parseFaultSpec);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const sim = await startSimulator({
    port: intOption('port', v.port),
    host: v.host,
    seed: intOption('seed', v.seed),
    timing: { bootMs: intOption('boot-ms', v['boot-ms']), stepMs: intOption('step-ms', v['step-ms']) },
    faults,
  });

  console.log(`Replicate simulator listening on ${sim.baseUrl}`);
  console.log(`Token: ${sim.token}`);
  console.log('');
  console.log('Point the app or the CLI at it:');
  console.log(`  REPLICATE_BASE_URL=${sim.baseUrl} REPLICATE_API_TOKEN=${sim.token} npm start`);
  console.log(`  REPLICATE_BASE_URL=${sim.baseUrl} REPLICATE_API_TOKEN=${sim.token} npm run cli -- <args>`);
  console.log('');
  console.log(`Try: curl -H "Authorization: Bearer ${sim.token}" ${sim.baseUrl}/models/sandrasocial/sseelfie-ai`);
  if (faults.length) console.log(`Faults: ${faults.map((f) => JSON.stringify(f)).join(' ')}`);
  console.log('Ctrl+C to stop.');

  const stop = () => {
    console.log('\nStopping…');
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
