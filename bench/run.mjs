#!/usr/bin/env node
// nexudus-auth benchmark: size, load time and per-call overhead against peer auth SDKs.
// Usage: bash bench/run.sh [options]   (installs bench/node_modules, then runs this file)
//        node bench/run.mjs [options]  (when bench/node_modules is already installed)
// See bench/README.md for what is measured and how. Not part of the test suite: nothing here asserts.
// This file parses the options and runs the steps in order; the steps live in bench/lib/:
// common.mjs (paths, peers, helpers), sizes.mjs, server.mjs, load.mjs, overhead.mjs, report.mjs.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { ROOT, die, log, gitRev, chromiumVersion } from './lib/common.mjs';
import { measureSizes } from './lib/sizes.mjs';
import { startServer } from './lib/server.mjs';
import { loadCandidatesFor, launch, loadPass } from './lib/load.mjs';
import { ensureMock, stopMock, stopMockOnExit, overhead, summarizeOverhead } from './lib/overhead.mjs';
import { renderReport, writeReport } from './lib/report.mjs';

let PKG = path.join(ROOT, 'pkg');

// ---------------------------------------------------------------- options
const HELP = `node bench/run.mjs [options]
  --no-build          do not run scripts/build.sh (use the pkg/ that is there)
  --runs N            measured load runs per candidate (default 25, min 20 recommended)
  --warmup N          discarded warm-up rounds (default 1)
  --latency MS        also run a load pass with MS ms of emulated latency per request (default 40; 0 = skip)
  --latency-runs N    runs for that pass (default 12)
  --ops-ms MS         duration of one getAccessToken() ops/s trial (default 2000)
  --signin-runs N     sign-in round trips measured (default 60)
  --skip-load         sizes only (+ overhead)
  --skip-overhead     no mock / sign-in / getAccessToken measurements
  --pkg DIR           measure the package in DIR instead of pkg/ (implies --no-build)
  --compare DIR       also measure another built package (e.g. an older commit's pkg/): rows "nexudus-auth [LABEL]"
  --compare-label L   the label of those rows (default "compare")
  --only REGEX        load-time rows: only the candidates whose name matches REGEX (+ the empty module)
  --chromium PATH     browser binary (default $CHROMIUM or /usr/bin/chromium)
  --help`;
const opts = {
  build: true, runs: 25, warmup: 1, latency: 40, latencyRuns: 12, opsMs: 2000, signinRuns: 60,
  load: true, overhead: true, chromium: process.env.CHROMIUM || '/usr/bin/chromium',
};
{
  const a = process.argv.slice(2);
  const num = (i) => { const v = Number(a[i]); if (!Number.isFinite(v) || v < 0) die(`bad value for ${a[i - 1]}: ${a[i]}`); return v; };
  for (let i = 0; i < a.length; i++) {
    switch (a[i]) {
      case '--no-build': opts.build = false; break;
      case '--runs': opts.runs = num(++i); break;
      case '--warmup': opts.warmup = num(++i); break;
      case '--latency': opts.latency = num(++i); break;
      case '--latency-runs': opts.latencyRuns = num(++i); break;
      case '--ops-ms': opts.opsMs = num(++i); break;
      case '--signin-runs': opts.signinRuns = num(++i); break;
      case '--skip-load': opts.load = false; break;
      case '--skip-overhead': opts.overhead = false; break;
      case '--chromium': opts.chromium = a[++i]; break;
      case '--pkg': PKG = path.resolve(a[++i]); opts.build = false; opts.pkg = PKG; break;
      case '--compare': opts.compare = path.resolve(a[++i]); break;
      case '--compare-label': opts.compareLabel = a[++i]; break;
      case '--only': opts.only = new RegExp(a[++i]); break;
      case '-h': case '--help': console.log(HELP); process.exit(0);
      default: die(`unknown option ${a[i]}\n${HELP}`);
    }
  }
}

const MOCK_URL = (process.env.NEXUDUS_MOCK_URL || 'http://127.0.0.1:18787').replace(/\/+$/, '');

// ---------------------------------------------------------------- 1. build
const result = {
  date: new Date().toISOString(), git: gitRev(), node: process.version, chromium: chromiumVersion(opts.chromium),
  host: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  options: opts, mockUrl: MOCK_URL, versions: {}, sizes: {}, load: {}, loadLatency: null, overhead: null, notes: [],
};

if (opts.build) {
  const script = path.join(ROOT, 'scripts', 'build.sh');
  if (fs.existsSync(script)) {
    log('building the release package: bash scripts/build.sh');
    const r = spawnSync('bash', [script], { cwd: ROOT, stdio: ['ignore', 2, 2] }); // build log to stderr: stdout is the report
    if (r.status !== 0) {
      if (!fs.existsSync(path.join(PKG, 'index.js'))) die(`scripts/build.sh failed (exit ${r.status}) and there is no pkg/`);
      result.notes.push(`scripts/build.sh failed (exit ${r.status}); measured the existing pkg/`);
      log(`WARNING: build failed (exit ${r.status}); measuring the existing pkg/`);
    }
  } else {
    result.notes.push('scripts/build.sh not found: pkg/ not rebuilt');
  }
}
const HAVE_PKG = fs.existsSync(path.join(PKG, 'index.js')) && fs.existsSync(path.join(PKG, 'nexudus_auth_bg.wasm'));
if (!HAVE_PKG) {
  result.notes.push('pkg/ not built (no pkg/index.js + pkg/nexudus_auth_bg.wasm): nexudus-auth rows skipped');
  log('WARNING: no pkg/ — measuring the peers only');
}

// ---------------------------------------------------------------- 2. sizes + bundles
if (opts.compare && !fs.existsSync(path.join(opts.compare, 'index.js'))) die(`--compare ${opts.compare}: no index.js there`);
const compare = opts.compare ? { dir: opts.compare, label: opts.compareLabel || 'compare', embedded: fs.existsSync(path.join(opts.compare, 'embedded', 'index.js')) } : null;
const { sizeRows, wasmSizeMd } = await measureSizes({ PKG, HAVE_PKG, result, compare });

// ---------------------------------------------------------------- 3. static server
const srv = await startServer(PKG);

// ---------------------------------------------------------------- 4. load time in Chromium
const loadCandidates = loadCandidatesFor(HAVE_PKG, HAVE_PKG && fs.existsSync(path.join(PKG, 'embedded', 'index.js')), compare, !fs.existsSync(path.join(PKG, 'nexudus_auth.js')))
  .filter((c) => !opts.only || c.id === 'empty module' || opts.only.test(c.id));
let browser = null;
if (opts.load) {
  browser = await launch(opts.chromium);
  const ctx = { browser, srv, loadCandidates };
  log(`load time: ${loadCandidates.length} candidates × (${opts.warmup} warm-up + ${opts.runs}) runs, fresh context each, interleaved`);
  result.load = await loadPass(ctx, 'loopback', opts.runs, opts.warmup, 0);
  if (opts.latency > 0) {
    log(`load time with ${opts.latency} ms emulated latency per request: ${opts.latencyRuns} runs`);
    result.loadLatency = { latencyMs: opts.latency, rows: await loadPass(ctx, `latency ${opts.latency} ms`, opts.latencyRuns, 1, opts.latency) };
  }
  result.acceptEncoding = [...srv.encodingsSeen];
}

// ---------------------------------------------------------------- 5. overhead against the mock
stopMockOnExit();
if (opts.overhead && HAVE_PKG) {
  if (await ensureMock(MOCK_URL, result.notes)) {
    log('overhead: getAccessToken() ops/s and sign-in round trip vs raw fetch');
    try {
      if (!browser) browser = await launch(opts.chromium);
      const r = await overhead(browser, { origin: srv.origin, mockUrl: MOCK_URL, opsMs: opts.opsMs, signinRuns: opts.signinRuns });
      result.overhead = summarizeOverhead(r);
    } catch (e) {
      result.notes.push(`overhead failed: ${String(e.message || e).split('\n')[0]}`);
      log('overhead failed:', e.message || e);
    }
  }
  stopMock();
} else if (opts.overhead) {
  result.notes.push('overhead skipped: no pkg/');
}

if (browser) await browser.close();
srv.server.close();

// ---------------------------------------------------------------- 6. report
const text = renderReport({ result, opts, args: process.argv.slice(2), sizeRows, loadCandidates, HAVE_PKG, MOCK_URL, wasmSizeMd });
writeReport(text, result);
