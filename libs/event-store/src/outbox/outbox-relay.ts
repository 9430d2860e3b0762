import { Client, type ClientConfig } from 'pg';
import type { Kafka, Producer } from 'kafkajs';
import type { StoredEvent } from '../append/append.types';
import { toStoredEvent, type EventRow } from '../append/event-row';
import { OUTBOX_CHANNEL } from '../append/group-commit.sql';
import { ACK_AND_FETCH_SQL } from './outbox-fetch.sql';
import { toKafkaMessage } from './outbox-message';

export interface RelayLogger {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
}

export interface OutboxRelayOptions {
  /** A dedicated session: it holds the leader lock and LISTENs for appends. */
  database: ClientConfig;
  kafka: Kafka;
  topic: string;
  /** Partitions for the topic when the relay has to create it. */
  partitions?: number;
  batchSize?: number;
  /** Fallback poll when no notification arrives (lost NOTIFY, reconnects). */
  pollIntervalMs?: number;
  /** Advisory lock key: one leader per database, the others stand by. */
  lockKey?: number;
  log: RelayLogger;
  onPublished?: (events: StoredEvent[]) => void;
}

export interface RelayStatus {
  leader: boolean;
  published: number;
  lastError: string | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes committed events from the outbox to Kafka, in store order, and deletes them once
 * the broker acknowledged them.
 *
 * - One leader at a time (pg_try_advisory_lock on its session), so several instances never
 *   reorder or double-send; a standby takes over within a second of the leader's session ending.
 * - Woken by LISTEN/NOTIFY from the append transaction, with a polling fallback.
 * - The idempotent producer (one request in flight) keeps partition order across retries.
 * - A crash between the broker's ack and the DELETE re-sends those events on restart: exact
 *   redeliveries with the same eventId, which consumers dedupe.
 * - Kafka down: the relay keeps retrying with backoff while commands keep being accepted.
 */
export class OutboxRelay {
  private stopped = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private woken = false;
  private interrupt: (() => void) | undefined;
  private producer: Producer | undefined;
  private readonly state: RelayStatus = { leader: false, published: 0, lastError: undefined };

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    this.running ??= this.loop();
  }

  status(): RelayStatus {
    return { ...this.state };
  }

  /** Finishes the batch in hand, releases leadership and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.notified();
    this.interrupt?.();
    await this.running;
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async loop(): Promise<void> {
    let backoff = 100;
    while (!this.stopped) {
      const client = new Client(this.options.database);
      client.on('error', (error) => (this.state.lastError = error.message));
      try {
        await client.connect();
        if (!(await this.becomeLeader(client))) break;
        await this.lead(client);
        backoff = 100;
      } catch (error) {
        this.state.lastError = error instanceof Error ? error.message : String(error);
        this.options.log.warn(
          { err: this.state.lastError },
          'outbox relay lost its database session; reconnecting',
        );
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      } finally {
        this.state.leader = false;
        await client.end().catch(() => undefined);
      }
    }
  }

  private async becomeLeader(client: Client): Promise<boolean> {
    const key = this.options.lockKey ?? 72_707_002;
    while (!this.stopped) {
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS ok',
        [key],
      );
      if (rows[0]?.ok) {
        this.state.leader = true;
        this.options.log.info({}, 'outbox relay is the leader');
        return true;
      }
      await this.waitForWake(1_000);
    }
    return false;
  }

  /**
   * The leader's loop, pipelined: while Kafka acknowledges batch N, the query for batch N+1
   * runs (it skips N, still in flight, and deletes N-1, acknowledged). Sends stay strictly one
   * after the other, so store order holds; only the database round trip leaves the critical path.
   */
  private async lead(client: Client): Promise<void> {
    client.on('notification', () => this.notified());
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    const batchSize = this.options.batchSize ?? 500;
    const fetch = (ack: string[], inFlight: string[]): Promise<StoredEvent[]> => {
      const query = client
        .query<EventRow>(ACK_AND_FETCH_SQL, [ack, inFlight, batchSize])
        .then((result) => result.rows.map(toStoredEvent));
      query.catch(() => undefined); // awaited later; a failure surfaces there
      return query;
    };
    let acked: string[] = []; // acknowledged by Kafka, not deleted yet
    let next = fetch([], []);
    try {
      while (!this.stopped) {
        const events = await next;
        if (events.length === 0) {
          if (acked.length === 0) await this.waitForWake(this.options.pollIntervalMs ?? 1_000);
          next = fetch(acked, []);
          acked = [];
          continue;
        }
        const positions = events.map((e) => e.globalPosition);
        next = fetch(acked, positions);
        acked = [];
        if (!(await this.publish(events))) return; // stopping while Kafka was unreachable: rows stay
        acked = positions;
        this.state.published += events.length;
        this.options.onPublished?.(events);
      }
    } finally {
      // Stopping: let the query in hand finish, then delete what Kafka has, so a clean restart
      // re-sends nothing.
      await next.catch(() => undefined);
      if (acked.length > 0)
        await client
          .query('DELETE FROM outbox WHERE global_position = ANY ($1::bigint[])', [acked])
          .catch(() => undefined);
    }
  }

  /** Sends until acknowledged (true) or the relay stops (false); Kafka outages just wait. */
  private async publish(events: StoredEvent[]): Promise<boolean> {
    let backoff = 100;
    let failures = 0;
    while (!this.stopped) {
      try {
        const producer = await this.connectedProducer();
        await producer.send({ topic: this.options.topic, messages: events.map(toKafkaMessage) });
        if (failures > 0)
          this.options.log.info({ failures }, 'Kafka reachable again; outbox relay resumed');
        this.state.lastError = undefined;
        return true;
      } catch (error) {
        this.state.lastError = error instanceof Error ? error.message : String(error);
        if (failures++ % 20 === 0)
          this.options.log.warn(
            { err: this.state.lastError, pending: events.length },
            'outbox relay cannot publish; retrying',
          );
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await this.pause(backoff); // not cut short by appends: Kafka is what we wait for
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
    return false;
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      const partitions = this.options.partitions ?? 3;
      // false when it exists already; either way the topic is there afterwards.
      await admin.createTopics({
        topics: [{ topic: this.options.topic, numPartitions: partitions }],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    this.producer = producer;
    return producer;
  }

  /**
   * Waits for a NOTIFY (or stop) at most `ms`. A notification that arrived while the relay was
   * busy is remembered, so an append committed during a fetch is never left for the next poll.
   */
  private waitForWake(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the waker clears itself
      function done(): void {
        clearTimeout(timer);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  /** Sleeps `ms`, or less if the relay stops. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the waker clears itself
      function done(): void {
        clearTimeout(timer);
        self.interrupt = undefined;
        resolve();
      }
      this.interrupt = done;
    });
  }

  private notified(): void {
    if (this.wake) this.wake();
    else this.woken = true;
  }
}
