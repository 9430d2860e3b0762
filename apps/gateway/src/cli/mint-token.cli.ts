import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';

/**
 * Development helper: prints an HS256 bearer token the gateway accepts.
 *   pnpm token --sub alice [--ttl 3600] [--aud ...] [--iss ...]
 * The secret is AUTH_JWT_SECRET from the environment or the repository's .env; there is no
 * built-in default, so a token minted here only works against a gateway sharing that secret.
 * Refuses to run with NODE_ENV=production: real tokens come from the identity provider.
 */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function fromDotEnv(name: string): string | undefined {
  const file = path.join(REPO_ROOT, '.env');
  if (!existsSync(file)) return undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] === name) return match[2]?.replace(/^(['"])(.*)\1$/, '$2');
  }
  return undefined;
}

const setting = (name: string): string | undefined => process.env[name] ?? fromDotEnv(name);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
      aud: { type: 'string' },
      iss: { type: 'string' },
    },
  });
  const fail = (message: string): never => {
    process.stderr.write(`mint-token: ${message}\n`);
    process.exit(2);
  };
  if (process.env['NODE_ENV'] === 'production')
    fail('refusing to mint tokens with NODE_ENV=production');
  const sub =
    values.sub ?? fail('usage: pnpm token --sub <subject> [--ttl seconds] [--aud x] [--iss y]');
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl must be a positive number of seconds');
  const secret = setting('AUTH_JWT_SECRET');
  if (secret === undefined || secret.length < 32) {
    fail('set AUTH_JWT_SECRET (at least 32 characters) in the environment or in .env');
  }
  const alg = setting('AUTH_JWT_ALG') ?? 'HS256';
  if (!/^HS(256|384|512)$/.test(alg))
    fail(`AUTH_JWT_ALG=${alg}: only HS* tokens can be minted here`);
  const audience = values.aud ?? setting('AUTH_JWT_AUDIENCE');
  const issuer = values.iss ?? setting('AUTH_JWT_ISSUER');

  let jwt = new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(`${ttl}s`);
  if (audience) jwt = jwt.setAudience(audience);
  if (issuer) jwt = jwt.setIssuer(issuer);
  process.stdout.write(`${await jwt.sign(new TextEncoder().encode(secret))}\n`);
}

void main();
