/**
 * One command at a time per stream in this process, with a bounded wait line per stream.
 *
 * Without it, N concurrent commands on one stream all decide against the same version, one
 * wins each group commit and the others conflict, catch up and try again: O(N^2) appends, and
 * past the attempt limit a failure, while the retries crowd the shared append queue that every
 * other stream's commands go through. In line, each command decides against the state its
 * predecessor left (no conflict inside one instance), and a hot stream can hold at most
 * `maxQueuedPerStream` commands; the rest are refused at once, so other streams never wait
 * behind it.
 */
export class StreamGate {
  private readonly streams = new Map<string, { admitted: number; tail: Promise<void> }>();

  constructor(private readonly maxQueuedPerStream: number) {}

  /** Runs `task` after the stream's earlier tasks; `{ admitted: false }` when its line is full. */
  async run<T>(
    streamId: string,
    task: () => Promise<T>,
  ): Promise<{ admitted: true; value: T } | { admitted: false }> {
    let line = this.streams.get(streamId);
    if (!line) {
      line = { admitted: 0, tail: Promise.resolve() };
      this.streams.set(streamId, line);
    }
    if (line.admitted >= this.maxQueuedPerStream) return { admitted: false };
    line.admitted++;
    const previous = line.tail;
    let release!: () => void;
    line.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return { admitted: true, value: await task() };
    } finally {
      release();
      if (--line.admitted === 0) this.streams.delete(streamId);
    }
  }
}
