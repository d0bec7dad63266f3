// The last requests the emulator served, so tests can count calls (retries, polls) exactly.

export interface RequestLogEntry {
  method: string;
  path: string;
  /** Query string without the `?` (empty when none). */
  query: string;
  /** 0 when the connection was dropped without a response. */
  status: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
  /** Id of the fault applied to this request, if any. */
  faultId?: string;
}

export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];

  constructor(private readonly capacity = 500) {}

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(): RequestLogEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.entries.length = 0;
  }
}
