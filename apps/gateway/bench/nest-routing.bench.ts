/**
 * pnpm bench:nest-routing  [REQUESTS=20000 ROUNDS=3]
 *
 * What a Nest controller costs per request over a route registered straight on fastify, the
 * choice behind the hot paths (the gateway's proxy routes and the command services' routes are
 * registered on fastify from their descriptors; see README "NestJS: where and why"). One Nest
 * app on the fastify adapter serves the same POST three ways, and fastify's `inject` (the whole
 * request lifecycle without sockets, so the framework layer is not drowned in network cost)
 * drives each in turn, rounds alternating:
 * - `fastify`: a route added on the fastify instance, handler reads params and body;
 * - `nest @Req/@Res`: a Nest controller taking the raw request and reply;
 * - `nest @Param/@Body`: a Nest controller with parameter decorators, returning its value.
 * Prints µs per request (wall, one core busy) and writes bench-results/nest-routing.json.
 */
import 'reflect-metadata';
import { Body, Controller, Module, Param, Post, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { machine, writeResults } from '@cqrs/testing';

const REQUESTS = Number(process.env['REQUESTS'] ?? 20_000);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const answer = (id: string, body: unknown) => ({ id, version: 1, echo: body });

@Controller('nest-raw')
class RawController {
  @Post(':id/deposits')
  deposit(@Req() request: FastifyRequest, @Res() reply: FastifyReply): FastifyReply {
    const { id } = request.params as { id: string };
    return reply.code(200).send(answer(id, request.body));
  }
}

@Controller('nest-decorated')
class DecoratedController {
  @Post(':id/deposits')
  deposit(@Param('id') id: string, @Body() body: unknown): unknown {
    return answer(id, body);
  }
}

@Module({ controllers: [RawController, DecoratedController] })
class BenchModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    BenchModule,
    new FastifyAdapter({ skipMiddie: true }),
    { logger: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  fastify.post('/fastify/:id/deposits', (request, reply) => {
    const { id } = request.params as { id: string };
    return reply.code(200).send(answer(id, request.body));
  });
  await app.init();

  const variants = {
    fastify: '/fastify',
    'nest @Req/@Res': '/nest-raw',
    'nest @Param/@Body': '/nest-decorated',
  } as const;
  const payload = JSON.stringify({ amount: 2500 });
  const run = async (prefix: string): Promise<number> => {
    const started = performance.now();
    for (let i = 0; i < REQUESTS; i++) {
      const response = await fastify.inject({
        method: 'POST',
        url: `${prefix}/0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11/deposits`,
        headers: { 'content-type': 'application/json' },
        payload,
      });
      if (response.statusCode !== 200 && response.statusCode !== 201)
        throw new Error(`${prefix} answered ${response.statusCode}: ${response.body}`);
    }
    return ((performance.now() - started) * 1000) / REQUESTS;
  };

  for (const prefix of Object.values(variants)) await run(prefix); // warm-up, JIT
  const perRequest: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, prefix] of Object.entries(variants)) {
      (perRequest[name] ??= []).push(await run(prefix));
    }
  }
  await app.close();

  const base = Math.min(...(perRequest['fastify'] ?? [Infinity]));
  const rows = Object.entries(perRequest).map(([name, us]) => {
    const best = Math.min(...us);
    return {
      variant: name,
      usPerRequest: us.map((v) => Number(v.toFixed(1))),
      bestUs: Number(best.toFixed(1)),
      overBaseUs: Number((best - base).toFixed(1)),
    };
  });
  process.stdout.write(
    `${REQUESTS} requests x ${ROUNDS} rounds per variant (inject, one process)\n`,
  );
  for (const row of rows)
    process.stdout.write(
      `${row.variant.padEnd(20)} ${row.usPerRequest.join(' / ').padEnd(22)} µs/request, best ${row.bestUs} (+${row.overBaseUs} over fastify)\n`,
    );
  const file = writeResults('nest-routing', { requests: REQUESTS, rounds: ROUNDS, rows });
  process.stdout.write(`${JSON.stringify(machine())}\nwritten to ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
