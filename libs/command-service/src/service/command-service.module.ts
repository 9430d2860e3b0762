import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CommandRuntime } from './command-runtime';

/** All the module needs of a runtime, whatever its command type. */
type RuntimeLifecycle = Pick<CommandRuntime<unknown>, 'start' | 'stop'>;

/**
 * Starts the runtime (relay, purger) when the application boots and stops it on close. Nest
 * calls the shutdown hook after the HTTP server has drained, so no request loses the pool.
 */
@Injectable()
export class CommandRuntimeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(CommandRuntime) private readonly runtime: RuntimeLifecycle) {}

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
  static register(runtime: RuntimeLifecycle): DynamicModule {
    return {
      module: CommandServiceModule,
      providers: [{ provide: CommandRuntime, useValue: runtime }, CommandRuntimeLifecycle],
    };
  }
}
