// The ordering facts of tests/e2e/engines/probe.mjs, measured in the engine $E2E_ENGINE names, printed
// as one `engines-probe[<engine>]: {...}` line (the tables in docs/ENGINES.md come from these lines).
// Asserted are only the facts the design relies on in every engine: IndexedDB written before the
// lock is released is never stale for the next holder (pkg-template/shell/ledger.js), and BroadcastChannel
// messages and `storage` events from one window arrive complete and in order. How stale localStorage
// is after the hand-off differs between engines and is reported, not asserted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ENGINE, launchEngine } from './engines/driver.mjs';
import { runProbe } from './engines/probe.mjs';

let engine;
before(async () => { engine = await launchEngine(); });
after(async () => { await engine?.close(); });

test(`${ENGINE}: ordering facts after a Web Lock hand-off`, { timeout: 120_000 }, async () => {
  const facts = await runProbe(engine, { rounds: 40, burst: 50 });
  console.log(`engines-probe[${ENGINE}]: ${JSON.stringify(facts)}`);
  assert.equal(facts['ls+idb'].rounds, 40, 'every hand-off was observed');
  assert.equal(facts['ls+idb'].idbStaleAtGrant, 0, 'IndexedDB is never stale for the next lock holder');
  assert.equal(facts.broadcastInOrder, true, `BroadcastChannel in order (${facts.broadcastReceived} received)`);
  assert.equal(facts.storageEventsInOrder, true, `storage events in order (${facts.storageEventsReceived} received)`);
});
