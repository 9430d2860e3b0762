/**
 * One Kafka version for every way the template runs a broker: the apache/kafka image in
 * docker-compose.yml, the testcontainers fallback, and the local broker resolved from Maven
 * Central (libs/testing/kafka/pom.xml). `versions.unit.spec.ts` fails when they drift apart.
 */
export const KAFKA_VERSION = '4.1.2';
export const KAFKA_IMAGE = `apache/kafka:${KAFKA_VERSION}`;
export const POSTGRES_IMAGE = 'postgres:17-alpine';

/** Fixed KRaft cluster id (22 characters, base64url), the one testcontainers uses too. */
export const KAFKA_CLUSTER_ID = '4L6g3nShT-eMCtK--X86sw';
