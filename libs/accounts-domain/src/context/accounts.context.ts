import { commandsOf, defineContext, PageQuerySchema } from '@cqrs/context';
import { accountEventRegistry } from '@cqrs/events';
import {
  AmountBodySchema,
  CloseBodySchema,
  OpenAccountBodySchema,
  TransferCreditBodySchema,
  TransferLegBodySchema,
} from '../account-bodies.schema';
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
    // What the transfer process checks when a transfer is requested (the caller owns the
    // source; both hold one currency), from the event store: exact, never a read model's lag.
    summary: {
      path: '/internal/accounts/:accountId/owner',
      of: (state) =>
        state.status === 'none'
          ? undefined
          : {
              accountId: state.accountId,
              ownerId: state.ownerId,
              currency: state.currency,
              status: state.status,
            },
    },
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
    ACCOUNT_CURRENCY_MISMATCH: 422,
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
    // The legs of a transfer, for the transfer process only (system token, never the gateway).
    // Its Idempotency-Keys are deterministic (`<transferId>:debit`), so a redelivered step
    // replays its first answer instead of moving money twice.
    command({
      operationId: 'debitForTransfer',
      name: 'DebitForTransfer',
      method: 'POST',
      path: '/internal/accounts/:accountId/transfer-debits',
      access: 'internal',
      summary: 'Take the amount of a transfer from its source account',
      body: TransferLegBodySchema,
      requiresIdempotencyKey: true,
      success: { description: 'Debited.' },
      problems: ON_ACCOUNT,
      toCommand: ({ streamId, actorId, body }) => ({
        type: 'DebitForTransfer',
        accountId: streamId,
        actorId,
        transferId: body.transferId,
        amount: body.amount,
      }),
    }),
    command({
      operationId: 'creditForTransfer',
      name: 'CreditForTransfer',
      method: 'POST',
      path: '/internal/accounts/:accountId/transfer-credits',
      access: 'internal',
      summary: 'Give the amount of a transfer to its destination account',
      body: TransferCreditBodySchema,
      requiresIdempotencyKey: true,
      success: { description: 'Credited.' },
      problems: ON_ACCOUNT,
      toCommand: ({ streamId, actorId, body }) => ({
        type: 'CreditForTransfer',
        accountId: streamId,
        actorId,
        transferId: body.transferId,
        amount: body.amount,
        currency: body.currency,
      }),
    }),
    command({
      operationId: 'refundForTransfer',
      name: 'RefundForTransfer',
      method: 'POST',
      path: '/internal/accounts/:accountId/transfer-refunds',
      access: 'internal',
      summary: 'Give a failed transfer its debit back',
      body: TransferLegBodySchema,
      requiresIdempotencyKey: true,
      success: { description: 'Refunded.' },
      problems: ON_ACCOUNT,
      toCommand: ({ streamId, actorId, body }) => ({
        type: 'RefundForTransfer',
        accountId: streamId,
        actorId,
        transferId: body.transferId,
        amount: body.amount,
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
