import { describe, expect, it } from 'vitest';
import { ManualClock, parseDuration, SystemClock } from '../../src/index.js';

describe('ManualClock', () => {
  it('fires due timers in time order and stops at the target time', async () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(100, () => fired.push(`a@${clock.now()}`));
    clock.setTimer(900, () => fired.push('late'));
    await clock.advance(500);
    expect(fired).toEqual(['a@1100', 'b@1300']);
    expect(clock.now()).toBe(1_500);
  });

  it('fires timers that a firing timer schedules within the same advance', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.setTimer(10, () => {
      fired.push(clock.now());
      clock.setTimer(10, () => fired.push(clock.now()));
    });
    await clock.advance('1s');
    expect(fired).toEqual([10, 20]);
  });

  it('does not fire cancelled timers', async () => {
    const clock = new ManualClock(0);
    let fired = false;
    clock
      .setTimer(10, () => {
        fired = true;
      })
      .cancel();
    await clock.advance(100);
    expect(fired).toBe(false);
  });
});

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    [42, 42],
  ])('reads %s as %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it('rejects garbage', () => {
    expect(() => parseDuration('soon')).toThrow(RangeError);
  });
});

describe('SystemClock fast-forward', () => {
  it('fires timers that fall due when advanced, keeps later ones and honours cancel', async () => {
    const clock = new SystemClock();
    const fired: string[] = [];
    clock.setTimer(60_000, () => fired.push('1m'));
    clock.setTimer(30_000, () => fired.push('30s'));
    const cancelled = clock.setTimer(45_000, () => fired.push('cancelled'));
    clock.setTimer(3_600_000, () => fired.push('1h'));
    cancelled.cancel();
    const before = Date.now();
    await clock.advance('2m');
    expect(fired).toEqual(['30s', '1m']);
    expect(clock.now()).toBeGreaterThanOrEqual(before + 120_000);
    await clock.advance('58m');
    expect(fired).toEqual(['30s', '1m', '1h']);
  });
});
