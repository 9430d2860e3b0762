import { HealthProber } from './health-prober';
import { UpstreamGroup } from './upstream-group';

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
    group.eject(group.instances[0]!, 'ECONNREFUSED');
    for (let i = 0; i < 4; i++) expect(group.pick()?.url).not.toBe('http://a:1');
    expect(group.pick(new Set(['http://b:1']))?.url).toBe('http://c:1');
    expect(group.pick(new Set(['http://b:1', 'http://c:1']))).toBeUndefined();
  });
});

describe('UpstreamGroup: passive health', () => {
  it('ejects at once, reporting the change once', () => {
    const changes: string[] = [];
    const group = new UpstreamGroup('query', urls, (_g, i) =>
      changes.push(`${i.url}:${i.healthy}`),
    );
    const a = group.instances[0]!;
    group.eject(a, 'timeout');
    group.eject(a, 'timeout');
    expect(a).toMatchObject({ healthy: false, lastError: 'timeout' });
    expect(group.healthyCount()).toBe(2);
    expect(changes).toEqual(['http://a:1:false']);
  });
});

describe('HealthProber: active health', () => {
  it('brings an ejected instance back when its readiness answers, and takes a failing one out', async () => {
    const group = new UpstreamGroup('command', urls);
    group.eject(group.instances[0]!, 'ECONNREFUSED');
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

  it('probes an ejected instance every ejected interval, healthy ones every healthy interval', async () => {
    jest.useFakeTimers();
    try {
      const group = new UpstreamGroup('command', ['http://up:1', 'http://down:1']);
      const calls: string[] = [];
      let downReady = false;
      const probe = async (url: string) => {
        calls.push(url);
        return { ok: url === 'http://up:1' || downReady };
      };
      const prober = new HealthProber([group], probe, { healthyMs: 2_000, ejectedMs: 250 });
      await prober.start();
      expect(group.snapshot().map((i) => i.state)).toEqual(['healthy', 'ejected']);
      calls.length = 0;
      await jest.advanceTimersByTimeAsync(1_000);
      expect(calls.filter((u) => u === 'http://down:1')).toHaveLength(4);
      expect(calls.filter((u) => u === 'http://up:1')).toHaveLength(0);
      // Ready again: back in rotation at the next short probe, then checked at the long pace.
      downReady = true;
      await jest.advanceTimersByTimeAsync(250);
      expect(group.snapshot().map((i) => i.state)).toEqual(['healthy', 'healthy']);
      calls.length = 0;
      await jest.advanceTimersByTimeAsync(700); // t = 1950 ms: nothing due yet
      expect(calls).toEqual([]);
      await prober.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('on demand (a request timed out), probes at once and lets readiness decide', async () => {
    const group = new UpstreamGroup('command', ['http://slow:1', 'http://hung:1']);
    const probe = async (url: string) => ({ ok: url === 'http://slow:1', detail: 'no answer' });
    const prober = new HealthProber([group], probe, 60_000);
    const [slow, hung] = group.instances;
    await prober.probeNow(group, slow!);
    await prober.probeNow(group, hung!);
    expect(group.snapshot().map((i) => i.state)).toEqual(['healthy', 'ejected']);
  });
});
