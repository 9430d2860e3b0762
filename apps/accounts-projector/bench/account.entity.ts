import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The `accounts` read model as an ORM entity, for the naive baseline only: the service's
 * migrations create the table and its projection writes it with bulk SQL, never `save()`.
 */
@Entity({ name: 'accounts' })
@Index('accounts_owner_page', ['ownerId', 'openedAt', 'accountId'])
export class AccountEntity {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ type: 'text' })
  currency!: string;

  /** Minor units; bigint in SQL, a safe integer in JSON (amounts are bounded by the schema). */
  @Column({ type: 'bigint' })
  balance!: string;

  @Column({ type: 'text' })
  status!: 'open' | 'closed';

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
