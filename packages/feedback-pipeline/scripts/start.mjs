// `npm start` (at the repository root): synthesize the app, start local-cloud with persistence on
// 127.0.0.1:4566, deploy the assembly, print where everything is, stream function logs, and
// rebuild + redeploy whenever a source file changes. Ctrl-C stops it; state stays in .local-cloud/.
import { watch } from 'node:fs';
import { join, resolve } from 'node:path';
import { logPrinter, startLocalCloud } from 'local-cloud';
import { APP_DIR, ASSEMBLY, shortName, synth } from './local.mjs';

const started = performance.now();
// The SDK's notice that Node 20 support ends in 2027 would otherwise open every start.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) =>
  String(warning).includes('NodeVersionSupportWarning') || String(warning).includes('will require node >=22')
    ? undefined
    : emitWarning.call(process, warning, ...rest);
const say = (line) => process.stdout.write(`${line}\n`);
const port = Number(process.env.LOCAL_CLOUD_PORT ?? 4566);
const dataDir = resolve(process.env.LOCAL_CLOUD_DATA_DIR ?? join(APP_DIR, '../../.local-cloud'));
const quiet = process.argv.includes('--quiet');
const printLog = logPrinter(process.stdout);

// local-cloud starts while the synth (a child process) runs.
const [synthesized, cloud] = await Promise.all([
  synth({ log: say }),
  startLocalCloud({
    port,
    persistence: 'disk',
    dataDir,
    ...(quiet ? {} : { onFunctionLog: (fn, line) => printLog(shortName(fn), line) }),
  }),
]);
const first = await cloud.deploy(ASSEMBLY);
const outputs = first.stacks.at(-1)?.outputs ?? {};
const ms = Math.round(performance.now() - started);
say(`
local-cloud is running at ${cloud.url} (state in ${dataDir})
feedback pipeline deployed in ${ms} ms${synthesized ? '' : ' (cached build)'}

  API            ${outputs.ApiUrl}
                 curl -X POST ${outputs.ApiUrl}/feedback -H 'content-type: application/json' \\
                   -d '{"rating":2,"message":"The app crashes on login","email":"me@example.com"}'
  Imports bucket ${outputs.ImportsBucketName}
                 aws --endpoint-url ${cloud.url} s3 cp feedback.jsonl s3://${outputs.ImportsBucketName}/
  Outbox         npx local-cloud outbox   (or ${cloud.url}/_local-cloud/outbox)
  Demo           npm run demo             (drives every flow and prints what happened)

Watching infra/ and src/ for changes. Function logs follow.
`);

let timer;
let running = Promise.resolve();
const redeploy = () => {
  running = running.then(async () => {
    const t0 = performance.now();
    try {
      await synth({ log: say });
      const { stacks } = await cloud.deploy(ASSEMBLY);
      const s = stacks.at(-1);
      say(
        `redeployed in ${Math.round(performance.now() - t0)} ms: ${s?.updated.length ?? 0} updated, ${s?.created.length ?? 0} created, ${s?.deleted.length ?? 0} deleted`,
      );
    } catch (err) {
      say(`redeploy failed: ${err.message}`);
    }
  });
};
for (const dir of ['infra', 'src']) {
  watch(join(APP_DIR, dir), { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(redeploy, 300);
  });
}

const stop = async () => {
  await running;
  await cloud.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
