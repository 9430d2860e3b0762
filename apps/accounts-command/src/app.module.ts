import { Module } from '@nestjs/common';

/** Use-case slices register their controllers and handlers here as they land. */
@Module({})
export class AppModule {}
