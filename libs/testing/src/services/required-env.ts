import { composeEnvironment } from './compose-file';
import { serviceList } from './service-list';

/**
 * Holds one app's configuration to the service list and compose: for each listed service of
 * the app, its compose environment loads, and the variables it cannot start without are
 * exactly the list's `requiredEnv` (found by leaving each one out).
 */
export function checkServiceEnvironments(
  app: string,
  loadConfig: (env: NodeJS.ProcessEnv) => unknown,
): Array<{ service: string; required: string[]; listed: string[] }> {
  const services = serviceList().filter((s) => s.app === app);
  if (services.length === 0) throw new Error(`stack.services.json lists no service of ${app}`);
  return services.map((service) => {
    const env = composeEnvironment(service.name);
    loadConfig(env); // throws, naming the variables, when compose does not describe a runnable service
    const fails = (name: string): boolean => {
      const { [name]: _left, ...rest } = env;
      try {
        loadConfig(rest);
        return false;
      } catch {
        return true;
      }
    };
    return {
      service: service.name,
      required: Object.keys(env).filter(fails).sort(),
      listed: [...service.requiredEnv].sort(),
    };
  });
}
