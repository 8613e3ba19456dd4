// One vendor's page: its status and switch, traffic over the last hour or day as charts, its
// clients and certificates with first and last seen, the tokens issued to it and their
// revocation, and the audit report for a chosen window (downloadable as JSON or CSV).
import { get, post } from './api.js';
import { act, may } from './app.js';
import { lineChart } from './charts.js';
import { bytes, h, time } from './dom.js';
import { resume, statusCell, suspend } from './vendors.js';
import { clientsPanel } from './clients.js';

const windows = { hour: 'Last hour', day: 'Last day' };
let chosenWindow = 'hour';

export async function renderVendor(id) {
  const [v, traffic, clients, tokens] = await Promise.all([get(`/admin/vendors/${id}`),
    get(`/admin/vendors/${id}/traffic?window=${chosenWindow}`), get(`/admin/vendors/${id}/clients`),
    get(`/admin/vendors/${id}/tokens`)]);
  const suspended = v.status === 'suspended' || v.status === 'read-only';
  const allowed = may('operator');
  return h('section', { id: 'vendor-view', 'data-vendor': v.id },
    h('p', null, h('a', { href: '#/' }, 'All vendors')),
    h('h2', null, v.id, v.name && v.name !== v.id ? h('span', { class: 'muted' }, ` ${v.name}`) : null),
    h('div', { class: 'facts' },
      h('div', null, h('span', { class: 'label' }, 'Status'), statusCell(v)),
      h('div', null, h('span', { class: 'label' }, 'Connections / streams'), `${v.connections} / ${v.inFlight}`),
      h('div', null, h('span', { class: 'label' }, 'Requests/s now'), v.traffic.requestsPerSecond.toFixed(2)),
      h('div', null, h('span', { class: 'label' }, 'Bytes today'),
        `out ${bytes(v.usage.bytesOut.used)}, in ${bytes(v.usage.bytesIn.used)}`),
      h('div', null, h('span', { class: 'label' }, 'Credential cut-off'), v.credentialCutoff ? time(v.credentialCutoff) : 'none'),
      h('div', null, h('span', { class: 'label' }, 'Routes'), v.routes.join(', '))),
    h('p', null, h('button', { type: 'button', id: suspended ? `resume-${v.id}` : `suspend-${v.id}`,
      class: suspended ? '' : 'danger', disabled: !allowed, title: allowed ? null : 'needs the operator role',
      onclick: allowed ? () => (suspended ? resume(v) : suspend(v)) : null }, suspended ? 'Resume' : 'Suspend')),
    h('h3', null, 'Traffic ', Object.entries(windows).map(([key, label]) => h('button', {
      type: 'button', class: key === chosenWindow ? 'tab chosen' : 'tab', id: `window-${key}`,
      onclick: () => { chosenWindow = key; window.dispatchEvent(new HashChangeEvent('hashchange')); } }, label))),
    charts(traffic),
    clientsPanel(v, clients, allowed),
    revokeForm(v, tokens, allowed),
    reportForm(v));
}

function charts(traffic) {
  const times = traffic.points.map((p) => new Date(p.start));
  const reasons = [...new Set(traffic.points.flatMap((p) => Object.keys(p.refusals)))].sort();
  const count = (n) => String(Math.round(n));
  return h('div', { class: 'charts' },
    lineChart(`Requests per ${traffic.slotSeconds / 60} min`, times, [{ name: 'requests', values: traffic.points.map((p) => p.requests) }], count),
    lineChart('Bytes', times, [
      { name: 'out (to the vendor)', values: traffic.points.map((p) => p.bytesOut) },
      { name: 'in (from the vendor)', values: traffic.points.map((p) => p.bytesIn) }], bytes),
    lineChart('Refusals by reason', times, reasons.length
      ? reasons.map((r) => ({ name: r, values: traffic.points.map((p) => p.refusals[r] || 0) }))
      : [{ name: 'none', values: traffic.points.map(() => 0) }], count));
}

function revokeForm(v, tokens, allowed) {
  const kind = h('select', { id: 'revoke-kind', disabled: !allowed },
    h('option', { value: 'token' }, 'one token (jti)'), h('option', { value: 'client' }, "a client's tokens"),
    h('option', { value: 'vendor' }, "all this vendor's tokens"));
  const subject = h('input', { id: 'revoke-subject', type: 'text', placeholder: 'token id or client id', disabled: !allowed });
  return h('div', { class: 'panel' }, h('h3', null, 'Tokens'),
    tokensTable(tokens, allowed),
    h('p', { class: 'muted' }, 'Or revoke by token id, client or vendor (every token issued to it until now):'),
    kind, subject,
    h('button', { type: 'button', id: 'revoke', class: 'danger', disabled: !allowed, onclick: allowed ? () => {
      const body = { kind: kind.value, subject: kind.value === 'vendor' ? v.id : subject.value.trim() };
      act({ title: `Revoke ${body.kind} ${body.subject}`, confirm: 'Revoke',
        call: (reason) => post('/admin/revocations', { ...body, reason }),
        describe: (r) => `Revoked ${r.kind} ${r.subject} at ${time(r.revokedAt)}.` });
    } : null }, 'Revoke'));
}

function tokensTable(answer, allowed) {
  if (!answer.tokens.length) {
    return h('p', { id: 'tokens-none', class: 'muted' }, `Node ${answer.node} has issued no token to this vendor since it started.`);
  }
  return h('div', null,
    h('p', { class: 'muted' }, `Issued by node ${answer.node} lately (the ${answer.limit} newest at most), newest first; ids only, never the token.`),
    h('table', { id: 'tokens', class: 'tokens' },
      h('thead', null, h('tr', null, h('th', null, 'Token id (jti)'), h('th', null, 'Client'), h('th', null, 'Scope'),
        h('th', null, 'Issued'), h('th', null, 'Expires'), h('th', null, 'Status'), h('th', null, 'Action'))),
      h('tbody', null, answer.tokens.map((t) => h('tr', { 'data-jti': t.jti },
        h('td', { class: 'fingerprint' }, t.jti), h('td', null, t.clientId), h('td', null, t.scope),
        h('td', null, time(t.issuedAt)), h('td', null, time(t.expiresAt)),
        h('td', { class: 'token-status' }, h('span', { class: `badge ${t.status === 'valid' ? 'active' : 'suspended'}` }, t.status)),
        h('td', null, t.status === 'valid' ? h('button', { type: 'button', class: 'danger', disabled: !allowed,
          title: allowed ? null : 'needs the operator role',
          onclick: allowed ? () => act({ title: `Revoke token ${t.jti}`, confirm: 'Revoke',
            call: (reason) => post('/admin/revocations', { kind: 'token', subject: t.jti, reason }),
            describe: (r) => `Revoked ${r.kind} ${r.subject} at ${time(r.revokedAt)}.` }) : null }, 'Revoke') : null))))));
}

function reportForm(v) {
  const since = h('input', { id: 'report-since', type: 'text', value: '24h', size: 24,
    title: 'a duration ago (1h, 2d), a date or a time' });
  const link = (format) => {
    const a = h('a', { id: `report-${format}`, href: '#', download: `${v.id}-report.${format}` }, format.toUpperCase());
    a.addEventListener('click', () => {
      a.href = `/v1/vendors/${v.id}/report?since=${encodeURIComponent(since.value.trim() || '24h')}&format=${format}`;
    });
    return a;
  };
  return h('div', { class: 'panel' }, h('h3', null, 'Audit report'),
    h('label', null, 'Since ', since), ' download: ', link('json'), ' ', link('csv'));
}
