import type { AccountOpenedData, AccountOpenedV1Data } from './account-opened.schema';

/**
 * The worked upcaster example: v2 renamed `owner` to `ownerId`. The value is kept as is; v2's
 * stricter length rule is then enforced by the registry, which re-validates every upcast.
 */
export const upcastAccountOpenedV1ToV2 = ({
  owner,
  ...rest
}: AccountOpenedV1Data): AccountOpenedData => ({ ...rest, ownerId: owner });
