// The console's shell: who is signed in, which view is shown (#/, #/vendor/ID, #/policy), the
// poll that refreshes it every few seconds, and the action dialog every change goes through.
import { get, post } from './api.js';
import { h } from './dom.js';
import { renderVendors } from './vendors.js';
import { renderVendor } from './vendor.js';
import { renderPolicy } from './policy.js';

const POLL_MILLIS = 3000;
const main = document.getElementById('main');
const session = { operator: null, role: 'viewer', reachable: true, lastPoll: null };

export function may(role) {
  const order = ['viewer', 'operator', 'admin'];
  return order.indexOf(session.role) >= order.indexOf(role);
}

function view() {
  const hash = location.hash || '#/';
  const vendor = hash.match(/^#\/vendor\/([a-z0-9][a-z0-9._-]{0,62})$/);
  if (vendor) return { name: 'vendor', id: vendor[1] };
  if (hash === '#/policy') return { name: 'policy' };
  return { name: 'vendors' };
}

async function refresh() {
  const current = view();
  try {
    let content;
    if (current.name === 'vendor') content = await renderVendor(current.id, session);
    else if (current.name === 'policy') content = await renderPolicy(session);
    else content = await renderVendors(session);
    if (view().name !== current.name) return; // the view changed while loading
    keepInputs(content);
    main.replaceChildren(content);
    reachable(true);
  } catch (e) {
    if (e.status) {
      // the gateway answered, with a refusal: show it, it is not unreachable
      main.replaceChildren(h('p', { class: 'error' }, e.message));
      reachable(true);
    } else {
      reachable(false);
    }
  }
}

/** Carries over what the operator is typing in a view's fields across a refresh. */
function keepInputs(next) {
  for (const input of main.querySelectorAll('input[id], select[id]')) {
    const same = next.querySelector(`#${CSS.escape(input.id)}`);
    if (same && same.tagName === input.tagName) same.value = input.value;
  }
}

function reachable(ok) {
  session.reachable = ok;
  if (ok) session.lastPoll = new Date();
  document.getElementById('unreachable').hidden = ok;
  const state = document.getElementById('connection');
  state.textContent = ok ? `live, updated ${session.lastPoll.toLocaleTimeString()}` : 'gateway unreachable';
  state.className = ok ? 'connection ok' : 'connection down';
}

/**
 * Asks for a reason (and a mode, for suspensions), calls the API, shows what it answered.
 * options: { title, text, mode: boolean, confirm, call: (reason, mode) => Promise<json>, describe: json => text }
 */
export function act(options) {
  const dialog = document.getElementById('dialog');
  const reason = document.getElementById('dialog-reason');
  const error = document.getElementById('dialog-error');
  const confirm = document.getElementById('dialog-confirm');
  document.getElementById('dialog-title').textContent = options.title;
  document.getElementById('dialog-text').textContent = options.text || '';
  document.getElementById('dialog-mode-label').hidden = !options.mode;
  document.getElementById('dialog-mode').value = 'sever';
  confirm.textContent = options.confirm || 'Confirm';
  reason.value = '';
  error.hidden = true;
  dialog.hidden = false;
  reason.focus();
  const close = () => { dialog.hidden = true; confirm.onclick = null; };
  document.getElementById('dialog-cancel').onclick = close;
  confirm.onclick = async () => {
    if (!reason.value.trim()) {
      error.textContent = 'A reason is required: it goes into the audit trail.';
      error.hidden = false;
      return;
    }
    confirm.disabled = true;
    try {
      const json = await options.call(reason.value.trim(), document.getElementById('dialog-mode').value);
      close();
      showResult(options.describe ? options.describe(json) : 'Done.', false);
      refresh();
    } catch (e) {
      error.textContent = e.status ? e.message : 'The gateway could not be reached; nothing was changed by this page.';
      error.hidden = false;
    } finally {
      confirm.disabled = false;
    }
  };
}

export function showResult(text, failed) {
  const box = document.getElementById('result');
  box.replaceChildren(h('span', null, text), h('button', { type: 'button', class: 'link', onclick: () => { box.hidden = true; } }, 'dismiss'));
  box.className = failed ? 'result failed' : 'result';
  box.hidden = false;
}

export { get, post };

async function start() {
  try {
    const me = await get('/admin/whoami');
    session.operator = me.operator;
    session.role = me.role;
    document.getElementById('who').textContent = `${me.operator} (${me.role})`;
  } catch (e) {
    document.getElementById('who').textContent = e.status ? e.message : 'not signed in';
  }
  window.addEventListener('hashchange', refresh);
  await refresh();
  setInterval(refresh, POLL_MILLIS);
}

start();
