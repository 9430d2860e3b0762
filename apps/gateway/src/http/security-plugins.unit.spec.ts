import http from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from 'helmet';
import { SECURITY_HEADER_OPTIONS, securityHeaders } from './security-plugins';

/** What helmet sets on a real response, to prove the precomputed copy is the same set. */
async function headersFromRealHelmet(): Promise<Record<string, string>> {
  const middleware = helmet(SECURITY_HEADER_OPTIONS);
  const server = http.createServer((req, res) =>
    middleware(req, res, () => {
      res.end();
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`);
    const ignored = new Set(['date', 'connection', 'keep-alive', 'content-length']);
    return Object.fromEntries([...response.headers].filter(([name]) => !ignored.has(name)));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

it('precomputes exactly the headers helmet sets on a live response', async () => {
  const precomputed = securityHeaders(SECURITY_HEADER_OPTIONS);
  expect(precomputed).toEqual(await headersFromRealHelmet());
  expect(precomputed['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(precomputed['x-content-type-options']).toBe('nosniff');
  expect(precomputed['strict-transport-security']).toMatch(/^max-age=\d+/);
});
