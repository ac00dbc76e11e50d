/*
 * What kind of client an app is, so that rules which are right for one kind are not applied to another
 * (a confidential web app's "require the secret" is wrong for a native app that cannot keep one).
 *
 * The kind is declared in the configuration ("clients": { "<App>": "public" }) or inferred from the files:
 *  - jwt-bearer / client-credentials: no interactive flow (no callback but Salesforce's placeholder, no
 *    device or code-and-credentials flow), with a certificate (JWT bearer) or the client credentials flow;
 *  - public: a client that cannot keep a secret — the secret optional with PKCE required (the public-client
 *    pattern), callbacks that all go to a custom scheme or the loopback address (native and CLI apps), or
 *    the mobile plugin or settings;
 *  - confidential: anything else with a user-facing flow (a web server that keeps its secret).
 * An app is packaged when its header's distributionState is Packaged (AppExchange rules then apply).
 */
import type { EcaApp } from '../project/inventory.js';
import { fileOf } from '../project/inventory.js';
import type { EcaConfig } from './config.js';
import { isLoopbackUrl, isServerToServer, splitLines } from './util.js';

export const CLIENT_KINDS = ['public', 'confidential', 'jwt-bearer', 'client-credentials'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export type ClientProfile = {
  readonly kind: ClientKind;
  /** distributionState Packaged: the AppExchange requirements apply. */
  readonly packaged: boolean;
  /** True when the configuration's "clients" names the kind; false when it is inferred. */
  readonly declared: boolean;
  /** Why the app is of this kind, in a few words. */
  readonly reason: string;
};

/** Callback URLs of native and command-line apps: a custom scheme, or http(s) to the loopback address. */
const isNativeCallback = (url: string): boolean => isLoopbackUrl(url) || (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^https?:/i.test(url));

const inferKind = (app: EcaApp): { kind: ClientKind; reason: string } => {
  const g = fileOf(app, 'globalOauth');
  if (!g) return { kind: 'confidential', reason: 'assumed: its global OAuth settings are not in the project' };
  if (isServerToServer(app)) {
    return g.value('certificate') !== undefined
      ? { kind: 'jwt-bearer', reason: 'a certificate and no interactive flow' }
      : { kind: 'client-credentials', reason: 'the client credentials flow and no interactive flow' };
  }
  if (g.flag('isConsumerSecretOptional') === true && (g.flag('isPkceRequired') ?? true)) {
    return { kind: 'public', reason: 'the secret is optional and PKCE required' };
  }
  const callbacks = splitLines(g.value('callbackUrl'));
  if (callbacks.length > 0 && callbacks.every(isNativeCallback)) return { kind: 'public', reason: 'its callbacks are a custom scheme or the loopback address' };
  const plugins = fileOf(app, 'policies');
  if (plugins?.flag('isMobilePluginEnabled') === true || app.files.mobile.length > 0) return { kind: 'public', reason: 'a mobile app' };
  return { kind: 'confidential', reason: 'an interactive flow with https callbacks' };
};

/** The client profile of an app: declared in the configuration, else inferred from its files. */
export const clientProfile = (app: EcaApp, config?: Pick<EcaConfig, 'clients'>): ClientProfile => {
  const packaged = fileOf(app, 'header')?.value('distributionState') === 'Packaged';
  const declared = config?.clients[app.name];
  if (declared) return { kind: declared, packaged, declared: true, reason: 'declared in the configuration ("clients")' };
  return { ...inferKind(app), packaged, declared: false };
};

/** The profile in a few words, for list and show: "public", "JWT bearer, packaged". */
export const profileLabel = (p: Pick<ClientProfile, 'kind' | 'packaged'>): string =>
  `${p.kind === 'jwt-bearer' ? 'JWT bearer' : p.kind.replace('-', ' ')}${p.packaged ? ', packaged' : ''}`;
