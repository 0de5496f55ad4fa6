// Step 6 of the benchmark: the markdown report (stdout + bench/results/latest.md) and latest.json.

import fs from 'node:fs';
import path from 'node:path';
import { ROOT, OUT, PEERS, OURS, log, kb, ms, ratio } from './common.mjs';

/** The report as markdown text. `args` is the command line (process.argv.slice(2)) it was run with. */
export function renderReport({ result, opts, args, sizeRows, loadCandidates, HAVE_PKG, MOCK_URL, wasmSizeMd }) {
  const md = [];
  md.push('# nexudus-auth benchmark', '');
  md.push(`${result.date} · git ${result.git} · node ${result.node} · ${result.chromium} · esbuild ${result.versions.esbuild}`);
  md.push(`Host: ${result.host}. Command: \`bash bench/run.sh${args.length ? ' ' + args.join(' ') : ''}\``, '');
  md.push(`Peers: ${PEERS.map((p) => `${p.pkg}@${result.versions[p.pkg]}`).join(', ')}.`, '');
  for (const n of result.notes) md.push(`> Note: ${n}`);
  if (result.notes.length) md.push('');

  if (HAVE_PKG) summaryTable(md, result, loadCandidates);

  md.push('## Size (bytes; gzip -9, brotli -q 11, node zlib; KB = 1000 B)', '');
  md.push('Peers: a tiny entry that imports the client factory and constructs a client, bundled by esbuild (minified ESM, platform browser).', '');
  md.push('| candidate | JS raw | JS gzip | JS brotli | wasm raw | wasm gzip | wasm brotli | **total brotli** | total gzip |');
  md.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const id of sizeRows) {
    const s = result.sizes[id];
    const w = s.wasm;
    md.push(`| ${id} | ${s.js.raw} | ${s.js.gzip} | ${s.js.brotli} | ${w ? w.raw : ''} | ${w ? w.gzip : ''} | ${w ? w.brotli : ''} | **${kb(s.total.brotli)} KB** | ${kb(s.total.gzip)} KB |`);
  }
  md.push('');
  if (HAVE_PKG) {
    for (const row of [`${OURS}/web (pkg files)`, `${OURS}/embedded (pkg files)`].filter((r) => result.sizes[r])) {
      md.push(`Package files as published for \`${row.replace(' (pkg files)', '')}\` (\`pkg/\`, unminified glue):`, '');
      md.push('| file | raw | gzip | brotli |', '|---|---:|---:|---:|');
      for (const [k, v] of Object.entries(result.sizes[row].parts)) md.push(`| ${k} | ${v.raw} | ${v.gzip} | ${v.brotli} |`);
      md.push('');
    }
    md.push('Size ratios (total brotli):', '');
    for (const ours of sizeRows.filter((r) => r.startsWith(OURS))) {
      md.push(`* ${ours}: ` + PEERS.map((p) => `${OURS} / ${p.id} = ${ratio(result.sizes[ours].total.brotli, result.sizes[p.id].total.brotli)}`).join(' · '));
    }
    md.push('');
  }

  function loadTable(rows, title) {
    md.push(title, '');
    md.push('| candidate | import→ready median | p90 | − empty module | navigation→ready median | p90 | n | issues |');
    md.push('|---|---:|---:|---:|---:|---:|---:|---|');
    const base = rows['empty module']?.importToReady.median;
    for (const c of loadCandidates) {
      const r = rows[c.id];
      if (!r) continue;
      const d = r.importToReady.median != null && base != null ? r.importToReady.median - base : null;
      md.push(`| ${c.id} | ${ms(r.importToReady.median)} ms | ${ms(r.importToReady.p90)} | ${ms(d)} | ${ms(r.navToReady.median)} ms | ${ms(r.navToReady.p90)} | ${r.n} | ${r.errors.map((e) => e.split('\n')[0]).join('; ').replace(/\|/g, '/').slice(0, 200)} |`);
    }
    md.push('');
    if (HAVE_PKG) {
      md.push('Load-time ratios (median import→ready):', '');
      for (const c of loadCandidates.filter((x) => x.id.startsWith(OURS))) {
        md.push(`* ${c.id}: ` + PEERS.map((p) => `${OURS} / ${p.id} = ${ratio(rows[c.id]?.importToReady.median, rows[p.id]?.importToReady.median)}`).join(' · '));
      }
      md.push('');
    }
  }
  if (opts.load) {
    loadTable(result.load, `## Load time, loopback (ms; fresh browser context per run, ${opts.warmup} warm-up round(s) discarded, ${opts.runs} interleaved runs)`);
    md.push('import→ready: from `import()` in a module script to a ready client (for nexudus-auth: `await NexudusAuth.create({ baseUrl, storage: \'memory\' })`, i.e. glue + wasm fetched, compiled, instantiated). Preload rows: the page adds the `<link rel=preload>` (and `modulepreload`) in the same task as the `import()`, so the `.wasm` starts with the bundle, as in an app whose HTML names both. navigation→ready: the same end point from navigation start. Files served brotli-compressed (`Accept-Encoding` seen: ' + (result.acceptEncoding || []).map((x) => `\`${x}\``).join(', ') + '), `Cache-Control: no-store`, wasm as `application/wasm`.', '');
    if (result.loadLatency) loadTable(result.loadLatency.rows, `## Load time with ${result.loadLatency.latencyMs} ms emulated latency per request, 9 Mbit/s (CDP), ${opts.latencyRuns} interleaved runs`);
  }
  if (result.overhead) {
    const o = result.overhead;
    md.push(`## Library overhead (mock at ${MOCK_URL}, storage memory, page on another loopback origin)`, '');
    md.push('| operation | median | p90 | min | n |', '|---|---:|---:|---:|---:|');
    md.push(`| \`auth.signIn({email,password})\` round trip | ${ms(o.signIn.median)} ms | ${ms(o.signIn.p90)} ms | ${ms(o.signIn.min)} ms | ${o.signIn.n} |`);
    md.push(`| raw \`fetch\` of the same form-urlencoded \`POST /api/token\` (+ \`.json()\`) | ${ms(o.rawFetch.median)} ms | ${ms(o.rawFetch.p90)} ms | ${ms(o.rawFetch.min)} ms | ${o.rawFetch.n} |`);
    md.push(`| paired difference signIn − raw fetch (same round) | ${ms(o.pairedDiff.median)} ms | ${ms(o.pairedDiff.p90)} ms | | ${o.pairedDiff.n} |`);
    md.push('');
    md.push(`signIn / raw fetch = ${ratio(o.signIn.median, o.rawFetch.median)} (medians), ${ratio(o.signIn.min, o.rawFetch.min)} (minima); the library adds a median ${ms(o.pairedDiff.median)} ms per sign-in over the bare request (paired). The requests are the same: ${o.lastTokenRequests?.length === 2 && o.lastTokenRequests[0].body === o.lastTokenRequests[1].body && o.lastTokenRequests[0].clientId === o.lastTokenRequests[1].clientId && o.lastTokenRequests[0].contentType === o.lastTokenRequests[1].contentType ? 'yes (body, Content-Type and client_id compared in /mock/requests)' : 'NOT CHECKED'}.`, '');
    md.push(`| warm-session call | ops/s (median of 3 × ${opts.opsMs} ms) |`, '|---|---:|');
    for (const [k, v] of Object.entries(o.ops)) md.push(`| \`${k}\` | ${Math.round(v.median).toLocaleString('en-US')} |`);
    const g = o.ops['getAccessToken()']?.median;
    if (g) md.push('', `getAccessToken() costs ≈ ${(1e6 / g).toFixed(2)} µs per call on a warm session.`);
    md.push('');
  }

  if (wasmSizeMd) md.push('## Where the wasm bytes go', '', wasmSizeMd, '');
  return md.join('\n');
}

/**
 * The one-look table: for every load candidate, its bytes (brotli, the size row it loads) and its median
 * import→ready on loopback and on the throttled profile, each with its ratio to oidc-client-ts.
 */
function summaryTable(md, result, loadCandidates) {
  const REF = 'oidc-client-ts';
  const lat = result.loadLatency;
  const at = (rows, id) => rows?.[id]?.importToReady.median;
  md.push('## Summary: every entry in one run', '');
  md.push(`Bytes = total brotli of what the candidate downloads; times = median import→ready; ratios to ${REF}.`, '');
  md.push(`| candidate | brotli | / ${REF} | loopback | / ${REF} | ${lat ? `${lat.latencyMs} ms + 9 Mbit/s` : 'throttled (not run)'} | / ${REF} |`);
  md.push('|---|---:|---:|---:|---:|---:|---:|');
  const refSize = result.sizes[REF]?.total.brotli;
  for (const c of loadCandidates.filter((x) => x.size)) {
    const b = result.sizes[c.size]?.total.brotli;
    const lo = at(result.load, c.id), th = at(lat?.rows, c.id);
    md.push(`| ${c.id} | ${b ? kb(b) + ' KB' : '–'} | ${ratio(b, refSize)} | ${ms(lo)} ms | ${ratio(lo, at(result.load, REF))} | ${ms(th)} ms | ${ratio(th, at(lat?.rows, REF))} |`);
  }
  md.push('');
}

/** Writes bench/results/latest.md + latest.json and prints the report on stdout. */
export function writeReport(text, result) {
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'latest.md'), text + '\n');
  fs.writeFileSync(path.join(OUT, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(text);
  log(`wrote ${path.relative(ROOT, path.join(OUT, 'latest.md'))} and latest.json`);
}
