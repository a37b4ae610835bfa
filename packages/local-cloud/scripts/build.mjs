// Builds dist/ from src/ with tsc. `--if-stale` skips the build when dist/.build-stamp is newer than
// every source file and directory (as make decides; a directory's mtime changes when a file in it is
// added or removed): `npm start` runs it each time, and a full tsc run takes about 11 s on a small machine.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(PKG, 'dist');
const STAMP = join(DIST, '.build-stamp');
const SOURCES = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time under p. */
function newest(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((max, name) => Math.max(max, newest(join(p, name))), s.mtimeMs);
}

const stale = () => !existsSync(STAMP) || SOURCES.some((s) => newest(join(PKG, s)) > statSync(STAMP).mtimeMs);
if (process.argv.includes('--if-stale') && !stale()) process.exit(0);
const began = new Date();
rmSync(DIST, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = spawnSync(process.execPath, [tsc, '-p', join(PKG, 'tsconfig.build.json')], { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
// Stamped with the build's start: a source saved while tsc ran still counts as newer.
writeFileSync(STAMP, `${began.toISOString()}\n`);
utimesSync(STAMP, began, began);
