// The gateway as a whole: running policy (hash, last reload, reload action), the control store
// the fleet shares, the fleet's nodes and acknowledgements, and the audit trail's state.
import { get, post } from './api.js';
import { act, may } from './app.js';
import { h, time } from './dom.js';
import { fleetSection } from './fleet.js';

export async function renderPolicy() {
  const [s, fleet] = await Promise.all([get('/admin/status'), get('/admin/fleet')]);
  const allowed = may('admin');
  const row = (label, value) => h('tr', null, h('th', null, label), h('td', null, value === null || value === undefined ? '-' : String(value)));
  return h('section', { id: 'policy-view' },
    h('h2', null, 'Gateway'),
    h('table', { class: 'facts-table' },
      row('Version', s.gateway.version), row('Started', time(s.gateway.startedAt)),
      row('Transport / TLS', `${s.gateway.transport} / ${s.gateway.tls}`), row('Draining', s.gateway.draining),
      row('Connections / in flight', `${s.connections} / ${s.inFlight}`)),
    h('h2', null, 'Policy'),
    h('table', { class: 'facts-table' },
      row('Source', s.policy.source), row('SHA-256', s.policy.sha256), row('Loaded', time(s.policy.loadedAt)),
      row('Last reload', s.policy.lastReload || 'none since start'),
      row('Vendors / routes / upstreams', `${s.policy.vendors} / ${s.policy.routes} / ${s.policy.upstreams}`)),
    h('p', null, h('button', { type: 'button', id: 'reload', disabled: !allowed, title: allowed ? null : 'needs the admin role',
      onclick: allowed ? () => act({ title: 'Reload the policy file', confirm: 'Reload',
        text: 'The file is checked first; a policy with errors is refused and the running one stays.',
        call: (reason) => post('/admin/policy/reload', { reason }),
        describe: (r) => `Policy ${r.sha256.slice(0, 12)} applied: ${r.changes.length ? r.changes.join('; ') : 'no changes'}.` }) : null },
    'Reload policy')),
    h('h2', null, 'Control state'),
    h('table', { class: 'facts-table' },
      row('Store', s.controlStore.location), row('Healthy', s.controlStore.healthy)),
    fleetSection(fleet),
    s.audit ? h('div', null, h('h2', null, 'Audit trail'),
      h('table', { class: 'facts-table' },
        row('Folder', s.audit.dir), row('Healthy / accepting', `${s.audit.healthy} / ${s.audit.accepting}`),
        row('Written / queued / dropped', `${s.audit.written} / ${s.audit.queued} / ${s.audit.dropped}`),
        row('Head', s.audit.head ? `#${s.audit.head.seq} ${s.audit.head.hash}` : 'none'))) : null);
}
