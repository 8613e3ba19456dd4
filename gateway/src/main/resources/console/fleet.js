// The fleet: the gateway nodes sharing the control state, each with its last heartbeat, and the
// last control changes with the nodes that acknowledged (applied) each and those that did not.
import { ago, h, time } from './dom.js';

export function fleetSection(fleet) {
  const single = fleet.mode === 'single';
  return h('section', { id: 'fleet' },
    h('h2', null, 'Fleet'),
    h('p', { class: 'muted' }, single
      ? 'One node on its own journal: every change applies here once it is durable.'
      : `Nodes sharing ${fleet.store}${fleet.reachable ? '' : ': the shared store cannot be reached now'}.`),
    h('table', { id: 'fleet-nodes', class: 'fleet' },
      h('thead', null, h('tr', null, h('th', null, 'Node'), h('th', null, 'Last heartbeat'))),
      h('tbody', null, fleet.nodes.map((n) => h('tr', { 'data-node': n.node },
        h('td', null, n.node, n.self ? h('span', { class: 'badge self' }, 'this node') : null),
        h('td', { class: 'heartbeat' }, n.lastHeartbeat ? `${time(n.lastHeartbeat)} (${ago(n.lastHeartbeat)})` : 'alive (no time given)'))))),
    single ? null : h('div', null,
      h('h3', null, 'Last changes'),
      fleet.changes.length
        ? h('table', { id: 'fleet-changes', class: 'fleet' },
          h('thead', null, h('tr', null, h('th', null, 'When'), h('th', null, 'Change'), h('th', null, 'By'),
            h('th', null, 'Made on'), h('th', null, 'Acknowledged by'), h('th', null, 'Not acknowledged by'))),
          h('tbody', null, fleet.changes.map((c) => h('tr', { 'data-change': c.id },
            h('td', null, time(c.at)), h('td', { class: 'kind' }, `${c.kind} ${c.subject || ''}`), h('td', null, c.operator || '-'),
            h('td', null, c.origin || '-'),
            h('td', { class: 'acknowledged' }, c.acknowledged.map((a) => a.node).join(', ') || 'none'),
            h('td', { class: c.missing.length ? 'missing error' : 'missing' }, c.missing.join(', ') || 'none')))))
        : h('p', { class: 'muted' }, 'No change recorded by the fleet yet.')));
}
