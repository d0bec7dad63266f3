export { type ConnectionOptions, type Env, tlsSettingsFor } from './connection';
export {
  type AzureCredentialsJson,
  findJsonSyntaxError,
  type JsonSyntaxError,
  lineAndColumn,
  parseCredsJson,
} from './creds-json';
export {
  createGitHubIdTokenRequester,
  GitHubIdTokenError,
  type GitHubIdTokenOptions,
  ID_TOKEN_REQUEST_TOKEN,
  ID_TOKEN_REQUEST_URL,
  isGitHubOidcAvailable,
  missingIdTokenPermissionError,
  requestGitHubIdToken,
} from './github-oidc';
export {
  createIdTokenProvider,
  DEFAULT_OIDC_AUDIENCE,
  type IdTokenProviderOptions,
  jwtExpiryInMs,
  type RequestIdToken,
} from './oidc-assertion';
export {
  AUTH_METHODS,
  type AuthMethod,
  type CredentialKind,
  parseAuthMethod,
  type ResolveCredentialOptions,
  type ResolvedCredential,
  resolveCredential,
} from './resolve-credential';
export { checkSecretInput, looksLikeUnevaluatedExpression, type SecretCheckOptions } from './secret-checks';
