export * from './account.commands';
export * from './account.errors';
export * from './account.state';
export * from './account.decider';
export * from './account-bodies.schema';
export * from './context/account-responses.schema';
export * from './context/accounts.context';
