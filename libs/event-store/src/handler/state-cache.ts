/**
 * Recently used streams' folded state and version, so a hot stream is not re-read and re-folded
 * for every command. It may be stale when other instances write the same stream: the append's
 * version check catches that for accepted commands, and the handler catches up from the store
 * before it rejects or refuses a precondition. A Map keeps insertion order, which makes LRU cheap.
 */
export class StateCache<State> {
  private readonly entries = new Map<string, { state: State; version: number }>();

  constructor(private readonly maxEntries: number) {}

  get(streamId: string): { state: State; version: number } | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, state: State, version: number): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, { state, version });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
