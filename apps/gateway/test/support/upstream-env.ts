import { registeredContexts } from '../../src/contexts';
import { upstreamSlots } from '../../src/contexts/context-upstreams';

/**
 * Every registered context's `<CONTEXT>_<SIDE>_UPSTREAMS` set to one URL, so a test that needs
 * the gateway to start does not break when a context is added (the gateway requires the
 * variables of every context it serves). A test overrides the ones it routes to.
 */
export const everyUpstream = (url: string): Record<string, string> =>
  Object.fromEntries(upstreamSlots(registeredContexts).map((slot) => [slot.env, url]));
