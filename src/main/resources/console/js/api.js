// The console's only connection to Glint: the three public APIs (identity, image, compute),
// called with the user's token. The session (token, catalog, project) lives in sessionStorage
// only, so it ends with the tab.

const STORE_KEY = 'glint.console.session';

/** An API call that failed, with the message taken from the API's own fault body. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * The message of a fault body in any of the three formats: Nova {"itemNotFound": {"message"}},
 * Keystone {"error": {"message"}}, Glance (webob) {"message": "explanation<br /><br />\ndetail"}
 * or its plain-text page.
 */
export function faultMessage(status, text) {
  let message = '';
  try {
    const body = JSON.parse(text);
    if (body && typeof body.message === 'string') {
      message = body.message;
    } else if (body && body.error && typeof body.error.message === 'string') {
      message = body.error.message;
    } else if (body && typeof body === 'object') {
      const inner = Object.values(body)[0];
      if (inner && typeof inner.message === 'string') message = inner.message;
    }
  } catch {
    // Plain text (Glance without Accept): "404 Not Found\n\nexplanation\ndetail".
    const lines = String(text || '').split('\n').map((l) => l.trim()).filter(Boolean);
    message = lines.length > 1 ? lines.slice(1).join(' ') : lines.join(' ');
  }
  message = message.split('<br />').map((s) => s.trim()).filter(Boolean).join(' ');
  return message || `The request failed with HTTP status ${status}.`;
}

export class Session {
  constructor(data) {
    Object.assign(this, data);
  }

  static load() {
    const raw = sessionStorage.getItem(STORE_KEY);
    if (!raw) return null;
    try {
      const s = new Session(JSON.parse(raw));
      if (!s.token || new Date(s.expiresAt).getTime() <= Date.now()) {
        sessionStorage.removeItem(STORE_KEY);
        return null;
      }
      return s;
    } catch {
      sessionStorage.removeItem(STORE_KEY);
      return null;
    }
  }

  save() {
    sessionStorage.setItem(STORE_KEY, JSON.stringify(this));
  }

  static clear() {
    sessionStorage.removeItem(STORE_KEY);
  }

  get isAdmin() {
    return (this.roles || []).includes('admin');
  }

  /** The public URL of a service type from the token's catalog. */
  endpoint(type) {
    const service = (this.catalog || []).find((s) => s.type === type);
    const ep = service && service.endpoints.find((e) => e.interface === 'public');
    if (!ep) throw new ApiError(0, `The service catalog has no public ${type} endpoint.`);
    return ep.url.replace(/\/+$/, '');
  }

  get imageUrl() {
    return this.endpoint('image');
  }

  get computeUrl() {
    return this.endpoint('compute');
  }
}

/** fetch with a readable error for network and CORS failures. */
async function send(url, init) {
  try {
    return await fetch(url, init);
  } catch {
    const origin = new URL(url, location.href).origin;
    throw new ApiError(
      0,
      `Could not reach ${origin}. Is Glint running, and does it allow this page's origin ` +
        `(${location.origin})? Open the console at the URL "glint serve" prints, or add this ` +
        'origin to cors.allowed.origins.');
  }
}

async function check(response) {
  if (response.ok) return response;
  const text = await response.text();
  throw new ApiError(response.status, faultMessage(response.status, text));
}

/**
 * Where the identity service is, before anyone has logged in: the image API names it in the
 * WWW-Authenticate header of its 401 (keystonemiddleware's "Keystone uri=...").
 */
export async function discoverIdentity() {
  try {
    const r = await fetch('../v2/images?limit=1', {headers: {Accept: 'application/json'}});
    const m = /uri="([^"]+)"/.exec(r.headers.get('WWW-Authenticate') || '');
    if (m) return m[1].replace(/\/v3\/?$/, '').replace(/\/+$/, '');
  } catch {
    // fall through to the classic port
  }
  return `${location.protocol}//${location.hostname}:5000`;
}

function tokenSession(identityUrl, token, body, issued) {
  const t = body.token;
  return new Session({
    identityUrl,
    token,
    issued: [...issued, token],
    expiresAt: t.expires_at,
    user: {id: t.user.id, name: t.user.name, domain: t.user.domain && t.user.domain.name},
    project: t.project ? {id: t.project.id, name: t.project.name} : null,
    roles: (t.roles || []).map((r) => r.name),
    catalog: (t.catalog || []).map((s) => ({
      type: s.type,
      endpoints: (s.endpoints || []).map((e) => ({interface: e.interface, url: e.url})),
    })),
  });
}

async function issue(identityUrl, auth, issued) {
  const r = await check(
    await send(`${identityUrl}/v3/auth/tokens`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', Accept: 'application/json'},
      body: JSON.stringify({auth}),
    }));
  const token = r.headers.get('X-Subject-Token');
  if (!token) {
    throw new ApiError(0, 'The identity service did not expose X-Subject-Token to this page (CORS).');
  }
  return tokenSession(identityUrl, token, await r.json(), issued);
}

/** POST /v3/auth/tokens with a password, scoped to a project by name. */
export function login(identityUrl, {user, password, project, domain}) {
  return issue(
    identityUrl,
    {
      identity: {methods: ['password'], password: {user: {name: user, domain: {name: domain}, password}}},
      scope: {project: {name: project, domain: {name: domain}}},
    },
    []);
}

/** A new token for another project, from the current one (Keystone's token method). */
export function rescope(session, projectId) {
  return issue(
    session.identityUrl,
    {identity: {methods: ['token'], token: {id: session.token}}, scope: {project: {id: projectId}}},
    session.issued || []);
}

/** An authenticated call; JSON in and out unless told otherwise. */
export async function call(session, url, {method = 'GET', body, type, headers = {}} = {}) {
  const init = {method, headers: {'X-Auth-Token': session.token, Accept: 'application/json', ...headers}};
  if (body !== undefined) {
    init.headers['Content-Type'] = type || 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const r = await check(await send(url, init));
  if (r.status === 204 || method === 'HEAD') return null;
  const text = await r.text();
  return text ? JSON.parse(text) : null;
}

export function projects(session) {
  return call(session, `${session.identityUrl}/v3/auth/projects`);
}

/** Revokes every token this tab was given (the login's and each project switch's). */
export async function logout(session) {
  for (const token of session.issued || [session.token]) {
    try {
      await send(`${session.identityUrl}/v3/auth/tokens`, {
        method: 'DELETE',
        headers: {'X-Auth-Token': session.token, 'X-Subject-Token': token},
      });
    } catch {
      // Already gone or unreachable: the session ends here either way.
    }
  }
  Session.clear();
}

/**
 * PUT the file's bytes. XMLHttpRequest with the File itself as the body: the browser streams it
 * from disk and reports progress; nothing reads it into memory.
 */
export function upload(session, imageId, file, onProgress) {
  const xhr = new XMLHttpRequest();
  const done = new Promise((resolve, reject) => {
    xhr.open('PUT', `${session.imageUrl}/v2/images/${encodeURIComponent(imageId)}/file`);
    xhr.setRequestHeader('X-Auth-Token', session.token);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve()
        : reject(new ApiError(xhr.status, faultMessage(xhr.status, xhr.responseText)));
    xhr.onerror = () => reject(new ApiError(0, 'The upload was interrupted (network error).'));
    xhr.onabort = () => reject(new ApiError(0, 'Upload cancelled.'));
    xhr.send(file);
  });
  return {done, abort: () => xhr.abort()};
}

/** The image's data as a Response, for the download to stream or save. */
export async function download(session, imageId) {
  return check(
    await send(`${session.imageUrl}/v2/images/${encodeURIComponent(imageId)}/file`, {
      headers: {'X-Auth-Token': session.token},
    }));
}
