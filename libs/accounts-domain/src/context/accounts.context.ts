import { commandsOf, defineContext, PageQuerySchema } from '@cqrs/context';
import { accountEventRegistry } from '@cqrs/events';
import { AmountBodySchema, CloseBodySchema, OpenAccountBodySchema } from '../account-bodies.schema';
import type { AccountCommand } from '../account.commands';
import { decide } from '../account.decider';
import { evolve, initialState } from '../account.state';
import {
  AccountIdSchema,
  AccountPathSchema,
  AccountSchema,
  AccountsPageSchema,
  TransactionSchema,
  TransactionsPageSchema,
} from './account-responses.schema';

/** Problems a command on an existing account can answer besides the common ones. */
const ON_ACCOUNT = [404, 409, 412, 413, 415, 422, 504];

const command = commandsOf<AccountCommand>();

/**
 * The accounts context as data: the command service, the gateway and the stack are built from
 * this. The HTTP status of each domain error is decided here, at the edge; the decider only
 * knows codes.
 */
export const accountsContext = defineContext({
  name: 'accounts',
  description: 'A small ledger: accounts with deposits and withdrawals, never below zero.',
  aggregate: {
    name: 'account',
    idParam: 'accountId',
    idSchema: AccountIdSchema.transform((id) => id.toLowerCase()),
    decider: { decide, evolve, initialState },
    events: accountEventRegistry,
    isNotFound: (error) => error.code === 'ACCOUNT_NOT_FOUND',
  },
  errorStatus: {
    ACCOUNT_NOT_FOUND: 404,
    ACCOUNT_ALREADY_EXISTS: 409,
    ACCOUNT_CLOSED: 422,
    ACCOUNT_INSUFFICIENT_FUNDS: 422,
    ACCOUNT_BALANCE_NOT_ZERO: 422,
    ACCOUNT_BALANCE_LIMIT: 422,
    // The invalid-input codes fire only when a caller skipped body validation (a 400 first).
    ACCOUNT_INVALID_AMOUNT: 422,
    ACCOUNT_INVALID_CURRENCY: 422,
    ACCOUNT_INVALID_OWNER: 422,
  },
  commands: [
    command({
      operationId: 'openAccount',
      name: 'OpenAccount',
      method: 'POST',
      path: '/accounts',
      summary: 'Open an account for the caller',
      body: OpenAccountBodySchema,
      success: { description: 'The account is open.' },
      problems: [413, 415, 422, 504],
      toCommand: ({ streamId, actorId, body }) => ({
        type: 'OpenAccount',
        accountId: streamId,
        actorId,
        ownerId: actorId,
        currency: body.currency,
      }),
    }),
    command({
      operationId: 'depositMoney',
      name: 'DepositMoney',
      method: 'POST',
      path: '/accounts/:accountId/deposits',
      summary: 'Deposit money',
      body: AmountBodySchema,
      requiresIdempotencyKey: true,
      success: { description: 'Deposited.' },
      problems: ON_ACCOUNT,
      toCommand: ({ streamId, actorId, body }) => ({
        type: 'DepositMoney',
        accountId: streamId,
        actorId,
        amount: body.amount,
      }),
    }),
    command({
      operationId: 'withdrawMoney',
      name: 'WithdrawMoney',
      method: 'POST',
      path: '/accounts/:accountId/withdrawals',
      summary: 'Withdraw money (never below a zero balance)',
      body: AmountBodySchema,
      requiresIdempotencyKey: true,
      success: { description: 'Withdrawn.' },
      problems: ON_ACCOUNT,
      toCommand: ({ streamId, actorId, body }) => ({
        type: 'WithdrawMoney',
        accountId: streamId,
        actorId,
        amount: body.amount,
      }),
    }),
    command({
      operationId: 'closeAccount',
      name: 'CloseAccount',
      method: 'POST',
      path: '/accounts/:accountId/close',
      summary: 'Close an account (only at balance zero)',
      body: CloseBodySchema,
      bodyOptional: true,
      success: { description: 'Closed.' },
      problems: ON_ACCOUNT,
      toCommand: ({ streamId, actorId }) => ({
        type: 'CloseAccount',
        accountId: streamId,
        actorId,
      }),
    }),
  ],
  queries: [
    {
      operationId: 'listAccounts',
      method: 'GET',
      path: '/accounts',
      summary: "The caller's accounts, a page at a time",
      query: PageQuerySchema,
      success: { status: 200, schema: 'AccountsPage', description: 'A page of accounts.' },
      problems: [],
    },
    {
      operationId: 'getAccount',
      method: 'GET',
      path: '/accounts/:accountId',
      summary: 'One account of the caller',
      params: AccountPathSchema,
      success: { status: 200, schema: 'Account', description: 'The account.' },
      problems: [404],
    },
    {
      operationId: 'listTransactions',
      method: 'GET',
      path: '/accounts/:accountId/transactions',
      summary: "An account's deposits and withdrawals, oldest first",
      params: AccountPathSchema,
      query: PageQuerySchema,
      success: { status: 200, schema: 'TransactionsPage', description: 'A page of transactions.' },
      problems: [404],
    },
  ],
  schemas: {
    Account: AccountSchema,
    AccountsPage: AccountsPageSchema,
    Transaction: TransactionSchema,
    TransactionsPage: TransactionsPageSchema,
  },
  projections: ['accounts'],
});
