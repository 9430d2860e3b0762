import type { EnvelopeOf, EventPayload } from '../envelope/new-event';
import { defineEvent, legacyVersion, type NewEventOf } from '../registry/event-definition';
import { createEventRegistry } from '../registry/event-registry';
import { AccountClosedV1DataSchema } from './account-closed.schema';
import { AccountOpenedV1DataSchema, AccountOpenedV2DataSchema } from './account-opened.schema';
import { upcastAccountOpenedV1ToV2 } from './account-opened.upcaster';
import { MoneyDepositedV1DataSchema, MoneyWithdrawnV1DataSchema } from './money-moved.schema';
import {
  AccountCreditedForTransferV1DataSchema,
  AccountDebitedForTransferV1DataSchema,
  AccountRefundedForTransferV1DataSchema,
} from './transfer-legs.schema';

/**
 * The accounts context's events. To change a published event: add a version here, move the old
 * schema into `legacy` with an upcaster, and run `pnpm events:generate` (published JSON Schemas
 * are frozen; the check fails when one changes).
 */
export const accountEventDefinitions = [
  defineEvent({
    type: 'AccountOpened',
    schemaVersion: 2,
    schema: AccountOpenedV2DataSchema,
    legacy: [legacyVersion(1, AccountOpenedV1DataSchema, upcastAccountOpenedV1ToV2)],
  }),
  defineEvent({ type: 'MoneyDeposited', schemaVersion: 1, schema: MoneyDepositedV1DataSchema }),
  defineEvent({ type: 'MoneyWithdrawn', schemaVersion: 1, schema: MoneyWithdrawnV1DataSchema }),
  defineEvent({ type: 'AccountClosed', schemaVersion: 1, schema: AccountClosedV1DataSchema }),
  defineEvent({
    type: 'AccountDebitedForTransfer',
    schemaVersion: 1,
    schema: AccountDebitedForTransferV1DataSchema,
  }),
  defineEvent({
    type: 'AccountCreditedForTransfer',
    schemaVersion: 1,
    schema: AccountCreditedForTransferV1DataSchema,
  }),
  defineEvent({
    type: 'AccountRefundedForTransfer',
    schemaVersion: 1,
    schema: AccountRefundedForTransferV1DataSchema,
  }),
] as const;

export const accountEventRegistry = createEventRegistry(accountEventDefinitions);

type AccountEventDefinition = (typeof accountEventDefinitions)[number];

/** A latest-version account event as a decider returns it (no envelope yet). */
export type NewAccountEvent = NewEventOf<AccountEventDefinition>;
/** A latest-version account event as read back from the store or Kafka. */
export type AccountEvent = EnvelopeOf<NewAccountEvent>;
/** `{ type, data }`: what both of the above have in common, and all `evolve` needs. */
export type AccountEventPayload = EventPayload<NewAccountEvent>;
export type AccountEventType = AccountEvent['type'];
