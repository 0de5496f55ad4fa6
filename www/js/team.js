// Team administrators: the "Sign in as…" list (auth.impersonate) and, while acting for a member, the
// "Back to my account" bar (auth.stopImpersonating). Both follow auth.impersonating, which every tab
// sees from the stored session, so update() after each onChange keeps every tab right.
import { $, clearError, h, setStatus, withBusy } from './ui.js';

/**
 * @param {object} ctx
 * @param {import('/pkg/index.js').NexudusAuth} ctx.auth
 * @param {() => void} ctx.onSwitched re-render after a switch made in this tab
 */
export function setupTeam({ auth, onSwitched }) {
  let profilesFor = null; // the access token the list was loaded with (dedupes loads)
  let shown; // auth.impersonating as last shown (undefined: nothing shown yet)
  let switching = false; // a switch started in this tab is under way (it announces itself)

  function focusHeading() {
    $('session-title').focus();
  }

  async function loadProfiles() {
    const token = auth.session?.accessToken;
    if (!token || profilesFor === token) return;
    profilesFor = token;
    let profiles = [];
    try {
      const res = await auth.fetch('/api/public/coworkers/profiles', { headers: { accept: 'application/json' } });
      if (!res.ok) {
        await res.text();
        throw new Error(`The team request answered HTTP ${res.status}.`);
      }
      const body = await res.json();
      profiles = Array.isArray(body?.Profiles) ? body.Profiles.filter((p) => Number.isInteger(p?.Id)) : [];
    } catch (err) {
      profilesFor = null;
      console.warn('nexudus-auth demo: loading the team failed', err);
    }
    // Another sign-in, a refresh or a switch may have happened meanwhile: only the current admin session's list counts.
    if (auth.impersonating != null || !auth.session) return;
    renderList(profiles);
  }

  function renderList(profiles) {
    const list = $('team-list');
    list.replaceChildren(
      ...profiles.map((p) => {
        const name = typeof p.FullName === 'string' && p.FullName ? p.FullName : `Coworker #${p.Id}`;
        const email = typeof p.Email === 'string' ? p.Email : '';
        const button = h(
          'button',
          { type: 'button', class: 'btn btn--secondary btn--small', 'aria-label': `Sign in as ${name}`, dataset: { coworker: p.Id } },
          h('span', { class: 'btn__label' }, 'Sign in as'),
        );
        button.addEventListener('click', () => impersonate(button, p.Id, name));
        return h(
          'li',
          { class: 'user', dataset: { coworker: p.Id } },
          h('span', { class: 'user__email' }, h('span', { class: 'user__name' }, name), email),
          button,
        );
      }),
    );
    $('team').hidden = profiles.length === 0;
  }

  function impersonate(button, id, name) {
    clearError();
    switching = true;
    withBusy(button, 'Switching…', async () => {
      await auth.impersonate(id).finally(() => {
        switching = false;
      });
      onSwitched();
      setStatus(`You’re now acting for ${name}.`, 'info');
      focusHeading();
    });
  }

  $('stop-acting').addEventListener('click', () => {
    clearError();
    switching = true;
    withBusy($('stop-acting'), 'Switching back…', async () => {
      await auth.stopImpersonating().finally(() => {
        switching = false;
      });
      onSwitched();
      setStatus('You’re back in your own account.');
      focusHeading();
    });
  });

  /** Shows the bar or the list for the current session. Idempotent; call after every change. */
  function update() {
    const acting = auth.impersonating;
    if (shown !== undefined && acting !== shown && !switching) {
      // The switch happened in another tab: say so here too.
      setStatus(acting == null ? 'You’re back in your own account (switched in another tab).' : 'You’re now acting for a team member (switched in another tab).', 'info');
    }
    shown = acting;
    $('acting-bar').hidden = acting == null;
    if (acting != null) {
      $('team').hidden = true;
      $('acting-name').textContent = `coworker #${acting}`;
      profilesFor = null;
      return;
    }
    loadProfiles();
  }

  /** The member's name once their profile has loaded (only shown while acting for them). */
  function setActingName(name) {
    if (auth.impersonating != null && name) $('acting-name').textContent = name;
  }

  function hide() {
    profilesFor = null;
    shown = undefined;
    $('team').hidden = true;
    $('acting-bar').hidden = true;
    $('team-list').replaceChildren();
  }

  return { update, setActingName, hide };
}
