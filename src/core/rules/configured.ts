/*
 * What the configuration says of a rule evaluated outside the engine (the usage rules of audit --usage, the drift
 * rule of audit --baseline), with the engine's semantics: "off", a severity override, a waiver (app and rule, or "*")
 * that counts until its expiry date. Pure.
 */
import type { Severity } from '../model/file.js';
import type { EcaConfig } from './config.js';
import type { Finding } from './types.js';

type Keyed = { readonly id: string; readonly name: string; readonly severity: Severity };

/** Whether the configuration turns the rule off. */
export const ruleIsOff = (rule: Keyed, config: Pick<EcaConfig, 'rules'>): boolean => (config.rules[rule.id] ?? config.rules[rule.name]) === 'off';

/** The severity the configuration gives the rule, and the current waiver of it for the app, as a finding carries them. */
export const configuredFor = (rule: Keyed, app: string, config: Pick<EcaConfig, 'rules' | 'waivers'>, today: string): Pick<Finding, 'severity' | 'waived'> => {
  const severity = (config.rules[rule.id] ?? config.rules[rule.name] ?? rule.severity) as Severity;
  const waiver = config.waivers.find((w) => w.app === app && (w.rule === '*' || w.rule === rule.id || w.rule === rule.name));
  const current = waiver !== undefined && !(waiver.expires !== undefined && waiver.expires < today);
  return { severity, ...(waiver && current ? { waived: { reason: waiver.reason, ...(waiver.expires ? { expires: waiver.expires } : {}) } } : {}) };
};
