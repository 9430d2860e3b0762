import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/**
 * With BENCH_CPU_PROFILE=<dir>, records a V8 CPU profile of this process while `work` runs and
 * writes it to <dir>/<name>.cpuprofile (open it in Chrome DevTools or speedscope). Without it,
 * just runs `work`: profiling slows the code it watches.
 */
export async function profiled<T>(
  name: string,
  dir: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (dir === undefined || dir === '') return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
