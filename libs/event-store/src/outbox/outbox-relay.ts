import { Client, type ClientConfig } from 'pg';
import type { Kafka, Producer } from 'kafkajs';
import { toKafkaMessage } from '@cqrs/events';
import { ensureTopics, type TopicSpec } from '@cqrs/platform';
import type { StoredEvent } from '../append/append.types';
import { toStoredEvent, type EventRow } from '../append/event-row';
import { OUTBOX_CHANNEL } from '../append/group-commit.sql';
import { ACK_AND_FETCH_SQL } from './outbox-fetch.sql';

export interface RelayLogger {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
}

export interface OutboxRelayOptions {
  /** A dedicated session: it holds the leader lock and LISTENs for appends. */
  database: ClientConfig;
  kafka: Kafka;
  topic: string;
  /** How the relay creates the topic when it does not exist (brokers do not auto-create). */
  topicSpec?: Partial<Omit<TopicSpec, 'topic'>>;
  /**
   * Bounds on the relay's own session: a statement that hangs (a lock, a stalled server) fails
   * after statementTimeoutMs, and TCP keepalive notices a peer that vanished without a FIN.
   */
  statementTimeoutMs?: number;
  keepAliveInitialDelayMs?: number;
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

/** Longer than a standby's lock poll (1 s), so a standby takes over from a lost leader. */
/** The longest wait between two attempts to publish while Kafka is unreachable. */
const PUBLISH_RETRY_MAX_MS = 1_000;
const LEADER_GRACE_MS = 2_000;

/** The leader's hold on its lock: it ends with the session that took it. */
interface Session {
  lost: boolean;
}

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
      const client = new Client({
        keepAlive: true,
        keepAliveInitialDelayMillis: this.options.keepAliveInitialDelayMs ?? 10_000,
        statement_timeout: this.options.statementTimeoutMs ?? 30_000,
        ...this.options.database,
      });
      const session: Session = { lost: false };
      // The advisory lock dies with the session: from then on another relay may lead, so this
      // one must not send again. A send waiting for Kafka is cut short (see publish).
      const lose = (why: string): void => {
        if (session.lost) return;
        session.lost = true;
        this.state.leader = false;
        this.state.lastError = why;
        this.interrupt?.();
        this.notified();
        const producer = this.producer;
        this.producer = undefined;
        void producer?.disconnect().catch(() => undefined);
      };
      client.on('error', (error) => lose(error.message));
      client.on('end', () => lose('database session ended'));
      let wasLeader = false;
      try {
        await client.connect();
        if (!(await this.becomeLeader(client))) break;
        wasLeader = true;
        await this.lead(client, session);
        if (session.lost) throw new Error(this.state.lastError ?? 'database session lost');
        backoff = 100;
      } catch (error) {
        this.state.lastError = error instanceof Error ? error.message : String(error);
        this.options.log.warn(
          { err: this.state.lastError },
          'outbox relay lost its database session; reconnecting',
        );
        // A leader that lost its session (killed, network trouble) lets the standbys, which
        // try the lock every second, take over first: it may be the unhealthy one.
        await sleep(wasLeader ? Math.max(backoff, LEADER_GRACE_MS) : backoff);
        backoff = Math.min(backoff * 2, 5_000);
      } finally {
        session.lost = true; // ending it ourselves is no loss to report
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
  private async lead(client: Client, session: Session): Promise<void> {
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
      while (!this.stopped && !session.lost) {
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
        // Stopping or no longer the leader while Kafka was unreachable: the rows stay.
        if (!(await this.publish(events, session))) return;
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

  /**
   * Sends until acknowledged (true), or until the relay stops or loses its session (false);
   * Kafka outages just wait. The session is checked before every attempt, and losing it
   * disconnects the producer, so a relay that is no longer the leader does not send while the
   * new one does.
   */
  private async publish(events: StoredEvent[], session: Session): Promise<boolean> {
    let backoff = 100;
    let failures = 0;
    while (!this.stopped && !session.lost) {
      try {
        const producer = await this.connectedProducer();
        if (session.lost) return false;
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
        // Capped at 1 s: a reconnect attempt is cheap, and every second of the cap is added to
        // how long events stay invisible after the broker is back.
        backoff = Math.min(backoff * 2, PUBLISH_RETRY_MAX_MS);
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
      // Few, short internal retries: the relay's own loop retries outages, and checks between
      // attempts that it still leads (a send retried inside kafkajs for 30 s would not).
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    await producer.connect();
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      const spec = this.options.topicSpec;
      const { mismatched } = await ensureTopics(admin, [
        {
          topic: this.options.topic,
          partitions: spec?.partitions ?? 3,
          replicationFactor: spec?.replicationFactor ?? 1,
          retentionMs: spec?.retentionMs ?? -1,
          minInsyncReplicas: spec?.minInsyncReplicas ?? 1,
        },
      ]);
      for (const topic of mismatched)
        this.options.log.warn(topic, 'event topic retention differs from the configured one');
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
