import type { Clock } from '../domain/ports.ts'

export const systemClock: Clock = { now: () => new Date() }

/** A clock tests can move, for expiry and lock-out rules. */
export function manualClock(
  start = new Date(),
): Clock & { advance(seconds: number): void; set(d: Date): void } {
  let now = start
  return {
    now: () => new Date(now),
    advance: (seconds) => {
      now = new Date(now.getTime() + seconds * 1000)
    },
    set: (d) => {
      now = d
    },
  }
}
