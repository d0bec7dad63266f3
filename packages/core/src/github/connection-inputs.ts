// Reads the workspace and auth inputs every action declares, with the same names everywhere.
import { parseAuthMethod } from '../auth/auth-methods';
import type { ConnectionInputs } from '../session/workspace-session';
import type { InputReader } from './inputs';

/** Inputs never echoed in messages. */
export const CONNECTION_SECRET_INPUTS: ReadonlySet<string> = new Set(['client-secret', 'creds']);

export function readConnectionInputs(reader: InputReader): ConnectionInputs {
  return {
    subscriptionId: reader.optional('subscription-id'),
    resourceGroup: reader.optional('resource-group'),
    workspace: reader.optional('workspace'),
    configFile: reader.optional('config-file'),
    clientId: reader.optional('client-id'),
    tenantId: reader.optional('tenant-id'),
    clientSecret: reader.optional('client-secret'),
    credsJson: reader.optional('creds'),
    authMethod: parseAuthMethod(reader.optional('auth-method')),
    audience: reader.optional('audience'),
    cloud: reader.optional('cloud'),
    armEndpoint: reader.optional('arm-endpoint'),
    authorityHost: reader.optional('authority-host'),
  };
}
