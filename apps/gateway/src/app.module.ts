import { Module } from '@nestjs/common';

/**
 * The gateway's Nest application: lifecycle (init, shutdown hooks) and the exception filter.
 * It declares no controllers: the public routes come from the route table
 * (routes/proxy-routes.ts) and the ops and docs routes are plain fastify routes.
 */
@Module({})
export class AppModule {}
