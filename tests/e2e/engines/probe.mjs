// The ordering probe: measures, in two windows of one engine, the facts the cross-tab refresh design
// (src/core/client/mod.rs, pkg-template/shell/refresher.js and ledger.js) depends on. Window A holds a Web Lock while window B waits
// for it; inside the lock A writes localStorage (and, in the "ls+idb" variant, IndexedDB, as the
// library's ledger does), posts a BroadcastChannel message, and releases. On the grant B reads both
// stores and notes whether A's `storage` event and BroadcastChannel message had arrived yet.
// Then bursts check the order of BroadcastChannel messages, of `storage` events, and which of the
// two arrives first for one write.
//
// `runProbe(engine, {rounds})` resolves with the raw figures and a summary (see `summarise`).
import { MOCK } from '../lib.mjs';
import { sleep } from './harness.mjs';

/** Installed in both windows; `role` is 'A' (lock holder / writer) or 'B' (waiter / reader). */
function install(role) {
  const now = () => performance.timeOrigin + performance.now();
  const bc = new BroadcastChannel('nexudus-probe');
  const P = (window.probe = { role, rounds: [], results: [], seenStorage: {}, seenWrote: {}, inbox: [], burstBc: [], burstLs: [], race: {} });
  let dbp;
  const db = () => (dbp ??= new Promise((res, rej) => {
    const r = indexedDB.open('nexudus-probe', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('kv');
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  }));
  const idb = async (mode, op) => {
    const d = await db();
    return new Promise((res, rej) => {
      const tx = d.transaction('kv', mode);
      const req = op(tx.objectStore('kv'));
      tx.oncomplete = () => res(req.result);
      tx.onerror = tx.onabort = () => rej(tx.error);
    });
  };
  P.idbPut = (v) => idb('readwrite', (s) => s.put(v, 'k'));
  P.idbGet = () => idb('readonly', (s) => s.get('k'));
  const tick = () => new Promise((r) => setTimeout(r, 1));
  const first = (i) => { if (!P.race[i]) P.race[i] = null; };

  if (role === 'B') {
    addEventListener('storage', (e) => {
      const t = now();
      if (e.key === 'probe-ls') P.seenStorage[e.newValue] = t;
      if (e.key === 'probe-burst') P.burstLs.push(Number(e.newValue));
      if (e.key === 'probe-race') { first(e.newValue); P.race[e.newValue] ??= 'storage'; }
    });
    bc.onmessage = ({ data }) => {
      const t = now();
      if (data.t === 'wrote') P.seenWrote[data.i] = t;
      if (data.t === 'burst') P.burstBc.push(data.n);
      if (data.t === 'race') { first(String(data.i)); P.race[String(data.i)] ??= 'broadcast'; }
      if (data.t !== 'held') return;
      const { i, variant } = data;
      navigator.locks.request('nexudus-probe', async () => {
        const tGrant = now();
        const ls = localStorage.getItem('probe-ls');
        const r = {
          i, variant, tGrant, lsStale: ls !== String(i),
          storageBeforeGrant: P.seenStorage[String(i)] !== undefined,
          broadcastBeforeGrant: P.seenWrote[i] !== undefined,
          idbStale: null, lsFreshAfterMs: 0,
        };
        if (variant === 'ls+idb') r.idbStale = (await P.idbGet()) !== i;
        if (r.lsStale) {
          const t0 = now();
          while (localStorage.getItem('probe-ls') !== String(i) && now() - t0 < 2000) await tick();
          r.lsFreshAfterMs = now() - t0;
        }
        P.results.push(r);
      }).then(() => bc.postMessage({ t: 'done', i }));
      bc.postMessage({ t: 'requested', i });
    };
    return;
  }

  bc.onmessage = ({ data }) => P.inbox.push(data);
  const waitMsg = async (t, i) => {
    for (let n = 0; !P.inbox.some((m) => m.t === t && m.i === i); n++) {
      if (n > 5000) throw new Error(`no ${t} ${i} from B`);
      await tick();
    }
  };
  P.run = async ({ rounds, variant, base }) => {
    for (let i = base; i < base + rounds; i++) {
      await navigator.locks.request('nexudus-probe', async () => {
        bc.postMessage({ t: 'held', i, variant });
        await waitMsg('requested', i);
        // B's request must be queued behind this lock before the hand-off
        while (!(await navigator.locks.query()).pending.some((l) => l.name === 'nexudus-probe')) await tick();
        const tSet = now();
        localStorage.setItem('probe-ls', String(i));
        if (variant === 'ls+idb') await P.idbPut(i);
        const tPost = now();
        bc.postMessage({ t: 'wrote', i });
        P.rounds.push({ i, variant, tSet, tPost, tRelease: now() });
      });
      await waitMsg('done', i);
    }
  };
  P.bursts = async (n) => {
    for (let k = 0; k < n; k++) bc.postMessage({ t: 'burst', n: k });
    for (let k = 0; k < n; k++) localStorage.setItem('probe-burst', String(k));
    for (let k = 0; k < n; k++) {
      localStorage.setItem('probe-race', String(k));
      bc.postMessage({ t: 'race', i: k });
      await tick();
    }
  };
}

const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.floor(s.length / 2)].toFixed(1));
};
const max = (xs) => (xs.length ? Number(Math.max(...xs).toFixed(1)) : null);
const isOrdered = (xs, n) => xs.length === n && xs.every((v, k) => v === k);

/** Turns the two windows' records into the facts table. */
export function summarise(A, B, n) {
  const facts = {};
  for (const variant of ['ls', 'ls+idb']) {
    const res = B.results.filter((r) => r.variant === variant);
    const rounds = new Map(A.rounds.filter((r) => r.variant === variant).map((r) => [r.i, r]));
    const storageDelay = res.map((r) => B.seenStorage[String(r.i)] - rounds.get(r.i).tSet).filter(Number.isFinite);
    facts[variant] = {
      rounds: res.length,
      lsStaleAtGrant: res.filter((r) => r.lsStale).length,
      lsFreshAfterMsMax: max(res.filter((r) => r.lsStale).map((r) => r.lsFreshAfterMs)),
      idbStaleAtGrant: variant === 'ls+idb' ? res.filter((r) => r.idbStale).length : null,
      storageEventBeforeGrant: res.filter((r) => r.storageBeforeGrant).length,
      broadcastBeforeGrant: res.filter((r) => r.broadcastBeforeGrant).length,
      storageEventDelayMs: { median: median(storageDelay), max: max(storageDelay) },
      grantAfterReleaseMs: { median: median(res.map((r) => r.tGrant - rounds.get(r.i).tRelease)) },
    };
  }
  const race = Object.values(B.race);
  facts.broadcastInOrder = isOrdered(B.burstBc, n);
  facts.broadcastReceived = B.burstBc.length;
  facts.storageEventsInOrder = isOrdered(B.burstLs, n);
  facts.storageEventsReceived = B.burstLs.length;
  facts.writeThenPost = { storageFirst: race.filter((r) => r === 'storage').length, broadcastFirst: race.filter((r) => r === 'broadcast').length };
  return facts;
}

/** Runs the probe in two fresh windows of `engine`; resolves with the summary. */
export async function runProbe(engine, { rounds = 20, burst = 50 } = {}) {
  const a = await engine.open(`${MOCK}/blank.html`);
  const b = await engine.open(`${MOCK}/blank.html`);
  try {
    await a.evaluate(install, 'A');
    await b.evaluate(install, 'B');
    await a.evaluate((o) => window.probe.run(o).then(() => true), { rounds, variant: 'ls', base: 0 });
    await a.evaluate((o) => window.probe.run(o).then(() => true), { rounds, variant: 'ls+idb', base: 1000 });
    await a.evaluate((n) => window.probe.bursts(n).then(() => true), burst);
    await b.waitFor((n) => window.probe.burstBc.length >= n && window.probe.burstLs.length >= n &&
      Object.keys(window.probe.race).length >= n, burst, { timeout: 10_000 }).catch(() => {});
    await sleep(300);
    const A = await a.evaluate(() => ({ rounds: window.probe.rounds }));
    const B = await b.evaluate(() => {
      const { results, seenStorage, burstBc, burstLs, race } = window.probe;
      return { results, seenStorage, burstBc, burstLs, race };
    });
    return summarise(A, B, burst);
  } finally {
    await a.close();
    await b.close();
  }
}
