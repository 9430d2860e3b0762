import { createLogger } from '@cqrs/platform';
import { loadConfig } from '../../src/config/gateway.config';
import { upstreamSlots } from '../../src/contexts/context-upstreams';
import { createGatewayApp, type GatewayApp } from '../../src/http/create-gateway-app';
import { fixtureContext } from './fixture-context';

/** Nothing listens on port 9: a request that got past the edge would be a 503, never a 400. */
export const NOWHERE = 'http://127.0.0.1:9';

/** The fixture context's upstream variables, every one set to `url`. */
export const fixtureUpstreams = (url: string = NOWHERE): Record<string, string> =>
  Object.fromEntries(upstreamSlots([fixtureContext]).map((slot) => [slot.env, url]));

/** The gateway's configuration when it serves the fixture context only. */
export const fixtureConfig = (env: Record<string, string | undefined>) =>
  loadConfig({ ...fixtureUpstreams(), ...env }, [fixtureContext]);

/**
 * The gateway serving the fixture context only, its upstreams pointing nowhere unless `env`
 * says otherwise. Test files still mock `jose` themselves (jest.mock is hoisted per file).
 */
export const fixtureGateway = (env: Record<string, string | undefined>): Promise<GatewayApp> =>
  createGatewayApp(fixtureConfig(env), createLogger({ service: 'gateway-test', level: 'silent' }));
