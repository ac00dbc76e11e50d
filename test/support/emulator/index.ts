export * from './server.js';
export * from './auth.js';
export * from './cli.js';
export { DEFAULT_LIFECYCLE, DEFAULT_POLICY_FIELDS, type EcaLifecycle } from './eca.js';
export { metadataFile, MD_NS } from './xml.js';
export { mdapiPath } from './metadata.js';

/** Rejects with a TimeoutError after `ms` unless `p` settles first (a client-side timeout for calls that may hang). */
export const withTimeout = <T>(p: Promise<T>, ms: number, what = 'operation'): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new Error(`${what} timed out after ${ms} ms`);
      e.name = 'TimeoutError';
      reject(e);
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
};
