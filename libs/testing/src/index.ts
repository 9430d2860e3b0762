export { KAFKA_CLUSTER_ID, KAFKA_IMAGE, KAFKA_VERSION, POSTGRES_IMAGE } from './versions';
export type { InfraSource, KafkaEndpoint, Logger, PostgresEndpoint } from './infra/infra.types';
export { infraSettingsFromEnv, type InfraMode, type InfraSettings } from './infra/infra-settings';
export { resolveInfra, type ResolvedInfra } from './infra/resolve-infra';
export {
  ensureLocalKafka,
  localKafkaLibs,
  localKafkaPid,
  stopLocalKafka,
  type LocalKafkaOptions,
} from './infra/local-kafka';
export { kafkaAnswers, portOpen, postgresAnswers, waitUntil } from './infra/probe';
export { createTestDatabase, withDatabase, type TestDatabase } from './fixtures/test-database';
export { deleteTopicsByPrefix, testRunId, uniqueId, uniqueTopic } from './fixtures/test-topics';
export { testInfra, type TestInfra } from './fixtures/test-env';
export {
  freePort,
  runServiceToExit,
  startService,
  type ServiceProcess,
} from './fixtures/service-process';
export { ensureReadOnlyRole, ensureServiceDatabase } from './infra/service-databases';
export { startRestartableKafka, type RestartableKafka } from './fixtures/restartable-kafka';
export { machine, percentile, writeResults } from './bench/bench-report';
export {
  cpuByGroup,
  isNeighbour,
  machineJiffies,
  processCpuMs,
  processMemoryMb,
  usageByGroup,
  usagePerUnit,
  usageRows,
  type GroupUsage,
} from './bench/proc-cpu';
export { tableReadRows, tableReads, type TableReads } from './bench/table-reads';
export { machineFactRows, probeMachineFacts, type MachineFacts } from './bench/machine-facts';
export { readTopic, versionsByStream, type ReadMessage } from './fixtures/topic-reader';
export { mintDevToken } from './fixtures/dev-token';
export {
  gatewayCaller,
  gatewayRequest,
  untilDefinitive,
  type GatewayReply,
  type GatewayRequest,
} from './fixtures/gateway-client';
export {
  STACK_INTERNAL_TOKEN,
  STACK_JWT_SECRET,
  STACK_SYSTEM_TOKEN,
  TestStack,
  type StackOptions,
} from './fixtures/stack-processes';
export { startPrivatePostgres, type PrivatePostgres } from './fixtures/private-postgres';
export { groupMembers } from './fixtures/group-members';
export {
  isUpstream,
  serviceList,
  servicesOfRole,
  SERVICE_LIST_FILE,
  type ServiceDefinition,
  type ServiceRole,
  type UpstreamTarget,
} from './services/service-list';
export { serviceEnvironment, type ServiceEnvContext } from './services/service-env';
export { checkServiceEnvironments } from './services/required-env';
export {
  composeEnvironment,
  composeServices,
  composeText,
  type ComposeService,
} from './services/compose-file';
export { runDemo, type DemoAnswer, type DemoClient } from './demo/demo-runner';
