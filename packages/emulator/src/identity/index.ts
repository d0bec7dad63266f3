// The emulator's identity services, wired from persisted material and live settings.
import { randomBytes } from 'node:crypto';
import type { Route } from '../http/types';
import { type ArmAuthResult, type ArmTokenTrust, verifyArmToken } from './arm-auth';
import { accessTokenIssuer, createEntraRoutes } from './entra-authority';
import { signJwt } from './jwt';
import type { IdentityMaterial } from './material';
import { createOidcIssuerRoutes, OIDC_PATH } from './oidc-issuer';
import type { IdentitySettings } from './settings';

export { type ArmAuthResult, type ArmTokenTrust, verifyArmToken } from './arm-auth';
export { type IdentityMaterial, loadOrCreateIdentity } from './material';
export { TOKEN_EXCHANGE_AUDIENCE } from './oidc-issuer';
export { applySettingsPatch, DEFAULT_IDENTITY_SETTINGS, type IdentitySettings } from './settings';

export interface EmulatorIdentityOptions {
  material: IdentityMaterial;
  /** https://127.0.0.1:<port>, no trailing slash: ARM endpoint and authority host alike. */
  baseUrl: string;
  settings: IdentitySettings;
  now: () => Date;
}

export class EmulatorIdentity {
  readonly oidcIssuer: string;
  readonly oidcRequestUrl: string;
  private readonly trust: ArmTokenTrust;

  constructor(private readonly options: EmulatorIdentityOptions) {
    this.oidcIssuer = `${options.baseUrl}${OIDC_PATH}`;
    this.oidcRequestUrl = `${this.oidcIssuer}/token?api-version=2.0`;
    const { material } = options;
    this.trust = {
      publicKey: material.entraKey.publicKey,
      tenantId: material.tenantId,
      issuer: accessTokenIssuer(material.tenantId),
      baseUrl: options.baseUrl,
      authorizationUri: `${options.baseUrl}/${material.tenantId}`,
    };
  }

  routes(): Route[] {
    const { material, settings, now, baseUrl } = this.options;
    return [
      ...createOidcIssuerRoutes({
        issuer: this.oidcIssuer,
        key: material.oidcKey,
        requestToken: material.oidcRequestToken,
        settings,
        now,
      }),
      ...createEntraRoutes({
        baseUrl,
        tenantId: material.tenantId,
        clientId: material.clientId,
        clientSecret: material.clientSecret,
        principalObjectId: material.principalObjectId,
        entraKey: material.entraKey,
        federatedIssuer: this.oidcIssuer,
        federatedIssuerKey: material.oidcKey,
        settings,
        now,
      }),
    ];
  }

  /**
   * An access token for the workspace's own principal that the ARM check accepts: what a job's
   * processes use for MLflow, like the run token Azure ML injects. Its lifetime is the caller's
   * choice (a job's token must outlive the job, whatever client tokens live).
   */
  issueAccessToken(options: { lifetimeInMs: number }): string {
    const { material, now } = this.options;
    const nowMs = now().getTime();
    const iat = Math.floor(nowMs / 1000);
    return signJwt(
      {
        aud: `${this.options.baseUrl}/`,
        iss: this.trust.issuer,
        iat,
        nbf: iat,
        exp: Math.floor((nowMs + options.lifetimeInMs) / 1000),
        appid: material.clientId,
        appidacr: '2',
        idtyp: 'app',
        oid: material.principalObjectId,
        sub: material.principalObjectId,
        tid: material.tenantId,
        uti: randomBytes(16).toString('base64url'),
        ver: '1.0',
      },
      material.entraKey,
    );
  }

  /** The ARM gate the server applies to every ARM path. */
  verifyArmToken(header: string | undefined, now: Date): ArmAuthResult {
    return verifyArmToken(header, now, this.trust);
  }
}
