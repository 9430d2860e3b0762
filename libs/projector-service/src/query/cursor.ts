/**
 * Opaque pagination cursors: base64url of a small JSON object. Opaque so the ordering key can
 * change without breaking clients; validated on the way in (a bad cursor is a 400, never a 500).
 */
export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string): Record<string, unknown> | undefined {
  if (cursor.length === 0 || cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor))
    return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A keyset position after (an instant, a UUID): rows ordered by creation time, then id. */
export interface InstantIdCursor {
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?Z$/;

/** Versions are Postgres `integer` columns: anything past this is an SQL error, not a page. */
export const MAX_VERSION = 2 ** 31 - 1;

/**
 * An instant Postgres accepts as `timestamptz`, checked field by field: the shape alone lets
 * through "2025-02-30T25:61:00Z", which reaches SQL and fails there (a 500 for bad input).
 */
export function isValidInstant(text: string): boolean {
  const match = ISO.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (
    year >= 1 &&
    days !== undefined &&
    day >= 1 &&
    day <= days &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

export const encodeInstantIdCursor = (c: InstantIdCursor): string =>
  encodeCursor({ o: c.at, a: c.id });

export function decodeInstantIdCursor(cursor: string): InstantIdCursor | undefined {
  const raw = decodeCursor(cursor);
  const { o, a } = raw ?? {};
  if (typeof o !== 'string' || !isValidInstant(o) || typeof a !== 'string' || !UUID.test(a))
    return undefined;
  return { at: o, id: a };
}

/** A keyset position after a stream version (a stream's history, in order). */
export const encodeVersionCursor = (version: number): string => encodeCursor({ v: version });

export function decodeVersionCursor(cursor: string): number | undefined {
  const v = decodeCursor(cursor)?.['v'];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_VERSION ? v : undefined;
}
