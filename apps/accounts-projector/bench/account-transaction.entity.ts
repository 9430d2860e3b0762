import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One money movement of an account (naive baseline only); the version is the stream version. */
@Entity({ name: 'account_transactions' })
export class AccountTransactionEntity {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ type: 'text' })
  type!: 'deposit' | 'withdrawal';

  @Column({ type: 'bigint' })
  amount!: string;

  @Column({ name: 'balance_after', type: 'bigint' })
  balanceAfter!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}
