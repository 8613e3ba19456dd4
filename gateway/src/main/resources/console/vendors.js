// The vendors table: status, connections and streams, requests per second, bytes today against
// each quota, last seen, and the suspend/resume switch per vendor and for all of them.
import { get, post } from './api.js';
import { act, may } from './app.js';
import { ago, bytes, h, time } from './dom.js';

export async function renderVendors(session) {
  const [list, status] = await Promise.all([get('/admin/vendors'), get('/admin/status')]);
  const global = status.global || {};
  return h('section', { id: 'vendors-view' },
    globalSwitch(global),
    h('table', { id: 'vendors', class: 'vendors' },
      h('thead', null, h('tr', null,
        h('th', null, 'Vendor'), h('th', null, 'Status'), h('th', null, 'Connections / streams'),
        h('th', null, 'Requests/s'), h('th', null, 'Bytes today'), h('th', null, 'Last seen'), h('th', null, 'Action'))),
      h('tbody', null, list.vendors.map(row))));
}

function globalSwitch(global) {
  const suspended = !!global.suspended;
  const s = global.suspension || {};
  return h('div', { class: suspended ? 'global suspended' : 'global' },
    h('strong', null, suspended ? 'All vendors suspended' : 'Global switch: all vendors may connect'),
    suspended ? h('span', { class: 'muted' }, ` since ${time(s.since)} by ${s.operator}: ${s.reason}`) : null,
    suspended
      ? button('resume-all', 'Resume all', 'admin', false, () => act({
          title: 'Resume every vendor', confirm: 'Resume all',
          call: (reason) => post('/admin/resume-all', { reason }), describe: () => 'Global suspension lifted.' }))
      : button('suspend-all', 'Suspend all vendors', 'admin', true, () => act({
          title: 'Suspend every vendor', mode: true, confirm: 'Suspend all',
          text: 'Every vendor is refused until the global switch is resumed.',
          call: (reason, mode) => post('/admin/suspend-all', { reason, mode }), describe: describeSuspend })));
}

function row(v) {
  const suspended = v.status === 'suspended' || v.status === 'read-only';
  return h('tr', { 'data-vendor': v.id, class: `status-${v.status}` },
    h('td', null, h('a', { href: `#/vendor/${v.id}` }, v.id), v.name && v.name !== v.id ? h('div', { class: 'muted' }, v.name) : null),
    h('td', { class: 'status' }, statusCell(v)),
    h('td', { class: 'connections' }, `${v.connections} / ${v.inFlight}`),
    h('td', { class: 'rate' }, (v.traffic ? v.traffic.requestsPerSecond : 0).toFixed(2)),
    h('td', { class: 'quota' }, quotaBar('out', v.usage.bytesOut), quotaBar('in', v.usage.bytesIn)),
    h('td', { class: 'last-seen' }, v.traffic && v.traffic.lastSeen ? ago(v.traffic.lastSeen) : 'not since start'),
    h('td', { class: 'action' }, suspended || v.policyStatus === 'suspended'
      ? button(`resume-${v.id}`, 'Resume', 'operator', false, () => resume(v))
      : button(`suspend-${v.id}`, 'Suspend', 'operator', true, () => suspend(v)),
    v.probation ? button(`end-probation-${v.id}`, 'End probation', 'operator', false, () => endProbation(v)) : null));
}

/** Full access again after a breach; the API refuses it to the operator who resumed the vendor (two people). */
function endProbation(v) {
  act({ title: `End the probation of ${v.id}`, confirm: 'End probation',
    text: `On probation since ${time(v.probation.since)}, resumed by ${v.probation.operator}; another operator must end it.`,
    call: (reason) => post(`/admin/vendors/${v.id}/end-probation`, { reason }),
    describe: (r) => `${r.vendor} is ${r.status}.` });
}

export function statusCell(v) {
  const parts = [h('span', { class: `badge ${v.status}` }, v.status)];
  if (v.suspension) {
    const s = v.suspension;
    parts.push(h('div', { class: 'detail' }, `${s.reason} (${s.operator}, ${time(s.since)}`
      + `${s.until ? `, until ${time(s.until)}` : ''}${s.mode ? `, ${s.mode}` : ''})`));
  }
  if (v.probation) parts.push(h('div', { class: 'detail' }, `on probation since ${time(v.probation.since)}`));
  if (v.globalSuspension && !v.suspension) parts.push(h('div', { class: 'detail' }, 'global switch on'));
  if (v.tripwire) {
    const t = v.tripwire;
    parts.push(h('span', { class: 'badge tripped' }, 'tripped'));
    parts.push(h('div', { class: 'detail tripped' }, `tripwire ${t.rule} (${t.kind}) ${t.action} at ${time(t.at)}: ${t.reason}`));
  }
  return parts;
}

function quotaBar(direction, usage) {
  const limit = usage.limit || 0;
  const share = limit > 0 ? Math.min(1, usage.used / limit) : 0;
  const fill = h('span', { class: share >= 0.9 ? 'fill high' : 'fill' });
  fill.style.width = `${Math.round(share * 100)}%`;
  return h('div', { class: 'quota-line', title: `resets at ${time(usage.resetsAt)}` },
    h('span', { class: 'direction' }, direction),
    h('span', { class: 'bar' }, fill),
    h('span', { class: 'figure' }, limit > 0 ? `${bytes(usage.used)} / ${bytes(limit)}` : `${bytes(usage.used)} (no quota)`));
}

function button(id, label, role, danger, onclick) {
  const allowed = may(role);
  return h('button', { type: 'button', id, class: danger ? 'danger' : '', disabled: !allowed,
    title: allowed ? null : `needs the ${role} role`, onclick: allowed ? onclick : null }, label);
}

export function suspend(v) {
  act({ title: `Suspend ${v.id}`, mode: true, confirm: 'Suspend',
    text: 'The vendor is refused until resumed; sever closes its open connections now.',
    call: (reason, mode) => post(`/admin/vendors/${v.id}/suspend`, { reason, mode }), describe: describeSuspend });
}

export function resume(v) {
  act({ title: `Resume ${v.id}`, confirm: 'Resume',
    call: (reason) => post(`/admin/vendors/${v.id}/resume`, { reason }),
    describe: (r) => `${r.vendor} is ${r.status}${r.probation ? ' (on probation)' : ''}.` });
}

export function describeSuspend(r) {
  const who = r.vendor === '*' ? 'Every vendor' : r.vendor;
  let text = `${who} is ${r.status} (${r.mode}): closed ${r.closed.connections} connection(s) and ${r.closed.requests} request(s).`;
  if (r.nodes) {
    text += ` Nodes acknowledged: ${(r.nodes.acknowledged || []).join(', ') || 'none'}`;
    if (r.nodes.missing && r.nodes.missing.length) text += `; missing: ${r.nodes.missing.join(', ')}`;
    text += '.';
  }
  return text;
}
