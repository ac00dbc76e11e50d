/*
 * Work undone when a command ends, whichever way (result, error, in-process run): the org clock registers its
 * watchdog and signal handlers here, and EcaCommand.finally runs the hooks. oclif hands a flag's parse a copy of
 * the command, so a hook set on that copy would never run.
 */
const hooks = new Set<() => void>();

/** Runs `hook` once when the current command ends. */
export const onCommandEnd = (hook: () => void): void => {
  hooks.add(hook);
};

/** Runs and forgets the hooks (EcaCommand.finally). */
export const runCommandEndHooks = (): void => {
  const all = [...hooks];
  hooks.clear();
  for (const hook of all) hook();
};
