import { lineFormatter, logFormatFrom } from '../src/dev/log-format';

const ESC = String.fromCharCode(27);
const stripColour = (text: string): string =>
  text
    .split(ESC)
    .join('')
    .replace(/\[[0-9;]*m/g, '');
const pinoLine = JSON.stringify({
  level: 40,
  time: '2026-01-02T03:04:05.678Z',
  service: 'app-name',
  pid: 7,
  hostname: 'h',
  msg: 'disk almost full',
  free: 3,
});

describe('dev log format', () => {
  it('is pretty at a terminal and JSON in a pipe unless LOG_FORMAT says', () => {
    expect(logFormatFrom({}, true)).toBe('pretty');
    expect(logFormatFrom({}, false)).toBe('json');
    expect(logFormatFrom({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormatFrom({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(() => logFormatFrom({ LOG_FORMAT: 'xml' }, true)).toThrow(/DEV_LOG_FORMAT/);
  });

  it('prints a pino entry as one coloured line behind the service name', () => {
    const line = lineFormatter('pretty', 'role-b', 0, 8)(pinoLine, false);
    expect(line).toContain('\u001b[');
    expect(line).not.toContain('\n');
    const plain = stripColour(line);
    expect(plain.startsWith('role-b   | ')).toBe(true);
    expect(plain).toContain('WARN');
    expect(plain).toContain('disk almost full');
    expect(plain).toContain('"free":3');
    expect(plain).not.toContain('hostname');
  });

  it('keeps JSON entries JSON, naming the service of the list', () => {
    const entry = JSON.parse(lineFormatter('json', 'role-b', 0, 8)(pinoLine, false)) as Record<
      string,
      unknown
    >;
    expect(entry).toMatchObject({ level: 40, msg: 'disk almost full', free: 3, service: 'role-b' });
  });

  it('wraps plain text in a JSON entry, stderr as a warning', () => {
    const format = lineFormatter('json', 'role-b', 0, 8);
    expect(JSON.parse(format('Debugger listening on ws://x', true))).toMatchObject({
      level: 40,
      service: 'role-b',
      msg: 'Debugger listening on ws://x',
    });
    expect(JSON.parse(format('{not json', false))).toMatchObject({ level: 30, msg: '{not json' });
  });
});
