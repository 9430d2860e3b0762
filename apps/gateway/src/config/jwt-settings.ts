import type { z } from 'zod';

export const HS_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'ES256',
  'ES384',
  'EdDSA',
] as const;
export type JwtAlgorithm = (typeof HS_ALGORITHMS)[number] | (typeof ASYMMETRIC_ALGORITHMS)[number];

/** RFC 7518 3.2: an HMAC key at least as long as the hash output. */
export const HS_MIN_SECRET_BYTES: Record<(typeof HS_ALGORITHMS)[number], number> = {
  HS256: 32,
  HS384: 48,
  HS512: 64,
};

export const isSymmetricAlg = (alg: JwtAlgorithm): alg is (typeof HS_ALGORITHMS)[number] =>
  (HS_ALGORITHMS as readonly string[]).includes(alg);

interface JwtSettings {
  AUTH_JWT_ALG: JwtAlgorithm;
  AUTH_JWT_SECRET?: string | undefined;
  AUTH_JWKS_URL?: string | undefined;
  AUTH_JWKS_ALLOW_INSECURE_HTTP: boolean;
  AUTH_JWT_ISSUER?: string | undefined;
  AUTH_JWT_AUDIENCE?: string | undefined;
}

/**
 * The combinations of token settings that are safe to run:
 * - HMAC: a secret at least as long as the hash (32/48/64 bytes);
 * - JWKS (tokens from an identity provider): `iss` and `aud` pinned, since a provider signs tokens
 *   for every application it serves with the same keys, and the keys fetched over https, since
 *   whoever answers the JWKS URL decides which tokens are valid. Plain http only with
 *   AUTH_JWKS_ALLOW_INSECURE_HTTP=true (a development identity provider on localhost).
 */
export function checkJwtSettings(config: JwtSettings, ctx: z.RefinementCtx): void {
  const issue = (path: keyof JwtSettings, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  const alg = config.AUTH_JWT_ALG;
  if (isSymmetricAlg(alg)) {
    const min = HS_MIN_SECRET_BYTES[alg];
    if (config.AUTH_JWT_SECRET === undefined)
      issue('AUTH_JWT_SECRET', `required for ${alg} (at least ${min} bytes)`);
    else if (Buffer.byteLength(config.AUTH_JWT_SECRET, 'utf8') < min)
      issue('AUTH_JWT_SECRET', `at least ${min} bytes for ${alg} (as long as its hash)`);
    return;
  }
  if (config.AUTH_JWKS_URL === undefined) issue('AUTH_JWKS_URL', `required for ${alg}`);
  else {
    const protocol = new URL(config.AUTH_JWKS_URL).protocol;
    if (protocol === 'http:' && !config.AUTH_JWKS_ALLOW_INSECURE_HTTP)
      issue(
        'AUTH_JWKS_URL',
        'must be https (plain http only with AUTH_JWKS_ALLOW_INSECURE_HTTP=true, for development)',
      );
    else if (protocol !== 'http:' && protocol !== 'https:') issue('AUTH_JWKS_URL', 'an https URL');
  }
  if (config.AUTH_JWT_ISSUER === undefined)
    issue(
      'AUTH_JWT_ISSUER',
      `required with ${alg}: the identity provider's issuer (the token's iss)`,
    );
  if (config.AUTH_JWT_AUDIENCE === undefined)
    issue('AUTH_JWT_AUDIENCE', `required with ${alg}: this API's audience (the token's aud)`);
}
