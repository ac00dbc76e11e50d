import { Flags } from '@salesforce/sf-plugins-core';
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


/** A shared flag with the command's own summary (keeps the flag's declared type). */
export const withSummary = <F extends { summary?: string }>(flag: F, summary: string): F => ({ ...flag, summary });
