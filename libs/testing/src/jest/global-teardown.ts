import type { ResolvedInfra } from '../infra/resolve-infra';

/** Stops what the global setup started; infrastructure found running is left alone. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __INFRA__?: ResolvedInfra }).__INFRA__?.stop();
}
