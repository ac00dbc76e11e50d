import { CommandHelp, Help, type Command } from '@oclif/core';

type WithErrorCodes = { errorCodes?: { header: string; body: Array<{ name: string; description: string }> } };

/**
 * Adds the ERROR CODES section of sf-plugins-core commands to oclif's help when this plugin runs on
 * its own (bin/run.js). Inside the sf CLI, sf's own help class renders it.
 */
class EcaCommandHelp extends CommandHelp {
  protected sections(): ReturnType<CommandHelp['sections']> {
    const codes = (this.command as Command.Loadable & WithErrorCodes).errorCodes;
    if (!codes) return super.sections();
    return [...super.sections(), { header: codes.header, generate: () => ({ header: codes.header, body: codes.body }) }];
  }
}

export default class EcaHelp extends Help {
  protected getCommandHelpClass(command: Command.Loadable): CommandHelp {
    return new EcaCommandHelp(command, this.config, this.opts);
  }
}
