/**
 * Injectable time. The system clock for production; a manual clock that tests (and operators in
 * emulator mode) move forward so schedules, retention and auto release run in milliseconds.
 */
export interface Clock {
  now(): number;
  /** Called when time jumps, so the engine re-evaluates what is due. */
  onChange(listener: () => void): void;
}

export class SystemClock implements Clock {
  now() { return Date.now(); }
  onChange() {}
}

export class ManualClock implements Clock {
  private listeners: (() => void)[] = [];
  constructor(private ms = Date.now()) {}
  now() { return this.ms; }
  set(ms: number) { this.ms = ms; this.listeners.forEach((l) => l()); }
  advance(ms: number) { this.set(this.ms + ms); }
  onChange(listener: () => void) { this.listeners.push(listener); }
}

/** Wall time shifted by an offset the operator can move forward (`OPENECS_CLOCK=offset`). */
export class OffsetClock implements Clock {
  private offset = 0;
  private listeners: (() => void)[] = [];
  now() { return Date.now() + this.offset; }
  advance(ms: number) { this.offset += ms; this.listeners.forEach((l) => l()); }
  onChange(listener: () => void) { this.listeners.push(listener); }
}
