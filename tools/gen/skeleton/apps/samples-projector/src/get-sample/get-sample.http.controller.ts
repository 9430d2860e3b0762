import { Controller, Get, Headers, Inject, Param, UseInterceptors } from '@nestjs/common';
import { actorOf } from '@cqrs/platform';
import { ConsistencyInterceptor, QUERY_DEPS, type QueryDeps } from '@cqrs/projector-service';
import { sampleIdOrFail, sampleNotFound } from '../shared/sample-params';
import type { SampleView } from '../shared/sample.view';
import { getSample } from './get-sample.query';

@Controller('samples')
@UseInterceptors(ConsistencyInterceptor)
export class GetSampleHttpController {
  constructor(@Inject(QUERY_DEPS) private readonly deps: QueryDeps) {}

  @Get(':sampleId')
  async get(
    @Param('sampleId') sampleId: string,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<SampleView> {
    const id = sampleIdOrFail(sampleId);
    const found = await getSample(this.deps.pool, this.deps.schema, id, actorOf(headers));
    if (found === undefined) throw sampleNotFound();
    return found;
  }
}
