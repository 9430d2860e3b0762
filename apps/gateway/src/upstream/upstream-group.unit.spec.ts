import { HealthProber } from './health-prober';
import { SERVER_ERRORS_TO_EJECT, UpstreamGroup } from './upstream-group';

const urls = ['http://a:1', 'http://b:1', 'http://c:1'];

describe('UpstreamGroup: least outstanding requests among healthy instances', () => {
  it('given idle instances, when picking repeatedly, then ties rotate round-robin', () => {
    const group = new UpstreamGroup('command', urls);
    const picks = Array.from({ length: 6 }, () => group.pick()?.url);
    expect(picks).toEqual([...urls, ...urls]);
  });

  it('prefers the instance with the fewest requests in flight', () => {
    const group = new UpstreamGroup('command', urls);
    const [a, b, c] = group.instances;
    a!.outstanding = 3;
    b!.outstanding = 1;
    c!.outstanding = 2;
    for (let i = 0; i < 3; i++) expect(group.pick()?.url).toBe('http://b:1');
  });

  it('skips ejected and already-tried instances; none left means undefined', () => {
    const group = new UpstreamGroup('command', urls);
    group.recordFailure(group.instances[0]!, 'unavailable', 'ECONNREFUSED');
    for (let i = 0; i < 4; i++) expect(group.pick()?.url).not.toBe('http://a:1');
    expect(group.pick(new Set(['http://b:1']))?.url).toBe('http://c:1');
    expect(group.pick(new Set(['http://b:1', 'http://c:1']))).toBeUndefined();
  });
});

describe('UpstreamGroup: passive health', () => {
  it('ejects at once on unavailability, reporting the change once', () => {
    const changes: string[] = [];
    const group = new UpstreamGroup('query', urls, (_g, i) =>
      changes.push(`${i.url}:${i.healthy}`),
    );
    const a = group.instances[0]!;
    group.recordFailure(a, 'unavailable', 'timeout');
    group.recordFailure(a, 'unavailable', 'timeout');
    expect(a).toMatchObject({ healthy: false, lastError: 'timeout' });
    expect(group.healthyCount()).toBe(2);
    expect(changes).toEqual(['http://a:1:false']);
  });

  it('ejects on server errors only when they come in a row', () => {
    const group = new UpstreamGroup('query', urls);
    const a = group.instances[0]!;
    for (let i = 1; i < SERVER_ERRORS_TO_EJECT; i++) group.recordFailure(a, 'server-error', '500');
    group.recordSuccess(a);
    for (let i = 1; i < SERVER_ERRORS_TO_EJECT; i++) group.recordFailure(a, 'server-error', '500');
    expect(a.healthy).toBe(true);
    group.recordFailure(a, 'server-error', '500');
    expect(a.healthy).toBe(false);
  });
});

describe('HealthProber: active health', () => {
  it('brings an ejected instance back when its readiness answers, and takes a failing one out', async () => {
    const group = new UpstreamGroup('command', urls);
    group.recordFailure(group.instances[0]!, 'unavailable', 'ECONNREFUSED');
    const ready = new Set(['http://a:1', 'http://c:1']);
    const prober = new HealthProber(
      [group],
      async (url) => ({ ok: ready.has(url), detail: 'not ready' }),
      60_000,
    );
    await prober.probeOnce();
    expect(group.snapshot().map((i) => [i.url, i.state])).toEqual([
      ['http://a:1', 'healthy'],
      ['http://b:1', 'ejected'],
      ['http://c:1', 'healthy'],
    ]);
    expect(group.instances[1]!.lastError).toBe('not ready');
  });

  it('probes on start and then every interval until stopped', async () => {
    jest.useFakeTimers();
    try {
      const group = new UpstreamGroup('query', ['http://a:1']);
      const probe = jest.fn(async () => ({ ok: true }));
      const prober = new HealthProber([group], probe, 2_000);
      await prober.start();
      expect(probe).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(2_000);
      expect(probe).toHaveBeenCalledTimes(2);
      await jest.advanceTimersByTimeAsync(4_000);
      expect(probe).toHaveBeenCalledTimes(4);
      await prober.stop();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(probe).toHaveBeenCalledTimes(4);
    } finally {
      jest.useRealTimers();
    }
  });
});
