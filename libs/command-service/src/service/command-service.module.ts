import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CommandRuntime } from './command-runtime';

/**
 * Starts the runtime (relay, purger) when the application boots and stops it on close. Nest
 * calls the shutdown hook after the HTTP server has drained, so no request loses the pool.
 */
@Injectable()
export class CommandRuntimeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(CommandRuntime) private readonly runtime: CommandRuntime<unknown>) {}

  onApplicationBootstrap(): void {
    this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}

/**
 * The command routes are not controllers: they are data (the descriptor's commands), so they
 * are registered on fastify from that list (command-routes.ts). The module owns the lifecycle.
 */
@Module({})
export class CommandServiceModule {
  static register(runtime: CommandRuntime<unknown>): DynamicModule {
    return {
      module: CommandServiceModule,
      providers: [{ provide: CommandRuntime, useValue: runtime }, CommandRuntimeLifecycle],
    };
  }
}
