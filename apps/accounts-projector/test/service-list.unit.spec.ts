import { checkServiceEnvironments } from '@cqrs/testing';
import { loadConfig } from '../src/config/accounts-projector.config';

it('given its services in stack.services.json, when loading their compose environment, then it runs and requires exactly what the list says', () => {
  for (const { service, required, listed } of checkServiceEnvironments(
    'accounts-projector',
    loadConfig,
  ))
    expect({ service, required }).toEqual({ service, required: listed });
});
