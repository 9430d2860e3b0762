import type { z } from 'zod';
import { AmountBodySchema, CloseBodySchema, OpenAccountBodySchema } from '@cqrs/accounts-domain';
import { PageQuerySchema } from '@cqrs/context';
import { AccountPathSchema } from '../contract/api.schemas';

export type UpstreamName = 'command' | 'query';

/**
 * One public route: where it goes and what it takes. The single description both the request
 * validation (ProxyEndpoint) and the OpenAPI document are made from; the drift test checks it
 * against the routes the server actually registered.
 */
export interface GatewayRoute {
  operationId: string;
  method: 'GET' | 'POST';
  /** fastify/Nest syntax: `/accounts/:accountId/deposits`. */
  path: string;
  upstream: UpstreamName;
  summary: string;
  tag: 'commands' | 'queries';
  params?: typeof AccountPathSchema;
  query?: typeof PageQuerySchema;
  body?: z.ZodType;
  /** Close takes no body or `{}`. */
  bodyOptional?: boolean;
  /**
   * Money-moving commands: an Idempotency-Key is required (400 IDEMPOTENCY_KEY_REQUIRED), so a
   * retry after an unknown outcome (504) can never apply the command twice.
   */
  requiresIdempotencyKey?: boolean;
  success: { status: number; schema: string; description: string };
  /** Problem statuses the route documents besides the ones every protected route has. */
  problems: readonly number[];
}

const COMMAND_PROBLEMS = [404, 409, 412, 413, 415, 422, 504];

export const routeTable = {
  openAccount: {
    operationId: 'openAccount',
    method: 'POST',
    path: '/accounts',
    upstream: 'command',
    tag: 'commands',
    summary: 'Open an account for the caller',
    body: OpenAccountBodySchema,
    success: { status: 201, schema: 'CommandAccepted', description: 'The account is open.' },
    problems: [413, 415, 422, 504],
  },
  depositMoney: {
    operationId: 'depositMoney',
    method: 'POST',
    path: '/accounts/:accountId/deposits',
    upstream: 'command',
    tag: 'commands',
    summary: 'Deposit money',
    params: AccountPathSchema,
    body: AmountBodySchema,
    requiresIdempotencyKey: true,
    success: { status: 200, schema: 'CommandAccepted', description: 'Deposited.' },
    problems: COMMAND_PROBLEMS,
  },
  withdrawMoney: {
    operationId: 'withdrawMoney',
    method: 'POST',
    path: '/accounts/:accountId/withdrawals',
    upstream: 'command',
    tag: 'commands',
    summary: 'Withdraw money (never below a zero balance)',
    params: AccountPathSchema,
    body: AmountBodySchema,
    requiresIdempotencyKey: true,
    success: { status: 200, schema: 'CommandAccepted', description: 'Withdrawn.' },
    problems: COMMAND_PROBLEMS,
  },
  closeAccount: {
    operationId: 'closeAccount',
    method: 'POST',
    path: '/accounts/:accountId/close',
    upstream: 'command',
    tag: 'commands',
    summary: 'Close an account (only at balance zero)',
    params: AccountPathSchema,
    body: CloseBodySchema,
    bodyOptional: true,
    success: { status: 200, schema: 'CommandAccepted', description: 'Closed.' },
    problems: COMMAND_PROBLEMS,
  },
  listAccounts: {
    operationId: 'listAccounts',
    method: 'GET',
    path: '/accounts',
    upstream: 'query',
    tag: 'queries',
    summary: "The caller's accounts, a page at a time",
    query: PageQuerySchema,
    success: { status: 200, schema: 'AccountsPage', description: 'A page of accounts.' },
    problems: [],
  },
  getAccount: {
    operationId: 'getAccount',
    method: 'GET',
    path: '/accounts/:accountId',
    upstream: 'query',
    tag: 'queries',
    summary: 'One account of the caller',
    params: AccountPathSchema,
    success: { status: 200, schema: 'Account', description: 'The account.' },
    problems: [404],
  },
  listTransactions: {
    operationId: 'listTransactions',
    method: 'GET',
    path: '/accounts/:accountId/transactions',
    upstream: 'query',
    tag: 'queries',
    summary: "An account's deposits and withdrawals, oldest first",
    params: AccountPathSchema,
    query: PageQuerySchema,
    success: { status: 200, schema: 'TransactionsPage', description: 'A page of transactions.' },
    problems: [404],
  },
} as const satisfies Record<string, GatewayRoute>;

export const gatewayRoutes: readonly GatewayRoute[] = Object.values(routeTable);
