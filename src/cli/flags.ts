import { Flags } from '@salesforce/sf-plugins-core';
import type { Org } from '@salesforce/core';
import { Messages } from '@salesforce/core/messages';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@eca-tools/plugin-eca', 'eca.common');

/** --source-dir: folders or files to scan instead of the package directories. */
export const sourceDirFlag = Flags.string({
  char: 'd',
  multiple: true,
  summary: messages.getMessage('flags.source-dir.summary'),
  description: messages.getMessage('flags.source-dir.description'),
});

/**
 * --target-org for commands that work locally unless told otherwise (set, migrate): the org is used
 * only when the flag is on the command line. Unlike Flags.optionalOrg, a default org in the sf
 * configuration (target-org) never switches the command into org mode.
 */
// eslint-disable-next-line @typescript-eslint/explicit-function-return-type -- oclif infers the custom flag's type
export const explicitOrgFlag = (summary: string) =>
  Flags.custom<Org>({
    char: 'o',
    summary,
    parse: async (input: string) => {
      const { Org } = await import('@salesforce/core');
      return Org.create({ aliasOrUsername: input });
    },
  })();
