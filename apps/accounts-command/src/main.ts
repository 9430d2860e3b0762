import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import {
  createLogger,
  createMetricsRegistry,
  registerCorrelation,
  registerOpsRoutes,
} from '@cqrs/platform';
import { AppModule } from './app.module';
import { loadConfig } from './config/accounts-command.config';

/** Composition root: parse config, build the adapters, wire them into Nest, start listening. */
async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: 'accounts-command', level: config.LOG_LEVEL });
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 10 });
  const kafka = new Kafka({
    clientId: 'accounts-command',
    brokers: config.KAFKA_BROKERS,
    logLevel: logLevel.WARN,
  });
  const admin = kafka.admin();

  const adapter = new FastifyAdapter({ bodyLimit: 16 * 1024 });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    logger: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerCorrelation(fastify);
  registerOpsRoutes(fastify, {
    registry: createMetricsRegistry('accounts-command'),
    checks: {
      postgres: async () => void (await pool.query('select 1')),
      kafka: async () => {
        await admin.connect();
        await admin.describeCluster();
      },
    },
  });
  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT }, 'accounts-command listening');

  const shutdown = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await Promise.allSettled([admin.disconnect(), pool.end()]);
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void shutdown(s));
  process.once('SIGINT', (s) => void shutdown(s));
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `accounts-command failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
