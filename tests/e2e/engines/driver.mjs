// The thin driver layer that lets ONE test body run in three engines (tests/e2e/multitab.test.mjs,
// tests/e2e/engines-load.test.mjs, tests/e2e/engines/probe.mjs):
//
//   chromium  Debian's Chromium through playwright-core (pages of one browser context)
//   firefox   Firefox ESR through geckodriver (W3C WebDriver over HTTP; windows of one session)
//   webkit    WebKitGTK's MiniBrowser through WebKitWebDriver under xvfb-run (same protocol)
//
// `E2E_ENGINE` picks the engine (default chromium). Binaries: $CHROMIUM [/usr/bin/chromium],
// $GECKODRIVER [~/.cargo/bin/geckodriver, else on PATH], $FIREFOX [/usr/bin/firefox-esr],
// $WEBKIT_DRIVER [WebKitWebDriver], $MINIBROWSER [/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser].
//
// An engine: `{ name, open(url) → page, close() }`; a page: `{ goto(url), evaluate(fn, arg),
// waitFor(fn, arg, {timeout, polling}), reload(), close() }`. `evaluate` takes a function (it may be
// async) and a JSON argument and resolves with its JSON result, exactly like Playwright's.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchWebDriver } from './webdriver.mjs';

/** The engine selected by $E2E_ENGINE. */
export const ENGINE = (process.env.E2E_ENGINE ?? 'chromium').toLowerCase();

/** Adds `waitFor` (polling `evaluate`) to a page that has `evaluate`. */
function withWait(page) {
  page.waitFor = async (fn, arg = null, { timeout = 10_000, polling = 100 } = {}) => {
    const until = Date.now() + timeout;
    for (;;) {
      const v = await page.evaluate(fn, arg);
      if (v) return v;
      if (Date.now() > until) throw new Error(`waitFor timed out after ${timeout} ms: ${fn.toString().slice(0, 200)}`);
      await sleep(polling);
    }
  };
  return page;
}

async function chromiumEngine() {
  const { launch } = await import('../lib.mjs');
  const browser = await launch();
  const context = await browser.newContext();
  return {
    name: 'chromium',
    async open(url) {
      const p = await context.newPage();
      await p.goto(url);
      return withWait({
        goto: (u) => p.goto(u).then(() => undefined),
        evaluate: (fn, arg = null) => p.evaluate(fn, arg),
        reload: () => p.reload().then(() => undefined),
        close: () => p.close(),
      });
    },
    close: () => browser.close(),
  };
}

function firstExisting(...paths) {
  return paths.find((p) => p && existsSync(p));
}

async function firefoxEngine() {
  const driver = process.env.GECKODRIVER ?? process.env.NEXUDUS_GECKODRIVER ??
    firstExisting(join(homedir(), '.cargo/bin/geckodriver')) ?? 'geckodriver';
  const eng = await launchWebDriver({
    name: 'firefox',
    command: driver,
    portArg: (p) => `--port=${p}`,
    capabilities: {
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
        args: ['-headless'],
        prefs: {
          // windows opened by the test are real top-level windows: never throttle their timers
          'dom.min_background_timeout_value': 4,
          'browser.shell.checkDefaultBrowser': false,
          'datareporting.policy.dataSubmissionEnabled': false,
        },
      },
    },
  });
  return { ...eng, open: async (url) => withWait(await eng.open(url)) };
}

async function webkitEngine() {
  const minibrowser = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
  const driver = process.env.WEBKIT_DRIVER ?? 'WebKitWebDriver';
  // MiniBrowser needs a display: xvfb-run gives it a private one (-a: the first free number).
  const eng = await launchWebDriver({
    name: 'webkit',
    command: 'xvfb-run',
    args: ['-a', '-s', '-screen 0 1280x1024x24', driver],
    portArg: (p) => `--port=${p}`,
    capabilities: {
      'webkitgtk:browserOptions': { binary: minibrowser, args: ['--automation'] },
    },
  });
  return { ...eng, open: async (url) => withWait(await eng.open(url)) };
}

/** Launches the engine `name` (default: $E2E_ENGINE). */
export async function launchEngine(name = ENGINE) {
  switch (name) {
    case 'chromium': return chromiumEngine();
    case 'firefox': return firefoxEngine();
    case 'webkit': return webkitEngine();
    default: throw new Error(`unknown E2E_ENGINE ${name} (chromium | firefox | webkit)`);
  }
}
