/*
 * A headless Chromium driven over the DevTools protocol (Node's own WebSocket, no library): opens a page, records
 * console errors, exceptions and failed requests (a Content-Security-Policy violation is a console error),
 * evaluates expressions in it and takes a screenshot. Chromium comes from the system packages (.ci/run installs it
 * where missing); CHROME_PATH names another binary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

/** The browser binary, or undefined when none is installed. */
export const chromiumPath = (): string | undefined => {
  const env = process.env.CHROME_PATH;
  if (env && existsSync(env)) return env;
  return CANDIDATES.find((p) => existsSync(p));
};

type Pending = { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void };

export type BrowserPage = {
  /** Console errors, uncaught exceptions and log errors seen since the page opened. */
  readonly errors: string[];
  /** Navigates and waits for the load event. */
  goto(url: string): Promise<void>;
  /** Evaluates an expression in the page (awaiting a promise) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the whole page. */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
};

/** Starts Chromium headless and opens a blank page. */
export const openPage = async (binary: string, timeoutMs = 20_000): Promise<BrowserPage> => {
  const profile = mkdtempSync(join(tmpdir(), 'eca-chromium-'));
  const child: ChildProcess = spawn(
    binary,
    ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--remote-debugging-port=0', `--user-data-dir=${profile}`, '--window-size=1200,900', 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Chromium did not start')), timeoutMs);
    let buf = '';
    child.stderr?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited with ${String(code)}: ${buf.slice(0, 500)}`)));
  });
  const port = new URL(endpoint).port;
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
  const page = targets.find((t) => t.type === 'page');
  if (!page) throw new Error('Chromium has no page');
  const ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('cannot connect to the page')), { once: true });
  });
  let id = 0;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Array<(p: Record<string, unknown>) => void>>();
  const errors: string[] = [];
  ws.addEventListener('message', (ev: MessageEvent) => {
    const msg = JSON.parse(String(ev.data)) as { id?: number; result?: Record<string, unknown>; error?: { message: string }; method?: string; params?: Record<string, unknown> };
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result ?? {});
    } else if (msg.method) {
      for (const l of listeners.get(msg.method) ?? []) l(msg.params ?? {});
    }
  });
  const send = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const n = ++id;
      pending.set(n, { resolve, reject });
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  const on = (method: string, l: (p: Record<string, unknown>) => void): void => {
    listeners.set(method, [...(listeners.get(method) ?? []), l]);
  };
  on('Runtime.consoleAPICalled', (p) => {
    if (p.type === 'error' || p.type === 'assert') errors.push(`console.${String(p.type)}: ${JSON.stringify(p.args)}`);
  });
  on('Runtime.exceptionThrown', (p) => errors.push(`exception: ${JSON.stringify((p.exceptionDetails as { text?: string; exception?: { description?: string } })?.exception?.description ?? p.exceptionDetails)}`));
  on('Log.entryAdded', (p) => {
    const entry = p.entry as { level: string; text: string; url?: string };
    if (entry.level === 'error') errors.push(`log: ${entry.text}${entry.url ? ` (${entry.url})` : ''}`);
  });
  await send('Runtime.enable');
  await send('Log.enable');
  await send('Page.enable');
  return {
    errors,
    goto: async (url) => {
      const loaded = new Promise<void>((resolve) => on('Page.loadEventFired', () => resolve()));
      await send('Page.navigate', { url });
      await loaded;
    },
    evaluate: async <T>(expression: string): Promise<T> => {
      const r = (await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as { result: { value: T }; exceptionDetails?: { text: string } };
      if (r.exceptionDetails) throw new Error(`evaluate: ${r.exceptionDetails.text}`);
      return r.result.value;
    },
    screenshot: async () => Buffer.from(((await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true })) as { data: string }).data, 'base64'),
    close: async () => {
      ws.close();
      child.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
      rmSync(profile, { recursive: true, force: true });
    },
  };
};
