import { ConfigError } from '@cqrs/platform';
import { parseProcessManagerConfig, targetUrlVariable } from '../../src';

const env = {
  LEDGER_COMMAND_URL: 'http://ledger:3001',
  REQUESTS_COMMAND_URL: 'http://requests:3002/',
  SYSTEM_TOKEN: 'a-system-token-of-some-length',
};

describe('parseProcessManagerConfig', () => {
  it('names one URL variable per target', () => {
    expect(targetUrlVariable('ledger')).toBe('LEDGER_COMMAND_URL');
    expect(targetUrlVariable('transfers-command')).toBe('TRANSFERS_COMMAND_COMMAND_URL');
  });

  it('reads base URLs, token and defaults', () => {
    expect(parseProcessManagerConfig(['ledger', 'requests'], env)).toEqual({
      baseUrls: { ledger: ['http://ledger:3001'], requests: ['http://requests:3002/'] },
      systemToken: env.SYSTEM_TOKEN,
      requestTimeoutMs: 5_000,
      backoff: { baseMs: 200, maxMs: 60_000 },
      batchSize: 16,
      stepsPerClaim: 8,
      pollIntervalMs: 500,
      stuckAfterMs: 300_000,
    });
  });

  it('reads an upstream given as its instances, separated by commas', () => {
    const two = { ...env, LEDGER_COMMAND_URL: 'http://ledger-1:3001, http://ledger-2:3001' };
    expect(parseProcessManagerConfig(['ledger', 'requests'], two).baseUrls['ledger']).toEqual([
      'http://ledger-1:3001',
      'http://ledger-2:3001',
    ]);
    const bad = { ...env, LEDGER_COMMAND_URL: 'http://ledger-1:3001,ledger-2' };
    expect(() => parseProcessManagerConfig(['ledger', 'requests'], bad)).toThrow(
      /LEDGER_COMMAND_URL/,
    );
  });

  it('fails naming every variable that is missing or wrong', () => {
    const parse = () =>
      parseProcessManagerConfig(['ledger', 'requests'], {
        LEDGER_COMMAND_URL: 'ledger:3001',
        SYSTEM_TOKEN: 'short',
        PROCESS_BACKOFF_BASE_MS: '500',
        PROCESS_BACKOFF_MAX_MS: '100',
      });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/LEDGER_COMMAND_URL/);
    expect(parse).toThrow(/REQUESTS_COMMAND_URL/);
    expect(parse).toThrow(/SYSTEM_TOKEN/);
  });

  it('refuses a backoff cap below its base', () => {
    expect(() =>
      parseProcessManagerConfig(['ledger', 'requests'], {
        ...env,
        PROCESS_BACKOFF_BASE_MS: '500',
        PROCESS_BACKOFF_MAX_MS: '100',
      }),
    ).toThrow(/PROCESS_BACKOFF_MAX_MS/);
  });
});
