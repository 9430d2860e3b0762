import fs from 'node:fs';
import path from 'node:path';

const STALE_AFTER_MS = 5 * 60_000;

/**
 * A cross-process lock made of `mkdir`, which is atomic: jest's global setup and a developer's
 * `pnpm infra:up` may try to start the same broker at the same moment. A lock left by a killed
 * process is taken over once it is older than any start could last.
 */
export async function withFileLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + STALE_AFTER_MS;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - fs.statSync(lockDir, { throwIfNoEntry: false })!.mtimeMs;
      if (age > STALE_AFTER_MS || Date.now() > deadline)
        fs.rmSync(lockDir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}
