// What happened during the step and when, for the log and the job summary.
export interface TimelineEntry {
  /** Seconds since the step started. */
  atSeconds: number;
  event: string;
}

export class Timeline {
  readonly entries: TimelineEntry[] = [];
  private readonly started: number;

  constructor(
    private readonly log: (line: string) => void,
    now: () => number = Date.now,
  ) {
    this.started = now();
    this.now = now;
  }

  private readonly now: () => number;

  add(event: string): void {
    const atSeconds = Math.round((this.now() - this.started) / 100) / 10;
    this.entries.push({ atSeconds, event });
    this.log(`[${atSeconds.toFixed(1)} s] ${event}`);
  }
}
