// Emulator state: named collections of JSON documents, persisted under the state dir so a
// restarted emulator sees the same workspace. Writes are atomic (temp file + rename).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Collection = Map<string, unknown>;

export class StateStore {
  private readonly collections = new Map<string, Collection>();
  private readonly file: string | undefined;

  /** With no stateDir the store lives in memory only (unit tests). */
  constructor(stateDir?: string) {
    if (!stateDir) return;
    mkdirSync(stateDir, { recursive: true });
    this.file = path.join(stateDir, 'state.json');
    if (existsSync(this.file)) {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, Record<string, unknown>>;
      for (const [name, items] of Object.entries(saved)) {
        this.collections.set(name, new Map(Object.entries(items)));
      }
    }
  }

  /** Keys are compared case-insensitively, like ARM resource names. */
  private static normalize(key: string): string {
    return key.toLowerCase();
  }

  private collection(name: string): Collection {
    let items = this.collections.get(name);
    if (!items) {
      items = new Map();
      this.collections.set(name, items);
    }
    return items;
  }

  get<T>(collection: string, key: string): T | undefined {
    const value = this.collection(collection).get(StateStore.normalize(key));
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  put<T>(collection: string, key: string, value: T): T {
    this.collection(collection).set(StateStore.normalize(key), structuredClone(value));
    this.persist();
    return value;
  }

  delete(collection: string, key: string): boolean {
    const removed = this.collection(collection).delete(StateStore.normalize(key));
    if (removed) this.persist();
    return removed;
  }

  /** Values whose key starts with prefix (case-insensitive), in insertion order. */
  list<T>(collection: string, prefix = ''): T[] {
    const wanted = StateStore.normalize(prefix);
    return [...this.collection(collection).entries()]
      .filter(([key]) => key.startsWith(wanted))
      .map(([, value]) => structuredClone(value) as T);
  }

  private persist(): void {
    if (!this.file) return;
    const snapshot: Record<string, Record<string, unknown>> = {};
    for (const [name, items] of this.collections) snapshot[name] = Object.fromEntries(items);
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(snapshot));
    renameSync(temp, this.file);
  }
}
