import { Controller, Get, Headers, Inject, Query, UseInterceptors } from '@nestjs/common';
import { actorOf } from '@cqrs/platform';
import {
  ConsistencyInterceptor,
  PageParamsSchema,
  parseOrFail,
  QUERY_DEPS,
  unknownCursor,
  type QueryDeps,
} from '@cqrs/projector-service';
import { decodeSamplesCursor, listSamples, type SamplesPage } from './list-samples.query';

@Controller('samples')
@UseInterceptors(ConsistencyInterceptor)
export class ListSamplesHttpController {
  constructor(@Inject(QUERY_DEPS) private readonly deps: QueryDeps) {}

  @Get()
  async list(
    @Query() query: Record<string, unknown>,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<SamplesPage> {
    const { limit, cursor } = parseOrFail(PageParamsSchema, query, 'query');
    const after = cursor === undefined ? undefined : decodeSamplesCursor(cursor);
    if (cursor !== undefined && after === undefined) throw unknownCursor();
    return listSamples(this.deps.pool, this.deps.schema, actorOf(headers), limit, after);
  }
}
