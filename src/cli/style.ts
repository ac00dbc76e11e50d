import ansis from 'ansis';
import { PLAIN, type Style } from '../render/style.js';

/** Colours only when stdout is a terminal that takes them (ansis honours NO_COLOR and FORCE_COLOR). */
export const terminalStyle = (): Style =>
  process.stdout.isTTY && ansis.isSupported()
    ? { bad: ansis.red, warn: ansis.yellow, good: ansis.green, dim: ansis.dim, bold: ansis.bold }
    : PLAIN;

/** The width when nothing says otherwise (a pipe, CI). */
export const DEFAULT_WIDTH = 80;

/**
 * The width human output must fit in: the terminal's columns when stdout is a terminal, else the
 * COLUMNS environment variable when it holds a positive number, else 80.
 */
export const terminalWidth = (): number => {
  if (process.stdout.isTTY && (process.stdout.columns ?? 0) > 0) return process.stdout.columns;
  const env = Number.parseInt(process.env.COLUMNS ?? '', 10);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_WIDTH;
};
