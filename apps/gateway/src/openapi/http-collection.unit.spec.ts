import type { OpenAPIV3_1 } from 'openapi-types';
import { exampleOf, httpCollection } from './http-collection';

const document: OpenAPIV3_1.Document = {
  openapi: '3.1.0',
  info: { title: 'Test API', version: '2.0.0' },
  security: [{ bearerAuth: [] }],
  paths: {
    '/orders/{orderId}/lines': {
      post: {
        summary: 'Add a line',
        parameters: [
          {
            name: 'orderId',
            in: 'path',
            required: true,
            schema: { type: 'string', example: 'o-1' },
          },
          { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } },
        ],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['sku', 'quantity'],
                properties: {
                  sku: { type: 'string', example: 'SKU-9' },
                  quantity: { type: 'integer', minimum: 1 },
                  note: { type: 'string' },
                },
              },
            },
          },
        },
        responses: {},
      },
    },
    '/health/live': { get: { summary: 'Live', security: [], responses: {} } },
  },
};

describe('httpCollection', () => {
  const text = httpCollection(document);

  it('turns path parameters into file variables with their examples', () => {
    expect(text).toContain('@orderId = o-1');
    expect(text).toContain('POST {{baseUrl}}/orders/{{orderId}}/lines');
  });

  it('sends required headers (a fresh idempotency key each time) and names the optional ones', () => {
    expect(text).toContain('Idempotency-Key: {{$guid}}');
    expect(text).toContain('# optional: If-Match');
    expect(text).not.toContain('If-Match:');
  });

  it('authenticates secured operations only', () => {
    const live = text.slice(text.indexOf('### Live'));
    expect(live).not.toContain('Authorization');
    expect(text.slice(text.indexOf('### Add a line'), text.indexOf('### Live'))).toContain(
      'Authorization: Bearer {{token}}',
    );
  });

  it('writes a body with the required fields only', () => {
    expect(text).toContain('{\n  "sku": "SKU-9",\n  "quantity": 1\n}');
  });
});

describe('exampleOf', () => {
  it('prefers an example, then an enum value, then a default, then a typed placeholder', () => {
    expect(exampleOf({ type: 'string', example: 'x', enum: ['y'] })).toBe('x');
    expect(exampleOf({ type: 'string', enum: ['y'], default: 'z' })).toBe('y');
    expect(exampleOf({ type: 'integer', default: 7 })).toBe(7);
    expect(exampleOf({ type: 'boolean' })).toBe(false);
  });
});
