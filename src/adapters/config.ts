/* Loads the check/fix configuration: sfdx-project.json `plugins.eca`, then the --config file. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SfError } from '@salesforce/core';
import { ConfigError, type EcaConfig, parseConfig } from '../core/rules/config.js';
import { RULE_KEYS } from '../core/rules/engine.js';
import { displayPath, type ProjectContext } from './project.js';

/** Exit code of configuration and usage errors. */
export const CONFIG_EXIT_CODE = 2;

const lineCol = (text: string, offset: number): string => {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
};

export type LoadedConfig = { readonly config: EcaConfig; readonly source: string | undefined };

export const loadConfig = (ctx: Pick<ProjectContext, 'cwd' | 'root' | 'pluginConfig'>, configFile: string | undefined): LoadedConfig => {
  const layers: Array<{ source: string; value: unknown }> = [];
  if (ctx.pluginConfig !== undefined) layers.push({ source: 'sfdx-project.json plugins.eca', value: ctx.pluginConfig });
  let source: string | undefined = ctx.pluginConfig !== undefined && ctx.root ? displayPath(ctx, resolve(ctx.root, 'sfdx-project.json')) : undefined;
  if (configFile) {
    const abs = resolve(ctx.cwd, configFile);
    if (!existsSync(abs)) {
      throw new SfError(`The configuration file ${configFile} does not exist.`, 'ConfigNotFoundError', ['Check the --config path.'], CONFIG_EXIT_CODE);
    }
    const text = readFileSync(abs, 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
      const where = m ? `:${lineCol(text, Number(m[1]))}` : '';
      throw new SfError(`${displayPath(ctx, abs)}${where}: the configuration is not valid JSON (${e instanceof Error ? e.message : String(e)})`, 'InvalidConfigError', ['Fix the JSON syntax.'], CONFIG_EXIT_CODE);
    }
    source = displayPath(ctx, abs);
    layers.push({ source, value });
  }
  try {
    return { config: parseConfig(layers, RULE_KEYS), source };
  } catch (e) {
    if (e instanceof ConfigError) {
      throw new SfError(
        `Invalid configuration in ${e.source}:\n${e.issues.map((i) => `  ${i.key}: ${i.message}`).join('\n')}`,
        'InvalidConfigError',
        ['Fix the keys named above; the JSON schema schemas/eca-config.schema.json of the plugin describes every key.'],
        CONFIG_EXIT_CODE
      );
    }
    throw e;
  }
};
