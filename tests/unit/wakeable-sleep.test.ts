import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { wakeableSleep } from "#app/server/jobs/wakeable-sleep.server";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Whether `promise` has settled once the pending microtasks ran. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

it("sleeps the whole interval when nobody wakes it", async () => {
  const pause = wakeableSleep();
  const sleeping = pause.sleep(1000);
  await vi.advanceTimersByTimeAsync(999);
  expect(await settled(sleeping)).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(await settled(sleeping)).toBe(true);
});

it("a wake-up ends the sleep at once", async () => {
  const pause = wakeableSleep();
  const sleeping = pause.sleep(60_000);
  pause.wake();
  expect(await settled(sleeping)).toBe(true);
  // Used up by that sleep: the next one sleeps again.
  expect(await settled(pause.sleep(60_000))).toBe(false);
});

it("a wake-up while nobody sleeps is kept for the next sleep, once", async () => {
  const pause = wakeableSleep();
  pause.wake();
  pause.wake();
  expect(await settled(pause.sleep(60_000))).toBe(true);
  expect(await settled(pause.sleep(60_000))).toBe(false);
});

it("a sleep left behind (raced and lost) neither takes the wake-up of the sleep after it nor drops one kept", async () => {
  const pause = wakeableSleep();
  const left = pause.sleep(10);
  const next = pause.sleep(60_000);
  pause.wake();
  expect(await settled(next)).toBe(true);
  // Nobody sleeps now: kept, and the left-behind sleep's timer, firing after it, must not drop it.
  pause.wake();
  await vi.advanceTimersByTimeAsync(10);
  expect(await settled(left)).toBe(true);
  expect(await settled(pause.sleep(60_000))).toBe(true);
});
