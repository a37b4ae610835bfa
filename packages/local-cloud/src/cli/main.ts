import { parseArgs } from 'node:util';
import { startLocalCloud, VERSION } from '../cloud.js';
import { parseDuration } from '../core/clock.js';
import { deployCommand } from './deploy.js';
import { logPrinter, showLogs } from './logs.js';
import { showOutbox } from './outbox.js';

/** `local-cloud start | help | version`. Flags win over LOCAL_CLOUD_* environment variables. */
const USAGE = `local-cloud ${VERSION}: an AWS-compatible cloud in one Node process.

Usage:
  local-cloud start [options]
  local-cloud logs <function> [--follow] [--since 10m] [--endpoint URL]
  local-cloud outbox [--endpoint URL]   email, email-json and SMS messages SNS has sent
  local-cloud deploy <cdk.out> [--parameters Name=value ...] [--endpoint URL]

Options (environment variable in brackets):
  --port <n>        port to listen on, default 4566            [LOCAL_CLOUD_PORT]
  --host <addr>     address to bind, default 127.0.0.1         [LOCAL_CLOUD_HOST]
  --data-dir <dir>  where state is kept, default ./.local-cloud [LOCAL_CLOUD_DATA_DIR]
  --in-memory       keep nothing on disk (for tests)           [LOCAL_CLOUD_IN_MEMORY=1]
  --clock <mode>    system (default) or manual                 [LOCAL_CLOUD_CLOCK]
  --region <name>   region for unsigned requests, default us-east-1
  --smtp <url>      also send SNS email to smtp://host:port     [LOCAL_CLOUD_SMTP]
  --quiet           do not print function logs

\`start\` prints every Lambda function's log lines live, prefixed with the function's name.
`;

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      clock: { type: 'string' },
      region: { type: 'string' },
      smtp: { type: 'string' },
      quiet: { type: 'boolean' },
      follow: { type: 'boolean', short: 'f' },
      since: { type: 'string' },
      endpoint: { type: 'string' },
      parameters: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0] ?? 'help';
  if (values.help || command === 'help') return void process.stdout.write(USAGE);
  if (command === 'version') return void process.stdout.write(`${VERSION}\n`);
  const endpoint =
    values.endpoint ??
    `http://${process.env.LOCAL_CLOUD_HOST ?? '127.0.0.1'}:${values.port ?? process.env.LOCAL_CLOUD_PORT ?? 4566}`;
  if (command === 'deploy') {
    const assembly = positionals[1];
    if (!assembly) throw new Error('Usage: local-cloud deploy <cdk.out> [--parameters Name=value ...]');
    const write = (line: string) => process.stdout.write(`${line}\n`);
    return deployCommand({ endpoint, assembly, parameters: values.parameters ?? [], write });
  }
  if (command === 'outbox') return showOutbox({ endpoint, write: (line) => process.stdout.write(`${line}\n`) });
  if (command === 'logs') {
    const fn = positionals[1];
    if (!fn) throw new Error('Usage: local-cloud logs <function> [--follow]');
    const env = process.env;
    return showLogs({
      endpoint,
      functionName: fn,
      follow: values.follow ?? false,
      sinceMs: Date.now() - parseDuration(values.since ?? '1h'),
      region: values.region ?? env.AWS_REGION ?? 'us-east-1',
      write: (line) => process.stdout.write(`${line}\n`),
    });
  }
  if (command !== 'start') {
    process.stderr.write(`Unknown command: ${command}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const env = process.env;
  const port = Number(values.port ?? env.LOCAL_CLOUD_PORT ?? 4566);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${values.port}`);
  const clock = values.clock ?? env.LOCAL_CLOUD_CLOCK ?? 'system';
  if (clock !== 'system' && clock !== 'manual') throw new Error(`Invalid clock: ${clock} (system or manual)`);
  const inMemory = values['in-memory'] ?? ['1', 'true'].includes(env.LOCAL_CLOUD_IN_MEMORY ?? '');
  const dataDir = values['data-dir'] ?? env.LOCAL_CLOUD_DATA_DIR;
  const smtp = values.smtp ?? env.LOCAL_CLOUD_SMTP;
  const cloud = await startLocalCloud({
    port,
    host: values.host ?? env.LOCAL_CLOUD_HOST ?? '127.0.0.1',
    clock,
    persistence: inMemory ? 'memory' : 'disk',
    ...(dataDir ? { dataDir } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(smtp ? { smtp } : {}),
    ...(values.quiet ? {} : { onFunctionLog: logPrinter(process.stdout) }),
  });
  process.stdout.write(`local-cloud ready at ${cloud.url}\n`);
  const stop = async () => {
    await cloud.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
