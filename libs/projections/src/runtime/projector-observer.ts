/** What one committed chunk did, by outcome. */
export interface ChunkResult {
  applied: number;
  skipped: number;
  deadLettered: number;
  parked: number;
}

/**
 * What the runtime reports from its hot path: to Prometheus (ProjectorMetrics) or to a
 * benchmark that explains its figures. Called synchronously, so implementations stay cheap.
 */
export interface ProjectorObserver {
  /**
   * One chunk committed (its transaction included); `startedNs` is process.hrtime.bigint();
   * `oldestTimestampMs` is the record timestamp of the chunk's first message (epoch ms), when
   * the broker gave one.
   */
  recordChunk(
    partition: number,
    result: ChunkResult,
    startedNs: bigint,
    oldestTimestampMs?: number,
  ): void;
  /** One batch handed over by the Kafka consumer, before it is cut into chunks. */
  recordBatch?(partition: number, messages: number): void;
}
