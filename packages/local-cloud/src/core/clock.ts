/**
 * The one source of time for every service. Services never call Date.now or setTimeout:
 * they ask the Clock, so tests can swap in a ManualClock and move time by hand.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  readonly mode: 'system' | 'manual';
  /** Epoch milliseconds. */
  now(): number;
  /** Runs fn once, delayMs from now on this clock. A delay of 0 or less runs on the next turn of the event loop. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
}

interface SystemTimer {
  at: number;
  fn: () => void;
  handle: NodeJS.Timeout | NodeJS.Immediate;
}

/**
 * Wall time, plus an offset that only grows: advance() fast-forwards a running system (the demo
 * walks a message through three visibility timeouts into its DLQ without waiting 4½ minutes).
 * Timers are kept so that advancing fires the ones now due and re-arms the rest.
 */
export class SystemClock implements Clock {
  readonly mode = 'system' as const;
  private offset = 0;
  private readonly timers = new Set<SystemTimer>();

  now(): number {
    return Date.now() + this.offset;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    if (delayMs <= 0) {
      const h = setImmediate(fn);
      return { cancel: () => clearImmediate(h) };
    }
    const timer: SystemTimer = { at: this.now() + delayMs, fn, handle: setImmediate(() => {}) };
    this.arm(timer);
    return {
      cancel: () => {
        clearTimeout(timer.handle as NodeJS.Timeout);
        this.timers.delete(timer);
      },
    };
  }

  /** Moves time forward by a duration, firing the timers that fall due in time order. */
  async advance(by: number | string): Promise<number> {
    this.offset += parseDuration(by);
    const due = [...this.timers].filter((t) => t.at <= this.now()).sort((a, b) => a.at - b.at);
    for (const t of this.timers) {
      clearTimeout(t.handle as NodeJS.Timeout);
      if (t.at > this.now()) this.arm(t);
    }
    for (const t of due) {
      this.timers.delete(t);
      t.fn();
      await turn();
    }
    return this.now();
  }

  /** Sets the time forward to an absolute instant (never backwards). */
  async set(epochMs: number): Promise<number> {
    return this.advance(Math.max(0, epochMs - this.now()));
  }

  private arm(timer: SystemTimer): void {
    // Node caps timers at 2^31-1 ms; longer waits re-arm.
    const remaining = Math.min(timer.at - this.now(), 2_147_483_647);
    this.timers.add(timer);
    const h = setTimeout(
      () => {
        if (timer.at > this.now()) return this.arm(timer);
        this.timers.delete(timer);
        timer.fn();
      },
      Math.max(0, remaining),
    );
    h.unref();
    timer.handle = h;
  }
}

interface ManualTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * Time stands still until advance() moves it. advance fires every due timer in time order,
 * letting the event loop turn after each so that work a timer starts can finish (and schedule more).
 */
export class ManualClock implements Clock {
  readonly mode = 'manual' as const;
  private current: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    if (delayMs <= 0) {
      const h = setImmediate(fn);
      return { cancel: () => clearImmediate(h) };
    }
    const timer: ManualTimer = { at: this.current + delayMs, seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Moves time forward by a duration (ms or '5m', '30s', '2h', '1d', '250ms'), firing due timers in order. */
  async advance(by: number | string): Promise<number> {
    const target = this.current + parseDuration(by);
    for (;;) {
      await turn();
      const next = this.nextDue(target);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      next.cancelled = true;
      next.fn();
    }
    this.current = target;
    this.timers = this.timers.filter((t) => !t.cancelled);
    await turn();
    return this.current;
  }

  /** Sets the absolute time (never backwards), firing timers on the way. */
  async set(epochMs: number): Promise<number> {
    return this.advance(Math.max(0, epochMs - this.current));
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private nextDue(target: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) {
      if (t.cancelled || t.at > target) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(by: number | string): number {
  if (typeof by === 'number') {
    if (!Number.isFinite(by) || by < 0) throw new RangeError(`Invalid duration: ${by}`);
    return by;
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(by);
  if (!m) throw new RangeError(`Invalid duration: ${by}`);
  return Math.round(Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1));
}
