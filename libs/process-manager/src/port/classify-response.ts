import type { SendResult } from './command-port';

/**
 * What an upstream's answer means for the process. Only an answer the upstream stands behind
 * is an outcome: a 2xx (accepted), or a 4xx problem+json carrying a stable `code` (rejected:
 * a business or contract decision that a retry would repeat). Everything else is retried:
 * 5xx and 429 say "not now"; 408 is a timeout; a 4xx that is not problem+json did not come
 * from a command service's error mapper (a proxy, a wrong route) and must not decide a
 * process's fate; it stays visible as a retrying, eventually stuck, process instead.
 */
export function classifyResponse(status: number, contentType: string, text: string): SendResult {
  if (status >= 200 && status < 300) return { kind: 'accepted', body: parseJson(text) };
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    const code = problemCode(contentType, text);
    if (code !== undefined) return { kind: 'rejected', status, code };
    return { kind: 'retry', reason: `HTTP ${status} without a problem+json code` };
  }
  return { kind: 'retry', reason: `HTTP ${status}` };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The command was accepted whatever its body says; an unreadable body is no reason to resend.
    return undefined;
  }
}

function problemCode(contentType: string, text: string): string | undefined {
  if (!contentType.toLowerCase().startsWith('application/problem+json')) return undefined;
  const body = parseJson(text);
  if (typeof body !== 'object' || body === null || !('code' in body)) return undefined;
  const { code } = body;
  return typeof code === 'string' && code.length > 0 ? code : undefined;
}
