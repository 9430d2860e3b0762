import { Module, type DynamicModule } from '@nestjs/common';
import { ConsistencyInterceptor } from '../query/consistency.interceptor';
import { QUERY_DEPS, type QueryDeps } from '../query/query-deps';
import { WaitForPositionHttpController } from '../query/wait-for-position.http.controller';
import type { QuerySide } from './projector-service.definition';

/**
 * The context's query controllers and the wait-for-position endpoint, with what they inject;
 * registered only when the process serves queries (ROLE=query|all).
 */
@Module({})
export class ProjectorServiceModule {
  static register(query: QueryDeps | undefined, side: QuerySide | undefined): DynamicModule {
    if (query === undefined) return { module: ProjectorServiceModule };
    return {
      module: ProjectorServiceModule,
      controllers: [...(side?.controllers ?? []), WaitForPositionHttpController],
      providers: [
        { provide: QUERY_DEPS, useValue: query },
        ConsistencyInterceptor,
        ...(side?.providers ?? []),
      ],
    };
  }
}
