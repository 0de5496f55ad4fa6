// A `node --test` reporter that writes the level's counts as ONE line of JSON, for scripts/test.sh:
//
//   node --test --test-reporter=./scripts/test-counts-reporter.mjs --test-reporter-destination=counts.json …
//   → {"passed":41,"failed":0,"skipped":1,"todo":0}
//
// The counts come from the runner's structured events (test:pass / test:fail), never from the text a
// test prints, so a `console.log('# pass 99')` in a test cannot change them. They follow node's own TAP
// summary: a skipped test (or `describe.skip` suite) counts as skipped and a todo test as todo (whatever their outcome), a test
// cancelled by its parent or a timeout counts as failed. A `describe` suite is not a test; it only
// counts when it fails by itself (a failing before/after hook), as does a test file that fails outside
// any test (an import error). Nothing is written when the run is killed: test.sh then sees no counts.

/** @param {AsyncIterable<{type: string, data: any}>} source the runner's events */
export default async function* testCounts(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  for await (const { type, data } of source) {
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    const failure = data.details?.error?.failureType;
    const skipped = data.skip !== undefined && data.skip !== false;
    if (data.details?.type === 'suite' || failure === 'subtestsFailed') {
      // A suite (or a file) whose own tests failed: those failures are already counted. A skipped
      // suite (`describe.skip`) reports none of its tests: it counts as one skipped test.
      if (type === 'test:fail' && failure !== 'subtestsFailed') counts.failed++;
      else if (skipped) counts.skipped++;
    } else if (skipped) {
      counts.skipped++;
    } else if (data.todo !== undefined && data.todo !== false) {
      counts.todo++;
    } else if (type === 'test:pass') {
      counts.passed++;
    } else {
      counts.failed++;
    }
  }
  yield `${JSON.stringify(counts)}\n`;
}
