import { existsSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI } from 'openapi-types';
import { chromium } from 'playwright-core';
import { freePort, startService, type ServiceProcess } from '@cqrs/testing';
import { INTERNAL_TOKEN, TEST_JWT_SECRET } from './support/gateway-client';
import { everyUpstream } from '../support/upstream-env';

/** The served document and the interactive docs, from the built gateway (no upstream needed). */
const CHROMIUM = '/usr/bin/chromium';
let gateway: ServiceProcess;

jest.setTimeout(60_000);

beforeAll(async () => {
  const nowhere = `http://127.0.0.1:${await freePort()}`;
  gateway = await startService(
    'gateway',
    {
      ...everyUpstream(nowhere),
      INTERNAL_TOKEN,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
    },
    { readyPath: '/health/live' },
  );
});

afterAll(async () => {
  await gateway?.stop();
});

it('serves a valid OpenAPI 3.1 document without authentication', async () => {
  const response = await fetch(`${gateway.url}/openapi.json`);
  expect(response.status).toBe(200);
  const document = (await response.json()) as OpenAPI.Document;
  await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();
  expect(Object.keys(document.paths ?? {})).toEqual(
    expect.arrayContaining([
      '/accounts',
      '/accounts/{accountId}/deposits',
      '/accounts/{accountId}/transactions',
    ]),
  );
});

const itWithChromium = existsSync(CHROMIUM) ? it : it.skip;
if (!existsSync(CHROMIUM)) {
  console.warn(`[gateway-docs] ${CHROMIUM} is missing: skipping the Swagger UI rendering test.`);
}

itWithChromium('renders Swagger UI at /docs with every operation, under the CSP', async () => {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        violations.push(message.text());
    });
    const response = await page.goto(`${gateway.url}/docs`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 });
    const operations = await page.$$eval('.opblock-summary', (blocks) =>
      blocks.map((b) =>
        [
          b.querySelector('.opblock-summary-method')?.textContent,
          b.querySelector('.opblock-summary-path')?.textContent,
        ]
          .join(' ')
          .replace(/\u200b/g, ''),
      ),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /accounts',
        'POST /accounts/{accountId}/deposits',
        'POST /accounts/{accountId}/withdrawals',
        'POST /accounts/{accountId}/close',
        'GET /accounts',
        'GET /accounts/{accountId}',
        'GET /accounts/{accountId}/transactions',
      ]),
    );
    expect(await page.locator('.btn.authorize').count()).toBe(1);
    expect(violations).toEqual([]);
  } finally {
    await browser.close();
  }
});
