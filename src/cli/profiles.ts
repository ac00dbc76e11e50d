/*
 * The client profile of each app for list and show (check gets it from its configuration): declared in the
 * project's configuration ("clients"), else inferred. The configuration is read only when sfdx-project.json has
 * one; an invalid one is left to check to report (list and show infer then).
 */
import type { ProjectContext } from '../adapters/project.js';
import type { EcaApp } from '../core/project/inventory.js';
import type { EcaConfig } from '../core/rules/config.js';
import { clientProfile, type ClientProfile } from '../core/rules/profile.js';

export const profilesOf = async (project: Pick<ProjectContext, 'cwd' | 'root' | 'pluginConfig'>): Promise<(app: EcaApp) => ClientProfile> => {
  let config: Pick<EcaConfig, 'clients'> | undefined;
  if (project.pluginConfig !== undefined) {
    const { loadConfig } = await import('../adapters/config.js');
    try {
      config = loadConfig(project, undefined).config;
    } catch {
      config = undefined;
    }
  }
  return (app) => clientProfile(app, config);
};
