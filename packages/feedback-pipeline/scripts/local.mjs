// Shared by `npm start` and the end-to-end tests: synthesize the CDK app (skipped when nothing
// changed since the last synth) and name functions by their construct path for log prefixes.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ASSEMBLY = join(APP_DIR, 'cdk.out');
const STAMP = join(ASSEMBLY, '.source-stamp');
const SOURCES = ['infra', 'src', 'package.json', 'cdk.json'];

/** A fingerprint of every source file (path, size, mtime): equal fingerprints need no new synth. */
function fingerprint() {
  const h = createHash('sha256');
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const name of readdirSync(p).sort()) walk(join(p, name));
    else h.update(`${p}:${s.size}:${s.mtimeMs}\n`);
  };
  for (const s of SOURCES) walk(join(APP_DIR, s));
  return h.digest('hex');
}

/**
 * Runs the CDK app the way `cdk synth` does (cdk.json's context in CDK_CONTEXT_JSON, output in
 * CDK_OUTDIR) without the CLI's start-up cost. Returns false when the cached assembly was reused.
 */
export async function synth({ force = false, log = () => {} } = {}) {
  const print = fingerprint();
  if (
    !force &&
    existsSync(join(ASSEMBLY, 'manifest.json')) &&
    existsSync(STAMP) &&
    readFileSync(STAMP, 'utf8') === print
  ) {
    return false;
  }
  const context = JSON.parse(readFileSync(join(APP_DIR, 'cdk.json'), 'utf8')).context ?? {};
  log('synthesizing the CDK app…');
  await new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: APP_DIR,
      env: {
        ...process.env,
        CDK_OUTDIR: ASSEMBLY,
        CDK_CONTEXT_JSON: JSON.stringify(context),
        // aws-cdk-lib's built-in CloudFormation rule check (a WebAssembly cfn-lint) costs about 3 s per
        // synth. `cdk synth` and `cdk deploy` keep it; the local loop leaves it out.
        CDK_VALIDATION: 'false',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`cdk synth failed (exit ${code})`))));
  });
  writeFileSync(STAMP, print);
  return true;
}

/** `FeedbackPipeline-ApiSubmitFeedbackFunction48BE4532-2EF724122E0D` → `ApiSubmitFeedback`. */
export function shortName(functionName) {
  const m = /^[^-]+-(.+?)(?:Function)?[0-9A-F]{6,8}-[0-9A-F]{12}$/.exec(functionName);
  return m ? m[1] : functionName;
}
