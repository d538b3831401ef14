// The Glint web console: login, project switch, the images table (filters, sorting, keyset
// paging), detail, upload, edit, sharing, actions, and the changes view. Every value from the
// APIs reaches the page as text (dom.js), never as markup.

import {h, fill, $, bytes, when} from './dom.js';
import * as api from './api.js';

/** Attributes Glance defines; everything else on an image is a user property. */
const BASE_ATTRIBUTES = new Set([
  'id', 'name', 'status', 'visibility', 'protected', 'os_hidden', 'checksum', 'os_hash_algo',
  'os_hash_value', 'owner', 'size', 'virtual_size', 'min_ram', 'min_disk', 'disk_format',
  'container_format', 'created_at', 'updated_at', 'tags', 'self', 'file', 'schema', 'direct_url',
  'locations', 'stores',
]);

const COLUMNS = [
  {key: 'name', label: 'Name', sort: 'name'},
  {key: 'status', label: 'Status', sort: 'status'},
  {key: 'visibility', label: 'Visibility'},
  {key: 'size', label: 'Size', sort: 'size'},
  {key: 'disk_format', label: 'Disk format', sort: 'disk_format'},
  {key: 'owner', label: 'Owner'},
  {key: 'created_at', label: 'Created', sort: 'created_at'},
  {key: 'updated_at', label: 'Updated', sort: 'updated_at'},
];

const state = {
  session: null,
  projects: [], // [{id, name}] the user may switch to
  allProjects: [], // every project, for admins (names of owners and members)
  markers: [], // markers of the pages before the current one (keyset paging backwards)
  marker: null, // marker of the current page (null: first page)
  next: null, // marker of the next page, when the page was full
  changesTimer: null,
  listSeq: 0, // the latest list request: an older answer arriving late is dropped
};

// ---------------------------------------------------------------- messages

function notify(message) {
  fill($('notice-text'), message);
  $('notice').hidden = false;
}

function clearNotice() {
  $('notice').hidden = true;
}

function announce(message) {
  fill($('status'), message);
}

/** Runs an action; a failure shows the API's own words, an expired token goes back to login. */
async function guard(action) {
  try {
    return await action();
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 401 && state.session) {
      api.Session.clear();
      state.session = null;
      showLogin();
      notify(`Your session has ended: ${e.message}`);
    } else {
      notify(e.message || String(e));
    }
    return undefined;
  }
}

// ---------------------------------------------------------------- views

function show(view) {
  for (const id of ['login-view', 'images-view', 'changes-view']) $(id).hidden = id !== view;
  $('nav-images').toggleAttribute('aria-current', view === 'images-view');
  $('nav-changes').toggleAttribute('aria-current', view === 'changes-view');
  if (view !== 'changes-view') stopChanges();
}

function showLogin() {
  $('nav').hidden = true;
  $('who').hidden = true;
  show('login-view');
  $('login-user').focus();
}

async function showConsole() {
  const s = state.session;
  $('nav').hidden = false;
  $('who').hidden = false;
  fill($('user-name'), `${s.user.name}${s.isAdmin ? ' (admin)' : ''}`);
  show('images-view');
  await guard(loadProjects);
  await guard(offerWebDownload);
  await loadImages();
}

// ---------------------------------------------------------------- login, projects, logout

async function onLogin(event) {
  event.preventDefault();
  clearNotice();
  const f = event.target;
  await guard(async () => {
    const session = await api.login(f.identity.value.replace(/\/+$/, ''), {
      user: f.user.value,
      password: f.password.value,
      project: f.project.value,
      domain: f.domain.value,
    });
    f.password.value = '';
    session.save();
    state.session = session;
    resetPaging();
    await showConsole();
    announce(`Logged in as ${session.user.name}, project ${session.project.name}.`);
  });
}

async function loadProjects() {
  const s = state.session;
  const body = await api.projects(s);
  state.projects = (body.projects || []).map((p) => ({id: p.id, name: p.name}));
  state.allProjects = [];
  if (!state.projects.some((p) => p.id === s.project.id)) state.projects.push(s.project);
  fill(
    $('project-select'),
    state.projects.map((p) => h('option', {value: p.id, selected: p.id === s.project.id}, p.name)));
  fill($('project-ids'), state.projects.map((p) => h('option', {value: p.id}, p.name)));
  if (s.isAdmin) {
    // Admins may list every project (for sharing); others get a 403 and keep their own.
    try {
      const all = await api.call(s, `${s.identityUrl}/v3/projects`);
      state.allProjects = (all.projects || []).map((p) => ({id: p.id, name: p.name}));
      fill($('project-ids'), state.allProjects.map((p) => h('option', {value: p.id}, p.name)));
    } catch {
      // not allowed here: the user types the project ID
    }
  }
}

async function onProjectChange(event) {
  const id = event.target.value;
  await guard(async () => {
    const session = await api.rescope(state.session, id);
    session.save();
    state.session = session;
    resetPaging();
    await showConsole();
    announce(`Switched to project ${session.project.name}.`);
  });
  // On failure the selector goes back to the project the token is still scoped to.
  if (state.session) $('project-select').value = state.session.project.id;
}

async function onLogout() {
  const s = state.session;
  state.session = null;
  stopChanges();
  if (s) await api.logout(s);
  fill($('images-body'));
  fill($('changes-body'));
  showLogin();
  announce('Logged out.');
}

/** A project's name when the user can know it (their own; every project for an admin). */
function projectName(id) {
  const p = state.projects.find((x) => x.id === id) || state.allProjects.find((x) => x.id === id);
  return p ? p.name : null;
}

// ---------------------------------------------------------------- images table

function resetPaging() {
  state.markers = [];
  state.marker = null;
  state.next = null;
}

/** The query of GET /v2/images from the filter form: every filter Glance has. */
function listQuery() {
  const f = $('filter-form');
  const q = new URLSearchParams();
  for (const el of f.elements) {
    if (!el.name || el.name === 'properties' || el.name === 'tag') continue;
    const v = el.value.trim();
    if (v) q.append(el.name, v);
  }
  for (const tag of f.tag.value.split(',').map((t) => t.trim()).filter(Boolean)) q.append('tag', tag);
  for (const line of f.properties.value.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) q.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  if (state.marker) q.set('marker', state.marker);
  return q;
}

function renderHead() {
  const f = $('filter-form');
  const key = f.sort_key.value;
  const dir = f.sort_dir.value;
  fill(
    $('images-head'),
    COLUMNS.map((c) => {
      if (!c.sort) return h('th', {scope: 'col'}, c.label);
      const active = c.sort === key;
      const sortState = active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none';
      return h(
        'th',
        {scope: 'col', 'aria-sort': sortState},
        h(
          'button',
          {
            type: 'button',
            class: 'sort',
            'aria-label': `Sort by ${c.label.toLowerCase()}`,
            dataset: {sort: c.sort},
            onclick: () => sortBy(c.sort),
          },
          c.label,
          active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''));
    }),
    h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')));
}

function sortBy(key) {
  const f = $('filter-form');
  if (f.sort_key.value === key) {
    f.sort_dir.value = f.sort_dir.value === 'asc' ? 'desc' : 'asc';
  } else {
    f.sort_key.value = key;
    f.sort_dir.value = key === 'name' ? 'asc' : 'desc';
  }
  resetPaging();
  loadImages();
}

async function loadImages() {
  renderHead();
  const table = $('images-table');
  table.setAttribute('aria-busy', 'true');
  const seq = ++state.listSeq;
  await guard(async () => {
    const s = state.session;
    const body = await api.call(s, `${s.imageUrl}/v2/images?${listQuery()}`);
    if (seq !== state.listSeq) return;
    const images = body.images || [];
    state.next = body.next ? new URLSearchParams(body.next.split('?')[1] || '').get('marker') : null;
    fill($('images-body'), images.length ? images.map(imageRow) : h('tr', {}, h('td', {colspan: COLUMNS.length + 1, class: 'muted'}, 'No images match.')));
    $('prev-page').disabled = state.markers.length === 0 && !state.marker;
    $('next-page').disabled = !state.next;
    const page = state.markers.length + (state.marker ? 2 : 1);
    fill($('page-info'), `Page ${page} · ${images.length} image${images.length === 1 ? '' : 's'}`);
  });
  if (seq === state.listSeq) table.setAttribute('aria-busy', 'false');
}

function imageRow(img) {
  const owner = projectName(img.owner);
  const cells = {
    name: h('button', {type: 'button', class: 'link', 'aria-label': `Details of ${img.name || img.id}`, onclick: () => openDetail(img.id)}, img.name || img.id),
    status: h('span', {class: `badge status-${img.status}`}, img.status),
    visibility: img.visibility,
    size: bytes(img.size),
    disk_format: img.disk_format || '—',
    owner: h('span', {title: img.owner || ''}, owner || short(img.owner)),
    created_at: when(img.created_at),
    updated_at: when(img.updated_at),
  };
  return h(
    'tr',
    {dataset: {id: img.id}},
    COLUMNS.map((c) => h('td', {dataset: {label: c.label}, class: `col-${c.key}`}, cells[c.key])),
    h('td', {class: 'row-actions'}, h('button', {type: 'button', onclick: () => openDetail(img.id), 'aria-label': `Open ${img.name || img.id}`}, 'Open')));
}

function short(id) {
  return id ? `${id.slice(0, 8)}…` : '—';
}

// ---------------------------------------------------------------- detail

async function getImage(id) {
  const s = state.session;
  return api.call(s, `${s.imageUrl}/v2/images/${encodeURIComponent(id)}`);
}

async function openDetail(id) {
  await guard(async () => {
    const img = await getImage(id);
    await renderDetail(img);
    const d = $('detail-dialog');
    if (!d.open) d.showModal();
  });
}

async function renderDetail(img) {
  const s = state.session;
  const mine = img.owner === s.project.id;
  fill($('detail-title'), img.name || img.id);
  const rows = [
    ['ID', img.id], ['Status', img.status], ['Visibility', img.visibility],
    ['Protected', String(img.protected)], ['Hidden', String(img.os_hidden)],
    ['Owner', `${projectName(img.owner) || ''} ${img.owner || ''}`.trim()],
    ['Size', img.size === null || img.size === undefined ? '—' : `${bytes(img.size)} (${img.size} bytes)`],
    ['Virtual size', img.virtual_size === null || img.virtual_size === undefined ? '—' : bytes(img.virtual_size)],
    ['Disk format', img.disk_format], ['Container format', img.container_format],
    ['Min RAM (MB)', img.min_ram], ['Min disk (GB)', img.min_disk],
    ['Checksum (MD5)', img.checksum], ['Hash algorithm', img.os_hash_algo],
    ['Hash value', img.os_hash_value], ['Created', when(img.created_at)], ['Updated', when(img.updated_at)],
  ];
  const props = Object.keys(img).filter((k) => !BASE_ATTRIBUTES.has(k)).sort();
  const body = [
    h('dl', {class: 'facts'}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {class: 'mono'}, v === null || v === undefined || v === '' ? '—' : String(v))])),
    h('h3', {}, 'Tags'),
    (img.tags || []).length ? h('ul', {class: 'tags', id: 'detail-tags'}, img.tags.map((t) => h('li', {}, t))) : h('p', {class: 'muted'}, 'No tags.'),
    h('h3', {}, 'Properties'),
    props.length
      ? h('table', {class: 'props', id: 'detail-props'}, h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Key'), h('th', {scope: 'col'}, 'Value'))),
          h('tbody', {}, props.map((k) => h('tr', {}, h('td', {class: 'mono'}, k), h('td', {class: 'mono'}, typeof img[k] === 'string' ? img[k] : JSON.stringify(img[k]))))))
      : h('p', {class: 'muted'}, 'No properties.'),
  ];
  body.push(await membersSection(img, mine));
  body.push(actionsBar(img, mine));
  fill($('detail-body'), body);
}

async function membersSection(img, mine) {
  const s = state.session;
  const section = h('section', {'aria-labelledby': 'members-title'}, h('h3', {id: 'members-title'}, 'Members'));
  if (img.visibility !== 'shared') {
    section.append(h('p', {class: 'muted'}, 'Members apply to shared images; set visibility to shared to share this image.'));
    if (!mine) return section;
  }
  if (!mine) {
    // A consumer sees (and answers) only its own membership.
    try {
      const m = await api.call(s, `${s.imageUrl}/v2/images/${img.id}/members/${s.project.id}`);
      section.append(
        h('p', {}, 'Shared with this project; your answer: ', h('strong', {id: 'my-member-status'}, m.status)),
        h('div', {class: 'actions'},
          h('button', {type: 'button', id: 'member-accept', onclick: () => answerShare(img, 'accepted')}, 'Accept'),
          h('button', {type: 'button', id: 'member-reject', onclick: () => answerShare(img, 'rejected')}, 'Reject')));
    } catch {
      section.append(h('p', {class: 'muted'}, 'This project is not a member.'));
    }
    return section;
  }
  if (img.visibility === 'shared') {
    const list = await api.call(s, `${s.imageUrl}/v2/images/${img.id}/members`);
    const members = list.members || [];
    section.append(
      members.length
        ? h('ul', {class: 'members', id: 'member-list'}, members.map((m) =>
            h('li', {}, h('span', {class: 'mono'}, `${projectName(m.member_id) || ''} ${m.member_id}`.trim()), ' ',
              h('span', {class: `badge member-${m.status}`}, m.status), ' ',
              h('button', {type: 'button', 'aria-label': `Stop sharing with ${m.member_id}`, onclick: () => unshare(img, m.member_id)}, 'Remove'))))
        : h('p', {class: 'muted'}, 'Not shared with any project yet.'));
    const input = h('input', {id: 'share-project', name: 'project', list: 'project-ids', required: true, autocomplete: 'off'});
    section.append(
      h('form', {class: 'inline', id: 'share-form', onsubmit: (e) => { e.preventDefault(); share(img, input.value.trim()); }},
        h('label', {for: 'share-project'}, 'Share with project ID'), input,
        h('button', {type: 'submit'}, 'Share')));
  }
  return section;
}

function actionsBar(img, mine) {
  const s = state.session;
  const buttons = [
    h('button', {type: 'button', id: 'detail-download', onclick: () => downloadImage(img), disabled: img.status !== 'active'}, 'Download'),
  ];
  if (mine || s.isAdmin) {
    buttons.push(h('button', {type: 'button', id: 'detail-edit', onclick: () => openEdit(img)}, 'Edit'));
  }
  if (s.isAdmin && img.status === 'active') {
    buttons.push(h('button', {type: 'button', id: 'detail-deactivate', onclick: () => imageAction(img, 'deactivate')}, 'Deactivate'));
  }
  if (s.isAdmin && img.status === 'deactivated') {
    buttons.push(h('button', {type: 'button', id: 'detail-reactivate', onclick: () => imageAction(img, 'reactivate')}, 'Reactivate'));
  }
  if (mine || s.isAdmin) {
    buttons.push(h('button', {type: 'button', id: 'detail-delete', class: 'danger', onclick: () => deleteImage(img)}, 'Delete'));
  }
  return h('div', {class: 'actions detail-actions'}, buttons);
}

async function refreshDetail(id) {
  const img = await getImage(id);
  await renderDetail(img);
  await loadImages();
}

async function share(img, project) {
  if (!project) return;
  const s = state.session;
  await guard(async () => {
    await api.call(s, `${s.imageUrl}/v2/images/${img.id}/members`, {method: 'POST', body: {member: project}});
    announce(`Shared with ${project}.`);
    await refreshDetail(img.id);
  });
}

async function unshare(img, project) {
  const s = state.session;
  await guard(async () => {
    await api.call(s, `${s.imageUrl}/v2/images/${img.id}/members/${encodeURIComponent(project)}`, {method: 'DELETE'});
    announce(`No longer shared with ${project}.`);
    await refreshDetail(img.id);
  });
}

async function answerShare(img, status) {
  const s = state.session;
  await guard(async () => {
    await api.call(s, `${s.imageUrl}/v2/images/${img.id}/members/${s.project.id}`, {method: 'PUT', body: {status}});
    announce(`Share ${status}.`);
    await refreshDetail(img.id);
  });
}

async function imageAction(img, action) {
  const s = state.session;
  await guard(async () => {
    await api.call(s, `${s.imageUrl}/v2/images/${img.id}/actions/${action}`, {method: 'POST'});
    announce(`Image ${action}d.`);
    await refreshDetail(img.id);
  });
}

function confirmDialog(text) {
  const d = $('confirm-dialog');
  fill($('confirm-text'), text);
  d.returnValue = '';
  d.showModal();
  return new Promise((resolve) => d.addEventListener('close', () => resolve(d.returnValue === 'yes'), {once: true}));
}

async function deleteImage(img) {
  const ok = await confirmDialog(`Delete image “${img.name || img.id}”? This cannot be undone.`);
  if (!ok) return;
  const s = state.session;
  await guard(async () => {
    await api.call(s, `${s.imageUrl}/v2/images/${img.id}`, {method: 'DELETE'});
    $('detail-dialog').close();
    announce(`Deleted ${img.name || img.id}.`);
    await loadImages();
  });
}

/**
 * Saves the image's data. Where the browser can write to a chosen file (File System Access), the
 * response streams to disk; elsewhere it becomes a Blob (browsers keep large ones on disk).
 */
async function downloadImage(img) {
  const name = `${img.name || img.id}.${img.disk_format || 'img'}`.replace(/[\\/:*?"<>|]/g, '_');
  await guard(async () => {
    if (window.showSaveFilePicker) {
      let handle;
      try {
        handle = await window.showSaveFilePicker({suggestedName: name});
      } catch {
        return; // the user cancelled the save dialog
      }
      const r = await api.download(state.session, img.id);
      await r.body.pipeTo(await handle.createWritable());
    } else {
      const r = await api.download(state.session, img.id);
      const url = URL.createObjectURL(await r.blob());
      const a = h('a', {href: url, download: name});
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    }
    announce(`Downloaded ${name}.`);
  });
}

// ---------------------------------------------------------------- edit (JSON patch)

let editing = null;

function propRow(key = '', value = '') {
  const n = document.querySelectorAll('#edit-props .prop').length + Math.floor(Math.random() * 1e6);
  const row = h('div', {class: 'prop'},
    h('label', {for: `pk-${n}`, class: 'visually-hidden'}, 'Property name'),
    h('input', {id: `pk-${n}`, class: 'prop-key', value: key, placeholder: 'name'}),
    h('label', {for: `pv-${n}`, class: 'visually-hidden'}, 'Property value'),
    h('input', {id: `pv-${n}`, class: 'prop-value', value, placeholder: 'value'}),
    h('button', {type: 'button', 'aria-label': `Remove property ${key}`.trim(), onclick: () => row.remove()}, 'Remove'));
  return row;
}

function openEdit(img) {
  editing = img;
  const f = $('edit-form');
  f.name.value = img.name || '';
  f.visibility.value = img.visibility;
  f.protected.checked = !!img.protected;
  f.tags.value = (img.tags || []).join(', ');
  const props = Object.keys(img).filter((k) => !BASE_ATTRIBUTES.has(k)).sort();
  fill($('edit-props'), props.map((k) => propRow(k, typeof img[k] === 'string' ? img[k] : JSON.stringify(img[k]))));
  $('edit-dialog').showModal();
  f.name.focus();
}

const pointer = (key) => '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The JSON patch from the image as loaded to the form as edited: only what changed. */
function editPatch(img, f) {
  const ops = [];
  if (f.name.value !== (img.name || '')) ops.push({op: 'replace', path: '/name', value: f.name.value});
  if (f.visibility.value !== img.visibility) ops.push({op: 'replace', path: '/visibility', value: f.visibility.value});
  if (f.protected.checked !== !!img.protected) ops.push({op: 'replace', path: '/protected', value: f.protected.checked});
  const tags = [...new Set(f.tags.value.split(',').map((t) => t.trim()).filter(Boolean))];
  const oldTags = img.tags || [];
  if (tags.length !== oldTags.length || tags.some((t) => !oldTags.includes(t))) ops.push({op: 'replace', path: '/tags', value: tags});
  const edited = new Map();
  for (const row of document.querySelectorAll('#edit-props .prop')) {
    const k = row.querySelector('.prop-key').value.trim();
    if (k) edited.set(k, row.querySelector('.prop-value').value);
  }
  for (const k of Object.keys(img).filter((x) => !BASE_ATTRIBUTES.has(x))) {
    if (!edited.has(k)) ops.push({op: 'remove', path: pointer(k)});
  }
  for (const [k, v] of edited) {
    if (BASE_ATTRIBUTES.has(k)) continue;
    if (!(k in img)) ops.push({op: 'add', path: pointer(k), value: v});
    else if (img[k] !== v) ops.push({op: 'replace', path: pointer(k), value: v});
  }
  return ops;
}

async function onEditSave(event) {
  event.preventDefault();
  const img = editing;
  const ops = editPatch(img, $('edit-form'));
  const s = state.session;
  await guard(async () => {
    if (ops.length) {
      await api.call(s, `${s.imageUrl}/v2/images/${img.id}`, {
        method: 'PATCH', body: ops, type: 'application/openstack-images-v2.1-json-patch'});
    }
    $('edit-dialog').close();
    announce(ops.length ? 'Image saved.' : 'Nothing changed.');
    if ($('detail-dialog').open) await refreshDetail(img.id);
    else await loadImages();
  });
}

// ---------------------------------------------------------------- upload

let uploading = null;

function openUpload() {
  const f = $('upload-form');
  f.reset();
  $('upload-progress').value = 0;
  fill($('upload-state'));
  $('upload-start').disabled = false;
  $('upload-dialog').showModal();
}

async function onUpload(event) {
  event.preventDefault();
  const f = event.target;
  const file = f.file.files[0];
  if (!file) return;
  const s = state.session;
  $('upload-start').disabled = true;
  await guard(async () => {
    try {
      fill($('upload-state'), 'Creating the image…');
      const img = await api.call(s, `${s.imageUrl}/v2/images`, {method: 'POST', body: {
        name: f.name.value, disk_format: f.disk_format.value,
        container_format: f.container_format.value, visibility: f.visibility.value}});
      uploading = api.upload(s, img.id, file, (loaded, total) => {
        const pct = total ? Math.floor((loaded * 100) / total) : 0;
        $('upload-progress').value = pct;
        fill($('upload-state'), `${bytes(loaded)} of ${bytes(total)} (${pct} %)`);
      });
      try {
        await uploading.done;
      } catch (e) {
        throw new api.ApiError(e.status, `${e.message} The image “${img.name}” was created but has no data (status queued): delete it from its detail view, then upload again.`);
      }
      $('upload-progress').value = 100;
      fill($('upload-state'), 'Uploaded.');
      $('upload-dialog').close();
      announce(`Uploaded ${f.name.value}.`);
      resetPaging();
      await loadImages();
    } finally {
      uploading = null;
      $('upload-start').disabled = false;
    }
  });
}

function cancelUpload() {
  if (uploading) uploading.abort();
  else $('upload-dialog').close();
}

// ---------------------------------------------------------------- web-download (import)

/** Offers "Create from URL" only when the image service says web-download is enabled. */
async function offerWebDownload() {
  const s = state.session;
  $('url-open').hidden = true;
  let info;
  try {
    info = await api.call(s, `${s.imageUrl}/v2/info/import`);
  } catch {
    return; // no import API here
  }
  const methods = info && info['import-methods'] && info['import-methods'].value;
  $('url-open').hidden = !(Array.isArray(methods) && methods.includes('web-download'));
}

async function onUrlCreate(event) {
  event.preventDefault();
  const f = event.target;
  const s = state.session;
  await guard(async () => {
    const img = await api.call(s, `${s.imageUrl}/v2/images`, {method: 'POST', body: {
      name: f.name.value, disk_format: f.disk_format.value, container_format: f.container_format.value}});
    await api.call(s, `${s.imageUrl}/v2/images/${img.id}/import`, {method: 'POST', body: {
      method: {name: 'web-download', uri: f.uri.value}}});
    $('url-dialog').close();
    announce(`Importing ${f.name.value} from ${f.uri.value}.`);
    resetPaging();
    await loadImages();
  });
}

// ---------------------------------------------------------------- changes (compute API)

function isoFromLocal(value) {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function localInputValue(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function showChanges() {
  show('changes-view');
  if (!$('changes-since').value) $('changes-since').value = localInputValue(new Date(Date.now() - 3600_000));
  loadChanges();
}

function stopChanges() {
  if (state.changesTimer) clearTimeout(state.changesTimer);
  state.changesTimer = null;
}

/** GET /images/detail?changes-since=… on the compute API (deleted images included), then again. */
async function loadChanges() {
  stopChanges();
  const s = state.session;
  if (!s || $('changes-view').hidden) return;
  await guard(async () => {
    if (!$('changes-since').value) throw new api.ApiError(0, 'Choose a time to list the changes since.');
    const since = isoFromLocal($('changes-since').value);
    const images = [];
    let url = `${s.computeUrl}/images/detail?changes-since=${encodeURIComponent(since)}`;
    for (let pages = 0; url && pages < 10; pages++) {
      const body = await api.call(s, url);
      images.push(...(body.images || []));
      const next = (body.images_links || []).find((l) => l.rel === 'next');
      url = next ? next.href : null;
    }
    images.sort((a, b) => String(b.updated).localeCompare(String(a.updated)));
    fill($('changes-body'), images.length
      ? images.map((img) => h('tr', {dataset: {id: img.id}},
          h('td', {dataset: {label: 'Name'}}, img.name || '—'),
          h('td', {dataset: {label: 'Status'}}, h('span', {class: `badge nova-${String(img.status).toLowerCase()}`}, img.status)),
          h('td', {dataset: {label: 'Updated'}}, when(img.updated)),
          h('td', {dataset: {label: 'ID'}, class: 'mono'}, img.id)))
      : h('tr', {}, h('td', {colspan: 4, class: 'muted'}, 'No changes since then.')));
    fill($('changes-info'), `${images.length} change${images.length === 1 ? '' : 's'} since ${when(since)}; last checked ${new Date().toLocaleTimeString()}.`);
  });
  const every = Number($('changes-every').value);
  if (every > 0 && state.session && !$('changes-view').hidden) {
    state.changesTimer = setTimeout(loadChanges, every * 1000);
  }
}

// ---------------------------------------------------------------- start

function wire() {
  $('login-form').addEventListener('submit', onLogin);
  $('logout').addEventListener('click', onLogout);
  $('project-select').addEventListener('change', onProjectChange);
  $('notice-close').addEventListener('click', clearNotice);
  $('nav-images').addEventListener('click', () => { show('images-view'); loadImages(); });
  $('nav-changes').addEventListener('click', showChanges);
  $('refresh').addEventListener('click', loadImages);
  $('filter-form').addEventListener('submit', (e) => { e.preventDefault(); resetPaging(); loadImages(); });
  $('filter-form').addEventListener('reset', () => setTimeout(() => { resetPaging(); loadImages(); }));
  $('next-page').addEventListener('click', () => {
    if (!state.next) return;
    state.markers.push(state.marker);
    state.marker = state.next;
    loadImages();
  });
  $('prev-page').addEventListener('click', () => {
    state.marker = state.markers.length ? state.markers.pop() : null;
    loadImages();
  });
  $('upload-open').addEventListener('click', openUpload);
  $('upload-form').addEventListener('submit', onUpload);
  $('upload-cancel').addEventListener('click', cancelUpload);
  $('upload-file').addEventListener('change', (e) => {
    const file = e.target.files[0];
    if (file && !$('upload-name').value) $('upload-name').value = file.name.replace(/\.[^.]+$/, '');
  });
  $('url-open').addEventListener('click', () => { $('url-form').reset(); $('url-dialog').showModal(); });
  $('url-form').addEventListener('submit', onUrlCreate);
  $('edit-form').addEventListener('submit', onEditSave);
  $('edit-add-prop').addEventListener('click', () => {
    const row = propRow();
    $('edit-props').append(row);
    row.querySelector('input').focus();
  });
  $('changes-form').addEventListener('submit', (e) => { e.preventDefault(); loadChanges(); });
  $('changes-every').addEventListener('change', loadChanges);
  for (const b of document.querySelectorAll('[data-close]')) {
    b.addEventListener('click', () => b.closest('dialog').close());
  }
}

async function start() {
  wire();
  $('login-identity').value = await api.discoverIdentity();
  state.session = api.Session.load();
  if (state.session) await showConsole();
  else showLogin();
  document.body.dataset.ready = 'true';
}

start();
