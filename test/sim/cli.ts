/**
 * `npm run sim`: the Replicate simulator as a standalone server, for running the app or the CLI
 * against it by hand. The usage text below is the reference for every flag.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { COG_DIALECTS, type CogDialect } from './cog-schema';
import { ENDPOINTS, parseFaultSpec } from './faults';
import { REALISTIC_TIMING, startSimulator } from './server';

const USAGE = `Usage: npm run sim -- [options]      (or: npx tsx test/sim/cli.ts [options])

Listeners
  --port N            API port, like api.replicate.com (default 8765; 0 = any free port)
  --delivery-port N   output-file port, like replicate.delivery (default: API port + 1; 0 = any)
  --host H            address to bind (default 127.0.0.1)

Timing (a prediction is "starting" for the boot, "processing" for steps × step + tail)
  --boot-ms N         time a prediction stays "starting": queue and cold boot (default 300)
  --step-ms N         time per denoising step (default 15)
  --tail-ms N         after the last step until "succeeded": VAE decode, safety checker,
                      upload (default 0)
  --realistic         real-world timing: boot ${REALISTIC_TIMING.bootMs} ms, ${REALISTIC_TIMING.stepMs} ms per step (28 steps by
                      default), tail ${REALISTIC_TIMING.tailMs} ms; the model card's example (4 × 1344×768 PNG)
                      then takes about ${((REALISTIC_TIMING.bootMs + 32 * REALISTIC_TIMING.stepMs + REALISTIC_TIMING.tailMs) / 1000).toFixed(1)} s. --boot-ms/--step-ms/--tail-ms override it.

Trainings (POST /v1/models, /v1/models/{trainer}/versions/{id}/trainings, /v1/trainings)
  --training-boot-ms N  time a training stays "starting" (default 300)
  --training-step-ms N  time per training step (default 4; the logs claim the trainer's real
                        1.05 s/it); weights download, unzip and captions take --training-setup-ms
  --training-setup-ms N before step 0 and after the last (default 100)
                        trainers: ostris/flux-dev-lora-trainer, replicate/fast-flux-trainer;
                        a zip without images or a file that is not a zip fails as the trainer does

Model
  --schema-dialect D  how the version's openapi_schema is written (default cog-allof):
                        cog-allof            enums as allOf:[{$ref}] (Cog 0.9; today's FLUX LoRAs)
                        cog-bare-ref         enums as a bare $ref with siblings (pydantic 2 raw)
                        cog-pydantic2-anyof  optional inputs as anyOf:[{type}, {type:null}]
                        cog-nullable         optional inputs as {type, nullable:true} (Cog >= 0.15)

Failures
  --fault SPEC        inject a failure; repeatable. SPEC = endpoint:kind[:arg][:times]
                      kinds: status (arg = 429|500|502|503), reset, lost-response, truncate,
                             latency (arg = ms), trainer (arg = read-only-fs|failed-to-create-image,
                             on trainings.create: the training is created, then fails with that
                             platform fault); times defaults to 1, "inf" for always
                      endpoints: ${ENDPOINTS.join(', ')}
                      ("output" is the delivery host)
                      e.g. --fault predictions.get:status:503:8 --fault predictions.list:status:503:3
                           --fault predictions.create:lost-response --fault output:truncate
                           --fault predictions.get:latency:800:inf
                           --fault trainings.create:trainer:read-only-fs --fault trainings.create:lost-response
  --offline           start offline (both ports refuse connections until you type "online")

  --seed N            make random seeds, ids and fault dice reproducible
  -h, --help          show this help

While it runs, type a command and Enter:
  offline             close both ports and reset every open connection (predictions keep running)
  online              listen again on the same ports
  status              print the predictions and how many requests each origin got

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
        'delivery-port': { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        'boot-ms': { type: 'string' },
        'step-ms': { type: 'string' },
        'tail-ms': { type: 'string' },
        realistic: { type: 'boolean', default: false },
        'schema-dialect': { type: 'string' },
        seed: { type: 'string' },
        fault: { type: 'string', multiple: true, default: [] },
        offline: { type: 'boolean', default: false },
        'training-boot-ms': { type: 'string' },
        'training-step-ms': { type: 'string' },
        'training-setup-ms': { type: 'string' },
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
  const dialect = v['schema-dialect'];
  if (dialect !== undefined && !COG_DIALECTS.includes(dialect as CogDialect)) {
    console.error(`--schema-dialect must be one of ${COG_DIALECTS.join(', ')}, got "${dialect}"`);
    process.exit(2);
  }
  const port = intOption('port', v.port)!;
  const deliveryPort = intOption('delivery-port', v['delivery-port']) ?? (port === 0 ? 0 : port + 1);
  const sim = await startSimulator({
    port,
    deliveryPort,
    host: v.host,
    seed: intOption('seed', v.seed),
    realistic: v.realistic,
    timing: {
      bootMs: intOption('boot-ms', v['boot-ms']),
      stepMs: intOption('step-ms', v['step-ms']),
      tailMs: intOption('tail-ms', v['tail-ms']),
    },
    schemaDialect: dialect as CogDialect | undefined,
    faults,
    trainingTiming: {
      bootMs: intOption('training-boot-ms', v['training-boot-ms']),
      stepMs: intOption('training-step-ms', v['training-step-ms']),
      setupMs: intOption('training-setup-ms', v['training-setup-ms']),
    },
  });
  if (v.offline) await sim.setOffline(true);

  console.log(
    `Replicate simulator: API ${sim.baseUrl}, output files ${sim.deliveryOrigin}${sim.offline ? ' (OFFLINE)' : ''}`,
  );
  console.log(`Token: ${sim.token}`);
  if (v.realistic)
    console.log(
      `Realistic timing: boot ${REALISTIC_TIMING.bootMs} ms, ${REALISTIC_TIMING.stepMs} ms per step, tail ${REALISTIC_TIMING.tailMs} ms (unless overridden)`,
    );
  console.log('');
  console.log('Point the app or the CLI at it:');
  console.log(`  REPLICATE_BASE_URL=${sim.baseUrl} REPLICATE_API_TOKEN=${sim.token} npm start`);
  console.log(`  REPLICATE_BASE_URL=${sim.baseUrl} REPLICATE_API_TOKEN=${sim.token} npm run cli -- <args>`);
  console.log('');
  console.log(`Try: curl -H "Authorization: Bearer ${sim.token}" ${sim.baseUrl}/models/sandrasocial/sseelfie-ai`);
  if (faults.length) console.log(`Faults: ${faults.map((f) => JSON.stringify(f)).join(' ')}`);
  console.log('Type "offline", "online" or "status"; Ctrl+C to stop.');

  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const cmd = line.trim().toLowerCase();
    if (cmd === 'offline' || cmd === 'online') {
      sim.setOffline(cmd === 'offline').then(
        () =>
          console.log(
            cmd === 'offline'
              ? 'OFFLINE: both ports refuse connections.'
              : `ONLINE again on ${sim.origin} and ${sim.deliveryOrigin}.`,
          ),
        (e: unknown) => console.error(`could not go ${cmd}: ${(e as Error).message}`),
      );
    } else if (cmd === 'status') {
      const reqs = sim.stats().requests;
      console.log(
        `${sim.offline ? 'OFFLINE' : 'online'}; requests: api ${reqs.filter((r) => r.origin === 'api').length}, delivery ${reqs.filter((r) => r.origin === 'delivery').length}`,
      );
      for (const p of sim.predictions().slice(0, 10)) console.log(`  ${p.id} ${p.status} ${p.created_at}`);
      for (const t of sim.trainings().slice(0, 10))
        console.log(`  training ${t.id} ${t.status} ${t.destination} ${t.created_at}`);
    } else if (cmd) {
      console.log('commands: offline, online, status');
    }
  });

  const stop = () => {
    console.log('\nStopping…');
    rl.close();
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
