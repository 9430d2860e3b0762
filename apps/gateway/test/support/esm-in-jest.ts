import vm from 'node:vm';

/**
 * jose 6 is ESM-only. Node >= 20.19 `require()`s it (that is how the built gateway loads it),
 * but Jest's CommonJS runtime cannot before Node 24.9 and patches `module.createRequire`. Tests
 * therefore hand Jest the module exactly as Node itself loads it, through the real process's
 * loader: `jest.mock('jose', () => nodeRequire('jose'))`. It is the real library, not a double.
 */
export function nodeRequire<T = unknown>(id: string): T {
  const realProcess = vm.runInThisContext('process') as NodeJS.Process;
  return realProcess.getBuiltinModule('node:module').createRequire(__filename)(id) as T;
}
