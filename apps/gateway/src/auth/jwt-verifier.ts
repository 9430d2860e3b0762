import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type CryptoKey,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';

/** What a verification says: the subject, or why the token is refused (never thrown). */
export type Verification =
  | { ok: true; subject: string; /** epoch ms of `exp` */ expiresAt: number }
  | { ok: false; reason: 'invalid' | 'expired' | 'invalid-subject'; detail: string }
  | { ok: false; reason: 'unavailable'; detail: string };

export interface JwtVerifierOptions {
  /** The one algorithm accepted: pinning it refuses `none` and algorithm-confusion tokens. */
  algorithm: string;
  /** An HMAC secret, a public key, or a key set (createRemoteJWKSet / createLocalJWKSet). */
  key: Uint8Array | CryptoKey | KeyObject | JWTVerifyGetKey;
  issuer?: string;
  audience?: string;
  clockToleranceSeconds?: number;
}

export type JwtVerifier = (token: string) => Promise<Verification>;

/**
 * The subject travels upstream in a header (X-Actor-Id) and becomes the owner of what the caller creates.
 * Only visible ASCII, 1 to 200 characters: header rules trim spaces and refuse control and
 * non-ASCII characters, so `"alice "` would reach a service as `"alice"` (acting as her) and
 * `"b\u00f6b"` would be refused upstream; the gateway refuses such a subject itself, as is.
 */
export const SUBJECT = /^[\x21-\x7e]{1,200}$/;

/**
 * Bearer-token verification per the API contract: the pinned algorithm only, a signature that
 * checks, `exp` required and not passed, `iss`/`aud` when configured, a usable `sub`.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const verifyOptions = {
    algorithms: [options.algorithm],
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: options.clockToleranceSeconds ?? 0,
    requiredClaims: ['exp', 'sub'],
  };
  const { key } = options;
  return async (token) => {
    try {
      const { payload } =
        typeof key === 'function'
          ? await jwtVerify(token, key, verifyOptions)
          : await jwtVerify(token, key, verifyOptions);
      const subject = payload.sub;
      if (typeof subject !== 'string' || !SUBJECT.test(subject)) {
        return {
          ok: false,
          reason: 'invalid-subject',
          detail: 'The token subject must be 1 to 200 visible ASCII characters.',
        };
      }
      return { ok: true, subject, expiresAt: (payload.exp ?? 0) * 1000 };
    } catch (error) {
      return refusal(error);
    }
  };
}

/** HS*: the shared secret; asymmetric: the issuer's key set, fetched and cached by jose. */
export function keyFromConfig(config: {
  secret?: string;
  jwksUrl?: string;
}): JwtVerifierOptions['key'] {
  if (config.jwksUrl !== undefined) {
    return createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 2_000 });
  }
  if (config.secret === undefined) throw new Error('neither a JWT secret nor a JWKS URL');
  return new TextEncoder().encode(config.secret);
}

function refusal(error: unknown): Verification {
  if (error instanceof errors.JWTExpired) {
    return { ok: false, reason: 'expired', detail: 'The token has expired.' };
  }
  // The key set could not be fetched: our dependency failed, not the client's token.
  if (error instanceof errors.JWKSTimeout || isFetchFailure(error)) {
    return { ok: false, reason: 'unavailable', detail: 'The signing keys are unavailable.' };
  }
  return { ok: false, reason: 'invalid', detail: 'The token is not valid.' };
}

function isFetchFailure(error: unknown): boolean {
  if (error instanceof errors.JOSEError) return false;
  return error instanceof TypeError || (error instanceof Error && error.name === 'AbortError');
}
