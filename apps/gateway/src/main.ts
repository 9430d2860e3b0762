import 'reflect-metadata';
import { createLogger } from '@cqrs/platform';
import { loadConfig, longestUpstreamWaitMs } from './config/gateway.config';
import { createGatewayApp } from './http/create-gateway-app';

/** Composition root: parse config, build the gateway, probe the upstreams, listen, drain on exit. */
async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  const gateway = await createGatewayApp(config, log);
  // A first health round before listening, so readiness is truthful from the first probe.
  await gateway.prober.start();
  await gateway.app.listen(config.PORT, config.HOST);
  log.info(
    {
      port: config.PORT,
      upstreams: Object.fromEntries(config.upstreams.map(({ group, urls }) => [group, urls])),
    },
    'gateway listening',
  );

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: no new connections, draining in-flight requests');
    // A request cannot legitimately outlive the longest upstream timeout; past that, give up.
    const deadline = longestUpstreamWaitMs(config) + 5_000;
    setTimeout(() => {
      log.error({ deadline }, 'drain did not finish in time; exiting');
      process.exit(1);
    }, deadline).unref();
    gateway.startDraining();
    // fastify's close stops accepting, answers 503 on kept-alive sockets and waits for
    // in-flight requests, whose upstream calls still need the pools: close those last.
    await gateway.app.close();
    await gateway.prober.stop();
    await gateway.closeUpstreams();
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void shutdown(s));
  process.once('SIGINT', (s) => void shutdown(s));
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
