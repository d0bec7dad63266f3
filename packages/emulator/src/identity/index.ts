// The emulator's identity services, wired from persisted material and live settings.
import type { Route } from '../http/types';
import { type ArmAuthResult, type ArmTokenTrust, verifyArmToken } from './arm-auth';
import { accessTokenIssuer, createEntraRoutes } from './entra-authority';
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

  /** The ARM gate the server applies to every ARM path. */
  verifyArmToken(header: string | undefined, now: Date): ArmAuthResult {
    return verifyArmToken(header, now, this.trust);
  }
}
