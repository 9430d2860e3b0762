import { Writable } from 'node:stream';
import { logLevel } from 'kafkajs';
import pino from 'pino';
import { kafkaLogCreator } from '@cqrs/platform';

function capturedLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { log: pino({ level }, destination), lines };
}

const entry = (level: logLevel, extra: Record<string, unknown> = {}) => ({
  namespace: 'Connection',
  level,
  label: 'X',
  log: {
    timestamp: '2026-01-01T00:00:00.000Z',
    logger: 'kafkajs',
    message: 'broker gone',
    ...extra,
  },
});

describe('kafkaLogCreator', () => {
  it('given kafkajs levels, when logged, then each maps to its pino level with the namespace as a field', () => {
    const { log, lines } = capturedLogger('debug');
    const write = kafkaLogCreator(log)(logLevel.DEBUG);
    write(entry(logLevel.ERROR, { broker: 'b1:9092', retryCount: 2 }));
    write(entry(logLevel.WARN));
    write(entry(logLevel.INFO));
    write(entry(logLevel.DEBUG));
    write(entry(logLevel.NOTHING));
    expect(lines.map((l) => l['level'])).toEqual([50, 40, 30, 20]);
    expect(lines[0]).toMatchObject({
      msg: 'broker gone',
      kafka: 'Connection',
      broker: 'b1:9092',
      retryCount: 2,
    });
    // pino stamps its own time; kafkajs's timestamp and logger name are dropped.
    expect(lines[0]).not.toHaveProperty('timestamp');
    expect(lines[0]).not.toHaveProperty('logger');
  });

  it("given pino's level, when kafkajs logs below it, then nothing is written", () => {
    const { log, lines } = capturedLogger('warn');
    const write = kafkaLogCreator(log)(logLevel.DEBUG);
    write(entry(logLevel.INFO));
    write(entry(logLevel.WARN));
    expect(lines.map((l) => l['level'])).toEqual([40]);
  });
});
