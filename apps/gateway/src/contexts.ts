import { accountsContext } from '@cqrs/accounts-domain';
import { transfersContext } from '@cqrs/transfers-domain';
import type { AnyContext } from '@cqrs/context';

/**
 * The bounded contexts this gateway serves: the only file of the gateway that names one. Their
 * routes, upstream groups (`<NAME>_COMMAND_UPSTREAMS`, `<NAME>_QUERY_UPSTREAMS`), request
 * validation and OpenAPI document are all built from these descriptors.
 */
export const registeredContexts: readonly AnyContext[] = [accountsContext, transfersContext];
