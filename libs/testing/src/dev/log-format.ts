import { prettyFactory } from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';

/**
 * LOG_FORMAT=pretty|json wins; otherwise pretty for a person at a terminal and JSON lines for
 * anything that reads the output (a pipe, a file, a log shipper, `pnpm dev:check`).
 */
export function logFormatFrom(env: NodeJS.ProcessEnv, stdoutIsTty: boolean): LogFormat {
  const chosen = env['LOG_FORMAT'];
  if (chosen === undefined || chosen === '') return stdoutIsTty ? 'pretty' : 'json';
  if (chosen !== 'pretty' && chosen !== 'json')
    throw new Error(`DEV_LOG_FORMAT: LOG_FORMAT must be pretty or json, got "${chosen}"`);
  return chosen;
}

const PALETTE = [36, 35, 33, 32, 34, 96, 95, 93, 92, 94];
const paint = (code: number, text: string): string => `\u001b[${code}m${text}\u001b[0m`;

/** pino's numeric levels, for the lines a service prints without its logger. */
const INFO = 30;
const WARN = 40;

/**
 * Turns the output lines of one service (pino JSON, or plain text such as Node's own messages)
 * into lines of the chosen format, each naming the service: in JSON a `service` field (the
 * service list's name, which tells two roles of one app apart), in pretty a coloured prefix.
 */
export function lineFormatter(
  format: LogFormat,
  service: string,
  colourIndex: number,
  width: number,
): (line: string, fromStderr: boolean) => string {
  if (format === 'json') {
    return (line, fromStderr) => {
      const entry = parseEntry(line);
      return JSON.stringify(
        entry
          ? { ...entry, service }
          : {
              level: fromStderr ? WARN : INFO,
              time: new Date().toISOString(),
              service,
              msg: line,
            },
      );
    };
  }
  const pretty = prettyFactory({
    colorize: true,
    singleLine: true,
    translateTime: 'HH:MM:ss.l',
    ignore: 'pid,hostname,service,name',
  });
  const prefix = paint(PALETTE[colourIndex % PALETTE.length] ?? 36, service.padEnd(width));
  return (line) => {
    const entry = parseEntry(line);
    const text = entry ? pretty(entry).trimEnd() : line;
    return `${prefix} | ${text}`;
  };
}

function parseEntry(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The runner's own lines, in the same format as the services' (`service: "dev"`). */
export function runnerLog(
  format: LogFormat,
): (msg: string, fields?: Record<string, unknown>) => void {
  if (format === 'json')
    return (msg, fields) =>
      void process.stdout.write(
        `${JSON.stringify({ level: INFO, time: new Date().toISOString(), service: 'dev', ...fields, msg })}\n`,
      );
  return (msg) => void process.stdout.write(`${paint(1, '[dev]')} ${msg}\n`);
}
