import net from 'node:net';
import tls from 'node:tls';
import { Kafka, logLevel, type ISocketFactory, type KafkaConfig } from 'kafkajs';
import type { Logger } from 'pino';
import { KAFKA_RETRY } from './consumer-settings';
import { kafkaLogCreator } from './kafka-log-creator';

/**
 * kafkajs's default socket keeps Nagle's algorithm on. Its connections carry several requests
 * at once (fetch, heartbeat, offset commit, produce), so a small request written while another
 * is unacknowledged can sit in the kernel until the broker's delayed ACK fires (~40 ms on
 * Linux). Every service here is latency-bound on those small requests, so Nagle goes off.
 */
export const lowLatencySocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tls.connect(
        { host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl },
        onConnect,
      )
    : net.connect({ host, port }, onConnect);
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 60_000);
  return socket;
};

/**
 * The one way services build a kafkajs client, so every connection gets the same socket and,
 * given the service's logger, kafkajs's lines go through it (kafkaLogCreator).
 */
export function createKafkaClient(
  config: Pick<KafkaConfig, 'clientId' | 'brokers'> & { logLevel?: logLevel; log?: Logger },
): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    logLevel: config.logLevel ?? logLevel.WARN,
    ...(config.log === undefined ? {} : { logCreator: kafkaLogCreator(config.log) }),
    socketFactory: lowLatencySocketFactory,
    retry: KAFKA_RETRY,
  });
}
