// Small DOM helpers shared by the demo's modules. No framework, no inline styles (strict CSP).
import { describeError } from './errors.js';

/** `document.getElementById`, throwing when the element is missing (a typo shows up at once). */
export function $(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an element: `h('li', { class: 'x', dataset: { a: 1 } }, 'text', child)`. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function icon(kind) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'alert__icon');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute(
    'd',
    kind === 'warn'
      ? 'M10 3 2.5 16.5h15zM10 8v4M10 14.2v.1'
      : 'M10 2.8a7.2 7.2 0 1 0 0 14.4 7.2 7.2 0 0 0 0-14.4zM10 6.5v4.2M10 13.3v.1',
  );
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.7');
  path.setAttribute('stroke-linecap', 'round');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}

// ---------- alert (role="alert") and status (role="status") ----------

/**
 * Shows an error (AuthError or anything thrown) in the alert region, in plain words.
 * `context` tunes the wording (e.g. 'totp-retry'). Returns the description used.
 */
export function showError(err, context) {
  const d = describeError(err, context);
  renderAlert(d, 'error');
  return d;
}

/** Shows a non-fatal warning (e.g. `onWarning` storage fallback). */
export function showWarning(err) {
  renderAlert(describeError(err, 'warning'), 'warn');
}

function renderAlert(d, kind) {
  const alert = $('alert');
  clearStatus();
  alert.replaceChildren();
  alert.classList.toggle('alert--warn', kind === 'warn');
  alert.dataset.code = d.code;
  const body = h('div', { class: 'alert__body' }, h('p', { class: 'alert__title' }, d.title));
  if (d.detail) body.append(h('p', { class: 'alert__detail' }, d.detail));
  if (d.list?.length) body.append(h('ul', { class: 'alert__list' }, d.list.map((t) => h('li', {}, t))));
  if (d.code) body.append(h('p', { class: 'alert__code' }, `Error code: ${d.code}`));
  alert.append(icon(kind), body);
}

export function clearError() {
  const alert = $('alert');
  alert.replaceChildren();
  delete alert.dataset.code;
  alert.classList.remove('alert--warn');
}

/** Announces a status message (polite). `tone`: 'ok' | 'info'. */
export function setStatus(text, tone = 'ok') {
  const s = $('status');
  s.classList.toggle('status--info', tone === 'info');
  s.textContent = text;
}

export function clearStatus() {
  $('status').textContent = '';
}

// ---------- busy buttons ----------

/**
 * Runs `fn` while `button` shows a spinner and the form's controls are disabled.
 * Errors are shown in the alert region (never left as unhandled rejections).
 */
export async function withBusy(button, busyLabel, fn, { errorContext } = {}) {
  const label = button.querySelector('.btn__label');
  const oldLabel = label?.textContent;
  const form = button.form ?? button.closest('form, section');
  const controls = form ? [...form.querySelectorAll('button, input')] : [button];
  const wasDisabled = controls.map((c) => c.disabled);
  controls.forEach((c) => {
    c.disabled = true;
  });
  button.setAttribute('aria-busy', 'true');
  const spinner = h('span', { class: 'spinner', 'aria-hidden': 'true' });
  button.prepend(spinner);
  if (label && busyLabel) label.textContent = busyLabel;
  try {
    return await fn();
  } catch (err) {
    showError(err, errorContext);
    return undefined;
  } finally {
    spinner.remove();
    if (label && oldLabel != null) label.textContent = oldLabel;
    button.removeAttribute('aria-busy');
    controls.forEach((c, i) => {
      if (c.isConnected) c.disabled = wasDisabled[i];
    });
  }
}

// ---------- formatting ----------

/** A short, safe preview of a secret: the first 8 characters then dots. Never the whole value. */
export function mask(secret) {
  if (typeof secret !== 'string' || secret.length === 0) return '—';
  const n = Math.min(8, Math.floor(secret.length / 4));
  return `${secret.slice(0, n)}••••••••`;
}

/** "1:02:05" / "4:09" / "expired" for a remaining number of milliseconds. */
export function formatCountdown(ms) {
  if (!Number.isFinite(ms)) return '—';
  if (ms <= 0) return 'now';
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n) => String(n).padStart(2, '0');
  if (hours >= 48) return `${Math.floor(hours / 24)} days`;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "14:03:07" */
export function formatTime(ms) {
  return timeFmt.format(new Date(ms));
}

/** "at 14:03:07" today, "on 12 Mar, 14:03" otherwise. */
export function formatAt(ms) {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay ? `at ${timeFmt.format(d)}` : `on ${dateTimeFmt.format(d)}`;
}

/** Accepts a ms epoch number, a numeric string, or an ISO date; returns ms or NaN. */
export function toMs(v) {
  if (typeof v === 'number') return v;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') return /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return NaN;
}

export function initials(name, email) {
  const src = (name || email || '?').trim();
  const parts = src.split(/[\s@._-]+/).filter(Boolean);
  const chars = parts.length >= 2 ? parts[0][0] + parts[1][0] : src.slice(0, 2);
  return chars.toUpperCase();
}

// ---------- small widgets ----------

/** Show/hide-password buttons: `<button data-reveal="input-id">`. */
export function wireRevealButtons(root = document) {
  for (const btn of root.querySelectorAll('[data-reveal]')) {
    btn.addEventListener('click', () => {
      const input = $(btn.dataset.reveal);
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      btn.textContent = show ? 'Hide' : 'Show';
      btn.setAttribute('aria-pressed', String(show));
      btn.setAttribute('aria-label', show ? 'Hide password' : 'Show password');
      input.focus();
    });
  }
}

/** WAI-ARIA tabs with roving tabindex and arrow keys. Calls `onSelect(tabEl)`. */
export function wireTabs(tablist, onSelect) {
  const tabs = [...tablist.querySelectorAll('[role="tab"]')];
  const select = (tab, focus) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (focus) tab.focus();
    onSelect?.(tab);
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab, false));
    tab.addEventListener('keydown', (e) => {
      let next = null;
      if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
      else if (e.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
      else if (e.key === 'Home') next = tabs[0];
      else if (e.key === 'End') next = tabs[tabs.length - 1];
      if (next) {
        e.preventDefault();
        select(next, true);
      }
    });
  });
  return { select: (id, focus = false) => select($(id), focus) };
}

/** Shows a problem that is not an AuthError (form validation, a demo-helper call that failed). */
export function showProblem(title, detail, code = 'form') {
  renderAlert({ code, title, detail }, 'error');
}

// ---------- views of the member-portal panel ----------

let currentView = 'loading';

/** The name of the visible view: loading | signin | totp | reset | forgot | sent | session. */
export function activeView() {
  return currentView;
}

/**
 * Shows one `[data-view]` of the member-portal panel and hides the others.
 * `focus`: 'heading' (moves focus to the view's heading), an element id, or false.
 */
export function showView(name, { focus = false } = {}) {
  currentView = name;
  for (const v of document.querySelectorAll('#panel-nexudus [data-view]')) {
    v.hidden = v.dataset.view !== name;
  }
  document.body.dataset.view = name;
  if (focus === 'heading') {
    const view = document.querySelector(`#panel-nexudus [data-view="${name}"]`);
    view?.querySelector('[tabindex="-1"]')?.focus();
  } else if (typeof focus === 'string') {
    document.getElementById(focus)?.focus();
  }
}
