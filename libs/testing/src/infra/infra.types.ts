/** Where a piece of infrastructure came from; printed so nobody wonders which Kafka a test hit. */
export type InfraSource = 'environment' | 'testcontainers' | 'local';

export interface KafkaEndpoint {
  brokers: string[];
  source: InfraSource;
  /** Stops what this resolution started; a no-op for something that was already running. */
  stop: () => Promise<void>;
}

export interface PostgresEndpoint {
  /** A URL with rights to create databases and roles (tests make one database per file). */
  url: string;
  source: InfraSource;
  stop: () => Promise<void>;
}

export type Logger = (message: string) => void;
