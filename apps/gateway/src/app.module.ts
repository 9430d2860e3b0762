import { type DynamicModule, Module } from '@nestjs/common';
import { CommandRoutesHttpController } from './commands/command-routes.http.controller';
import { QueryRoutesHttpController } from './queries/query-routes.http.controller';
import { ProxyEndpoint } from './routes/proxy-endpoint';

/** The public routes; the proxy (and what it needs) is built by createGatewayApp. */
@Module({})
export class AppModule {
  static register(proxy: ProxyEndpoint): DynamicModule {
    return {
      module: AppModule,
      controllers: [CommandRoutesHttpController, QueryRoutesHttpController],
      providers: [{ provide: ProxyEndpoint, useValue: proxy }],
    };
  }
}
