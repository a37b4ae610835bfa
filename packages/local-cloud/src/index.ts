/** Public API of local-cloud. Everything else is internal. */

export { logPrinter } from './cli/logs.js';
export { type LocalCloud, type LocalCloudOptions, startLocalCloud, VERSION } from './cloud.js';
export { type Clock, ManualClock, parseDuration, SystemClock, type TimerHandle } from './core/clock.js';
export { cryptoIds, type IdGenerator, sequentialIds } from './core/ids.js';
export type { DeployOptions, DeployResult, StackResult, StackState } from './deploy/index.js';
