// A minimal W3C WebDriver client over HTTP (classic protocol, no extra npm package): starts a driver
// binary on a free local port, opens one session, and exposes windows as pages. Used for Firefox ESR
// (geckodriver) and WebKitGTK (WebKitWebDriver under xvfb-run) by tests/e2e/engines/driver.mjs.
//
// Classic WebDriver has one "current window" per session, so every command is queued: a page call
// switches to its window, then runs. Page scripts are sent as the source of an (async) function and
// run with "Execute Async Script"; nothing is eval'ed inside the page, so a strict CSP does not apply.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 (the OS picks it; closed again before it is returned). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Thrown when the driver answers a command with a WebDriver error. */
export class WebDriverError extends Error {
  constructor(cmd, status, value) {
    super(`WebDriver ${cmd} -> HTTP ${status}: ${value?.error ?? ''}: ${String(value?.message ?? '').slice(0, 500)}`);
    this.name = 'WebDriverError';
    this.error = value?.error;
  }
}

async function call(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebDriverError(`${method} ${path}`, res.status, { error: 'not json', message: text });
  }
  if (!res.ok) throw new WebDriverError(`${method} ${path}`, res.status, json.value);
  return json.value;
}

/** The script body run by Execute Async Script: calls `fn(arg)`, settles with {ok, v} | {ok:false, e}. */
const asyncBody = (src) => `const done = arguments[arguments.length - 1];
Promise.resolve().then(() => (${src})(arguments[0])).then(
  (v) => done({ ok: true, v: v === undefined ? null : v }),
  (e) => done({ ok: false, e: String((e && e.stack) || e), code: e && e.code }));`;

/**
 * Starts `command args` (the driver) on a free port with `portArg(port)`, waits for /status, and
 * opens a session with `capabilities`. Returns an object with `open(url)`, `close()` and `name`.
 */
export async function launchWebDriver({ name, command, args = [], portArg, capabilities, scriptTimeoutMs = 60_000 }) {
  const port = await freePort();
  const child = spawn(command, [...args, portArg(port)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const keep = (d) => { log = (log + d).slice(-20_000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code, sig) => { exited = `${code ?? sig}`; });
  const base = `http://127.0.0.1:${port}`;
  const killDriver = () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  };
  for (let i = 0; ; i++) {
    if (exited !== null) throw new Error(`${name}: driver exited (${exited}) before answering:\n${log}`);
    try {
      const st = await call(base, 'GET', '/status');
      if (st?.ready !== false) break;
    } catch { /* not listening yet */ }
    if (i > 300) { killDriver(); throw new Error(`${name}: driver did not answer /status in 30 s:\n${log}`); }
    await sleep(100);
  }
  let session;
  try {
    session = await call(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } });
  } catch (e) {
    killDriver();
    throw new Error(`${name}: could not open a session: ${e.message}\n${log.slice(-3000)}`);
  }
  const sid = session.sessionId;
  const s = (path) => `/session/${sid}${path}`;
  await call(base, 'POST', s('/timeouts'), { script: scriptTimeoutMs, pageLoad: 60_000 });

  // One command at a time; `current` is the window the driver is switched to.
  let queue = Promise.resolve();
  let current = await call(base, 'GET', s('/window'));
  let firstFree = true; // the session's initial window is handed out to the first open()
  const serial = (fn) => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  };
  const on = async (handle) => {
    if (current !== handle) {
      await call(base, 'POST', s('/window'), { handle });
      current = handle;
    }
  };

  const page = (handle) => {
    let closed = false;
    const p = {
      /** Navigates this window to `url` and waits for the load. */
      goto: (url) => serial(async () => { await on(handle); await call(base, 'POST', s('/url'), { url }); }),
      /** Runs `fn(arg)` (may be async) in the window; resolves with its JSON result, rejects with its error. */
      evaluate: (fn, arg = null) => serial(async () => {
        await on(handle);
        const r = await call(base, 'POST', s('/execute/async'), { script: asyncBody(fn.toString()), args: [arg] });
        if (!r?.ok) {
          const err = new Error(`in ${name} page: ${r?.e}`);
          err.code = r?.code;
          throw err;
        }
        return r.v;
      }),
      /** Reloads the window. */
      reload: () => serial(async () => { await on(handle); await call(base, 'POST', s('/refresh'), {}); }),
      /** Closes the window (the session stays open while the engine lives). */
      close: () => serial(async () => {
        if (closed) return;
        closed = true;
        await on(handle);
        const handles = await call(base, 'GET', s('/window/handles'));
        if (handles.length > 1) {
          // a closed current window leaves the session without a browsing context: switch to another
          const left = await call(base, 'DELETE', s('/window'));
          current = null;
          await on(left[0]);
        } else {
          // closing the last window would end the session: blank it and hand it out again
          await call(base, 'POST', s('/url'), { url: 'about:blank' });
          freeHandle = handle;
          firstFree = true;
        }
      }),
    };
    return p;
  };

  let freeHandle = current;
  return {
    name,
    /** Opens a new top-level window on `url` (the session's first window is reused once). */
    async open(url) {
      const handle = await serial(async () => {
        if (firstFree) {
          firstFree = false;
          return freeHandle;
        }
        const w = await call(base, 'POST', s('/window/new'), { type: 'window' });
        return w.handle;
      });
      const p = page(handle);
      await p.goto(url);
      return p;
    },
    /** Ends the session and stops the driver (and the browser it started). */
    async close() {
      await serial(() => call(base, 'DELETE', s('')).catch(() => {}));
      killDriver();
      for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
      if (exited === null) {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      }
    },
    /** The driver's last output (for failure messages). */
    log: () => log,
  };
}
