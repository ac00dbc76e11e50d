import ansis from 'ansis';
import { PLAIN, type Style } from '../render/style.js';

/** Colours only when stdout is a terminal that takes them (ansis honours NO_COLOR and FORCE_COLOR). */
export const terminalStyle = (): Style =>
  process.stdout.isTTY && ansis.isSupported()
    ? { bad: ansis.red, warn: ansis.yellow, good: ansis.green, dim: ansis.dim, bold: ansis.bold }
    : PLAIN;
