// A small GraphiQL for CapConduit: query + variables editors, results, and a schema browser from
// introspection. Requests go to /graphql with the browser's session (form login or HTTP Basic) or, when
// given, a bearer API token. The token is kept in this tab's sessionStorage only (gone with the tab); the last
// query is remembered in localStorage, unless it holds a mutation, whose text may carry passwords and secrets.
(function () {
  const $ = (id) => document.getElementById(id);
  const examples = {
    'Campaigns with clients': '{\n  campaigns {\n    id\n    name\n    strategy\n    seller { name }\n    settings { priority weight maxConcurrent totalCap capPeriod client { name endpoint } }\n    dids { number }\n  }\n}',
    'Latest answered calls': '{\n  callLogs(first: 20, filter: {disposition: "ANSWERED"}) {\n    edges { node { startTime didNumber callerId billsec campaign { name } client { name } } }\n    pageInfo { hasNextPage endCursor }\n  }\n}',
    'Who am I': '{\n  me { username role sellerId }\n}'
  };
  const select = $('examples');
  Object.keys(examples).forEach((name) => select.add(new Option(name, name)));
  select.onchange = () => { $('query').value = examples[select.value]; };
  // A document with a mutation operation (strings and comments aside; errs on the side of not keeping it).
  const hasMutation = (text) => /(^|})\s*mutation\b/.test(String(text || '')
    .replace(/"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*/g, ' '));
  // what an earlier version kept for good: the token, and perhaps a mutation
  localStorage.removeItem('cc.token');
  if (hasMutation(localStorage.getItem('cc.query'))) { localStorage.removeItem('cc.query'); }
  $('query').value = localStorage.getItem('cc.query') || examples['Campaigns with clients'];
  $('token').value = sessionStorage.getItem('cc.token') || '';

  async function graphql(query, variables) {
    const headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    const token = $('token').value.trim();
    if (token) { headers.Authorization = 'Bearer ' + token; }
    const response = await fetch('../graphql', {
      method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify({ query, variables })
    });
    if (response.status === 401) { throw new Error('401: not signed in (reload to sign in, or paste an API token)'); }
    return response.json();
  }

  async function run() {
    let variables = {};
    try { variables = $('variables').value.trim() ? JSON.parse($('variables').value) : {}; }
    catch (e) { $('result').textContent = 'Variables are not valid JSON: ' + e.message; return; }
    if (!hasMutation($('query').value)) { localStorage.setItem('cc.query', $('query').value); }
    sessionStorage.setItem('cc.token', $('token').value.trim());
    $('status').textContent = 'running...';
    const started = performance.now();
    try {
      const result = await graphql($('query').value, variables);
      $('result').textContent = JSON.stringify(result, null, 2);
      $('status').textContent = Math.round(performance.now() - started) + ' ms';
    } catch (e) {
      $('result').textContent = String(e.message || e);
      $('status').textContent = 'failed';
    }
  }

  $('run').onclick = run;
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { run(); } });

  const typeName = (t) => t.kind === 'NON_NULL' ? typeName(t.ofType) + '!' : t.kind === 'LIST' ? '[' + typeName(t.ofType) + ']' : t.name;
  const esc = (s) => String(s || '').replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' }[c]));
  let types = [];
  function renderDocs() {
    const filter = $('docsFilter').value.toLowerCase();
    $('docsBody').innerHTML = types
      .filter((t) => !t.name.startsWith('__'))
      .filter((t) => !filter || t.name.toLowerCase().includes(filter) || (t.fields || []).some((f) => f.name.toLowerCase().includes(filter)))
      .map((t) => '<details' + (filter ? ' open' : '') + '><summary><b>' + esc(t.name) + '</b> <small>' + t.kind.toLowerCase() + '</small></summary>'
        + (t.description ? '<div class="desc">' + esc(t.description) + '</div>' : '')
        + (t.fields || t.inputFields || []).map((f) => '<div><code>' + esc(f.name) + '</code>: ' + esc(typeName(f.type))
          + (f.description ? ' <span class="desc">' + esc(f.description) + '</span>' : '') + '</div>').join('')
        + (t.enumValues || []).map((v) => '<div><code>' + esc(v.name) + '</code></div>').join('')
        + '</details>').join('');
  }
  $('docsFilter').oninput = renderDocs;
  const typeRef = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';
  graphql('{ __schema { types { kind name description fields { name description type { ' + typeRef + ' } } '
      + 'inputFields { name description type { ' + typeRef + ' } } enumValues { name } } } }', {})
    .then((r) => { types = r.data ? r.data.__schema.types : []; renderDocs(); })
    .catch((e) => { $('docsBody').textContent = String(e.message || e); });
})();
