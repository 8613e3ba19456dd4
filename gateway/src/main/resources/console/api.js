// Calls to the admin API from the page. The browser presents the operator's client certificate;
// every change carries the JSON content type and the X-Vendorgate-Request header, which no
// cross-site form can send (see docs/console.md, "Cross-site requests").

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function answer(response) {
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!response.ok) {
    throw new ApiError(response.status, json);
  }
  return json;
}

export async function get(path) {
  const response = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
  return answer(response);
}

export async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-Vendorgate-Request': '1' },
    body: JSON.stringify(body),
  });
  return answer(response);
}
