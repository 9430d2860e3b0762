export * from './transfer.commands';
export * from './transfer.errors';
export * from './transfer.state';
export * from './transfer.decision';
export * from './transfer.decider';
export * from './transfer-bodies.schema';
export * from './context/transfer-responses.schema';
export * from './context/transfers.context';
