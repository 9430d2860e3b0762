import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  correlationId: string;
}

/**
 * Carries the correlation id through every await of a request or a consumed message, so each
 * log line and each appended event names the request that caused it without passing it around.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();

export const currentCorrelationId = (): string | undefined =>
  requestContext.getStore()?.correlationId;
