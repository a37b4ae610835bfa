import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { extractZip, ZipError } from '../../../core/zip.js';
import { InvalidParameterValueException } from '../errors.js';
import type { FunctionRecord } from './function.js';

/**
 * Deployment packages, content-addressed: `<root>/<sha256-hex>.zip` and its extracted directory.
 * A local directory (our extension) is used in place, so edits show up in new environments.
 */
export class CodeStore {
  private readonly unpacked = new Set<string>();

  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  /**
   * Makes `<root>/node_modules` point at the project's, so an ES module handler unpacked here can
   * import the AWS SDK the way Lambda's runtimes provide it (ESM ignores NODE_PATH; this costs
   * nothing at start-up, unlike a loader hook).
   */
  linkSdk(nodeModules: string | undefined): void {
    const link = join(this.root, 'node_modules');
    if (!nodeModules || existsSync(link)) return;
    try {
      symlinkSync(nodeModules, link, 'dir');
    } catch {
      // Another process created it, or links are not allowed: CommonJS still works via NODE_PATH.
    }
  }

  /** Stores and unpacks a zip; returns the code reference for the function record. */
  saveZip(zip: Buffer): FunctionRecord['code'] {
    const hex = createHash('sha256').update(zip).digest('hex');
    const file = join(this.root, `${hex}.zip`);
    if (!existsSync(file)) writeFileSync(file, zip);
    this.unpack(hex, zip);
    return { kind: 'zip', sha256: createHash('sha256').update(zip).digest('base64'), size: zip.length };
  }

  directory(path: string): FunctionRecord['code'] {
    if (!isAbsolute(path) || !existsSync(path) || !statSync(path).isDirectory()) {
      throw new InvalidParameterValueException(
        `Local code directory ${path} does not exist or is not an absolute path.`,
      );
    }
    return { kind: 'dir', path };
  }

  /** The directory the function's environments run in. */
  dirFor(code: FunctionRecord['code']): string {
    if (code.kind === 'dir') return code.path;
    const hex = Buffer.from(code.sha256, 'base64').toString('hex');
    const dir = join(this.root, hex);
    if (!this.unpacked.has(hex)) {
      if (!existsSync(dir)) this.unpack(hex, readFileSync(join(this.root, `${hex}.zip`)));
      this.unpacked.add(hex);
    }
    return dir;
  }

  zipFor(code: FunctionRecord['code']): Buffer | undefined {
    if (code.kind === 'dir') return undefined;
    const file = join(this.root, `${Buffer.from(code.sha256, 'base64').toString('hex')}.zip`);
    return existsSync(file) ? readFileSync(file) : undefined;
  }

  private unpack(hex: string, zip: Buffer): void {
    const dir = join(this.root, hex);
    if (existsSync(dir)) return;
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    try {
      extractZip(zip, tmp);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      if (err instanceof ZipError || err instanceof RangeError) {
        throw new InvalidParameterValueException(
          'Could not unzip uploaded file. Please check your file, then try to upload again.',
        );
      }
      throw err;
    }
    renameSync(tmp, dir);
  }
}
