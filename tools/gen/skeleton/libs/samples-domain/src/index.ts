export * from './sample.commands';
export * from './sample.errors';
export * from './sample.state';
export * from './sample.decision';
export * from './sample.decider';
export * from './sample-bodies.schema';
export * from './context/sample-responses.schema';
export * from './context/samples.context';
