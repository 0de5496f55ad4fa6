// Step 5 of the benchmark: the library's own overhead against the mock (sign-in round trip vs a raw fetch,
// getAccessToken() ops/s). Starts the mock with cargo when none answers, and stops it again.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, log, sleep, median, p90 } from './common.mjs';

let mockProc = null;
async function mockUp(mockUrl) {
  try {
    const r = await fetch(`${mockUrl}/mock/users`, { signal: AbortSignal.timeout(1500) });
    return r.ok;
  } catch { return false; }
}

/** Uses the mock at mockUrl, or starts one (cargo run) on its port. False (with a note) when there is none. */
export async function ensureMock(mockUrl, notes) {
  if (await mockUp(mockUrl)) { log('using the mock at', mockUrl); return true; }
  if (!fs.existsSync(path.join(ROOT, 'mock-server', 'Cargo.toml'))) { notes.push('no mock-server crate: overhead skipped'); return false; }
  const port = new URL(mockUrl).port || '18787';
  log(`starting the mock: cargo run -p nexudus-mock --release -- --port ${port} --www www --pkg pkg (first build can take minutes)`);
  mockProc = spawn('cargo', ['run', '-q', '-p', 'nexudus-mock', '--release', '--', '--port', port, '--www', 'www', '--pkg', 'pkg'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  let exited = false;
  mockProc.on('exit', () => { exited = true; });
  const deadline = Date.now() + 15 * 60 * 1000;
  while (Date.now() < deadline && !exited) {
    if (await mockUp(mockUrl)) { log('mock up at', mockUrl); return true; }
    await sleep(500);
  }
  notes.push('the mock did not come up: overhead skipped');
  return false;
}

/** Stops the mock ensureMock() started, if any (its whole process group). */
export function stopMock() {
  if (mockProc && mockProc.exitCode === null) { try { process.kill(-mockProc.pid, 'SIGTERM'); } catch { /* gone */ } }
}

/** Stops the mock on exit, Ctrl-C and SIGTERM. */
export function stopMockOnExit() {
  process.on('exit', stopMock);
  process.on('SIGINT', () => { stopMock(); process.exit(130); });
  process.on('SIGTERM', () => { stopMock(); process.exit(143); });
}

/** Runs the measurements in a page on `origin` (the bench server) against the mock at mockUrl: raw samples. */
export async function overhead(browser, { origin, mockUrl, opsMs, signinRuns }) {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const errs = [];
    page.on('pageerror', (e) => errs.push(e.message));
    await page.goto(`${origin}/blank`);
    const r = await page.evaluate(async ({ mock, opsMs, signinRuns }) => {
      const { NexudusAuth } = await import('/pkg/index.js');
      const email = 'alice@example.com', password = 'Passw0rd!';
      const auth = await NexudusAuth.create({ baseUrl: mock, storage: 'memory', autoRefresh: false });
      await auth.signIn({ email, password });
      const out = {};
      // --- getAccessToken() on a warm session vs the floor (an await of a resolved promise) and the sync getter
      const loops = {
        'getAccessToken()': async () => { for (let i = 0; i < 256; i++) await auth.getAccessToken(); },
        'auth.session.accessToken (sync getter)': async () => { for (let i = 0; i < 256; i++) auth.session.accessToken; await 0; },
        'await Promise.resolve(token) (floor)': async () => { const t = 'x'; for (let i = 0; i < 256; i++) await Promise.resolve(t); },
      };
      const ops = Object.fromEntries(Object.keys(loops).map((k) => [k, []]));
      for (const f of Object.values(loops)) for (let i = 0; i < 20; i++) await f(); // warm-up (JIT)
      for (let trial = 0; trial < 3; trial++) {
        for (const [k, f] of Object.entries(loops)) {
          let n = 0; const t0 = performance.now(); let t;
          do { await f(); n += 256; t = performance.now(); } while (t - t0 < opsMs);
          ops[k].push(n / ((t - t0) / 1000));
        }
      }
      out.ops = ops;
      // --- sign-in round trip vs a raw fetch of the same request
      const clientId = `nexudus.portal.${email}`;
      const body = `grant_type=password&username=${encodeURIComponent(email)}&password=${encodeURIComponent(password)}`;
      const raw = async () => {
        const res = await fetch(`${mock}/api/token`, {
          method: 'POST', body,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', client_id: clientId },
        });
        const j = await res.json();
        if (!j.access_token) throw new Error('raw fetch: no access_token');
      };
      const lib = async () => { const s = await auth.signIn({ email, password }); if (!s.accessToken) throw new Error('no session'); };
      for (let i = 0; i < 3; i++) { await lib(); await raw(); }
      const t = { signIn: [], raw: [], diff: [] };
      for (let i = 0; i < signinRuns; i++) {
        const pair = {};
        for (const [k, f] of (i % 2 ? [['raw', raw], ['signIn', lib]] : [['signIn', lib], ['raw', raw]])) {
          const t0 = performance.now(); await f(); pair[k] = performance.now() - t0;
        }
        t.signIn.push(pair.signIn); t.raw.push(pair.raw); t.diff.push(pair.signIn - pair.raw);
      }
      out.signin = t;
      auth.dispose();
      return out;
    }, { mock: mockUrl, opsMs, signinRuns });
    // what the library sent, to check the raw fetch is the same request
    try {
      const reqs = await (await fetch(`${mockUrl}/mock/requests`)).json();
      const last = reqs.filter((q) => q.path === '/api/token').slice(-2);
      r.lastTokenRequests = last;
    } catch { /* optional */ }
    r.pageErrors = errs;
    return r;
  } finally {
    await ctx.close();
  }
}

/** The raw samples of overhead() summarised the way result.overhead stores them. */
export function summarizeOverhead(r) {
  const summarize = (xs) => ({ median: median(xs), p90: p90(xs), min: Math.min(...xs), n: xs.length });
  return {
    ops: Object.fromEntries(Object.entries(r.ops).map(([k, v]) => [k, { median: median(v), trials: v }])),
    signIn: summarize(r.signin.signIn), rawFetch: summarize(r.signin.raw), pairedDiff: summarize(r.signin.diff),
    samples: r.signin, lastTokenRequests: r.lastTokenRequests, pageErrors: r.pageErrors,
  };
}
