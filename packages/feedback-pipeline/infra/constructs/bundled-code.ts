import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AssetHashType } from 'aws-cdk-lib';
import { Code, type Runtime } from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';

// CommonJS dependencies bundled into ESM (aws-xray-sdk-core) still call require() for Node built-ins.
const BANNER = "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);";

/**
 * A handler bundled by esbuild inside the synth process, as `index.mjs` (ESM whatever package.json
 * says) with its source map. NodejsFunction bundles the same way but spawns `npx --no-install esbuild`
 * once per function; npm's start-up (about a second each on a small machine) made a first `npm start`
 * take 15 s for six functions. Here one esbuild run bundles every handler in the directory (shared
 * dependencies are parsed once) and each asset takes its own file. The Docker image is only the
 * fallback CDK requires; local bundling always runs.
 */
export function bundledCode(entry: string, runtime: Runtime): Code {
  return Code.fromAsset(dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: runtime.bundlingImage,
      // CDK caches bundles by their options (not by the local bundler), and every handler shares a
      // source directory: naming the entry here keeps each function's bundle its own.
      environment: { ENTRY: basename(entry) },
      local: {
        tryBundle(outputDir: string): boolean {
          const staged = join(stageAll(dirname(entry), dirname(outputDir)), basename(entry, '.ts'));
          // The bundle's last line names its map: point it at the renamed file.
          const js = readFileSync(`${staged}.mjs`, 'utf8').replace(
            /\/\/# sourceMappingURL=[^\n]*\n?$/,
            '//# sourceMappingURL=index.mjs.map\n',
          );
          writeFileSync(join(outputDir, 'index.mjs'), js);
          writeFileSync(join(outputDir, 'index.mjs.map'), readFileSync(`${staged}.mjs.map`));
          return true;
        },
      },
    },
  });
}

const staging = new Map<string, string>();

/**
 * Bundles every `.ts` handler in `handlersDir` once per assembly, into `<assembly>/.bundles` (the same
 * depth as the asset directories, so the maps' relative source paths stay right); removed at exit.
 */
function stageAll(handlersDir: string, assemblyDir: string): string {
  const key = `${handlersDir}\u0000${assemblyDir}`;
  const done = staging.get(key);
  if (done) return done;
  const outdir = join(assemblyDir, '.bundles');
  rmSync(outdir, { recursive: true, force: true });
  buildSync({
    entryPoints: readdirSync(handlersDir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(handlersDir, f)),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    sourcemap: true,
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    logLevel: 'warning',
  });
  staging.set(key, outdir);
  process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  return outdir;
}
