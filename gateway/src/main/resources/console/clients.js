// A vendor's clients and certificates as this gateway node has seen them: client id, SHA-256
// fingerprint, first and last seen, connections; per row, revoking that client's tokens and, after
// a breach cut-off, enrolling the certificate again.
import { post } from './api.js';
import { act } from './app.js';
import { ago, h, time } from './dom.js';

export function clientsPanel(v, answer, allowed) {
  const rows = answer.clients.map((c) => h('tr', { 'data-sha256': c.sha256 },
    h('td', { class: 'client-id' }, c.clientId),
    h('td', { class: 'fingerprint', title: 'SHA-256 of the certificate' }, c.sha256),
    h('td', { class: 'first-seen', title: time(c.firstSeen) }, time(c.firstSeen)),
    h('td', { class: 'last-seen', title: time(c.lastSeen) }, c.open > 0 ? `connected now (${c.open})` : ago(c.lastSeen)),
    h('td', { class: 'connections' }, String(c.connections)),
    h('td', { class: 'expires' }, time(c.notAfter)),
    h('td', null,
      h('button', { type: 'button', class: 'danger', disabled: !allowed, title: allowed ? "revoke this client's tokens" : 'needs the operator role',
        onclick: allowed ? () => act({ title: `Revoke the tokens of ${c.clientId}`, confirm: 'Revoke',
          text: 'Every token issued to this client until now is refused.',
          call: (reason) => post('/admin/revocations', { kind: 'client', subject: c.clientId, reason }),
          describe: (r) => `Revoked ${r.kind} ${r.subject} at ${time(r.revokedAt)}.` }) : null }, 'Revoke tokens'),
      v.credentialCutoff ? h('button', { type: 'button', disabled: !allowed, title: allowed ? 'admit this certificate despite the cut-off' : 'needs the operator role',
        onclick: allowed ? () => act({ title: `Enroll certificate ${c.sha256.slice(0, 16)}...`, confirm: 'Enroll',
          text: 'This certificate is admitted again despite the credential cut-off.',
          call: (reason) => post(`/admin/vendors/${v.id}/enroll`, { sha256: c.sha256, reason }),
          describe: (r) => `Enrolled ${r.sha256.slice(0, 16)}... at ${time(r.enrolledAt)}.` }) : null }, 'Enroll') : null)));
  return h('div', { class: 'panel' }, h('h3', null, 'Clients and certificates'),
    h('p', { class: 'muted' }, `As seen by node ${answer.node} since it started, most recent first`
      + `${answer.full ? ` (only the ${answer.limit} most recently seen are kept)` : ''}.`),
    rows.length
      ? h('table', { id: 'clients', class: 'clients' },
        h('thead', null, h('tr', null, h('th', null, 'Client'), h('th', null, 'Certificate SHA-256'), h('th', null, 'First seen'),
          h('th', null, 'Last seen'), h('th', null, 'Connections'), h('th', null, 'Expires'), h('th', null, 'Action'))),
        h('tbody', null, rows))
      : h('p', { id: 'clients-none', class: 'muted' }, 'No client of this vendor has connected to this node.'));
}
