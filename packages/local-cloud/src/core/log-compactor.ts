import { parentPort, workerData } from 'node:worker_threads';
import { compact } from './log-files.js';

/** Worker thread: folds closed journal segments into a new snapshot off the event loop. */
const { dir, from, gen } = workerData as { dir: string; from: number | undefined; gen: number };
try {
  compact(dir, from, gen);
  parentPort?.postMessage({ ok: true });
} catch (err) {
  parentPort?.postMessage({ ok: false, error: String(err) });
}
