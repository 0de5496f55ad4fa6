// nexudus-auth demo: a member-portal sign-in page built on the package served at /pkg/.
//
//   import init, { NexudusAuth, RebillyAuth, AuthError } from '/pkg/index.js'
//
// The API is on API_ORIGIN (www/js/api.js): the page's own origin when the mock serves everything
// (scripts/demo.sh), another origin when the page is served elsewhere (the browser tests).
import { API_ORIGIN } from './js/api.js';
import { setupDemoUsers } from './js/demo-users.js';
import { setupRebilly } from './js/rebilly.js';
import { setupSessionPanel } from './js/session-panel.js';
import { setupSignIn } from './js/signin.js';
import {
  $,
  activeView,
  clearError,
  clearStatus,
  setStatus,
  showError,
  showProblem,
  showView,
  showWarning,
  wireRevealButtons,
  wireTabs,
} from './js/ui.js';

const TITLES = {
  signedOut: ['Welcome back', 'Sign in to book desks and rooms, see your invoices and manage your membership.'],
  session: ['Your account', 'You’re signed in. Your session renews itself in the background — in every open tab.'],
  rebilly: ['Billing portal', 'See invoices and payment methods with a one-time link from your billing emails.'],
};

function setHeading([title, lead]) {
  $('card-title').textContent = title;
  $('card-lead').textContent = lead;
}

async function main() {
  wireRevealButtons();

  let signin = null;
  let rebillyUi = null;
  const tabs = wireTabs(document.querySelector('.tabs'), (tab) => {
    clearError();
    clearStatus();
    if (tab.id === 'tab-rebilly') {
      setHeading(TITLES.rebilly);
      rebillyUi?.onShow();
    } else {
      setHeading(activeView() === 'session' ? TITLES.session : TITLES.signedOut);
    }
  });

  // Shown whatever happens to the library: it is a hint panel fed by the mock.
  setupDemoUsers({
    onUse(user, code) {
      tabs.select('tab-nexudus');
      if (activeView() === 'session') {
        setStatus('You’re already signed in. Sign out first to switch to another account.', 'info');
        return;
      }
      signin?.useAccount(user, code);
    },
  });

  let lib;
  try {
    lib = await import('/pkg/index.js');
  } catch (err) {
    showView('signin');
    showProblem(
      'The sign-in library couldn’t be loaded.',
      'The package at /pkg/ is missing or failed to load. Build it with scripts/build.sh and reload.',
      'package_missing',
    );
    console.warn('nexudus-auth demo: loading /pkg/index.js failed', err);
    return;
  }
  const { NexudusAuth, RebillyAuth } = lib;

  let auth;
  try {
    auth = await NexudusAuth.create({ baseUrl: API_ORIGIN, storage: 'local' });
  } catch (err) {
    showView('signin');
    showError(err);
    return;
  }

  let localSignOut = false;

  const panel = setupSessionPanel({
    auth,
    beforeSignOut() {
      localSignOut = true;
    },
    onSignedOut() {
      render();
      setStatus('You’ve signed out. See you soon!');
    },
    onSwitched: () => render(),
  });

  /** Chooses the member-portal view from the library's state. Idempotent. */
  function render() {
    const signedIn = Boolean(auth.session);
    if (signedIn) {
      if (activeView() !== 'session') {
        // The step's messages ("Almost there — enter the code…") are done with; a flow that has
        // something to say once signed in says it after this.
        clearStatus();
        showView('session');
        if ($('tab-nexudus').getAttribute('aria-selected') === 'true') setHeading(TITLES.session);
        $('session-title').focus();
      }
      panel.show();
    } else {
      panel.hide();
      if (activeView() === 'session' || activeView() === 'loading') {
        signin.goSignIn({ keepMessages: true, focus: activeView() === 'session' ? 'signin-email' : false });
        if ($('tab-nexudus').getAttribute('aria-selected') === 'true') setHeading(TITLES.signedOut);
      }
    }
  }

  signin = setupSignIn({ auth, onSignedIn: render });

  auth.onChange((event, session) => {
    panel.log(event, session);
    if (event === 'SIGNED_OUT' && !localSignOut && activeView() === 'session') {
      render();
      clearError();
      setStatus('You’ve been signed out — you signed out in another tab, or your session ended.', 'info');
    } else {
      render();
    }
    localSignOut = false;
  });
  auth.onWarning?.((w) => showWarning(w));

  rebillyUi = setupRebilly({ RebillyAuth });

  const handled = await signin.handleLandingUrl();
  if (!handled || activeView() === 'loading') render();

  // Catch anything a handler forgot, in words a person understands.
  window.addEventListener('unhandledrejection', (ev) => {
    showError(ev.reason);
  });
}

main().catch((err) => {
  showView('signin');
  showError(err);
});
