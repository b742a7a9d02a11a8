// A small GraphiQL for CapConduit: query + variables editors, results, and a schema browser from
// introspection. Requests go to /graphql with the browser's session (form login or HTTP Basic) or, when
// given, a bearer API token. The token is kept in this tab's sessionStorage only (gone with the tab); the last
// query is remembered in localStorage, unless it holds a mutation, whose text may carry passwords and secrets.
// A subscription runs over a WebSocket to /graphql (graphql-transport-ws) with the browser's session: a browser
// cannot add a bearer token to a WebSocket, so the token field does not apply to subscriptions.
(function () {
  const $ = (id) => document.getElementById(id);
  const examples = {
    'Campaigns with clients': '{\n  campaigns {\n    id\n    name\n    strategy\n    seller { name }\n    settings { priority weight maxConcurrent totalCap capPeriod client { name endpoint } }\n    dids { number }\n  }\n}',
    'Latest answered calls': '{\n  callLogs(first: 20, filter: {disposition: "ANSWERED"}) {\n    edges { node { startTime didNumber callerId billsec campaign { name } client { name } } }\n    pageInfo { hasNextPage endCursor }\n  }\n}',
    'Who am I': '{\n  me { username role sellerId }\n}',
    'Follow a job execution (subscription)': 'subscription {\n  jobExecutionProgress(id: 1) {\n    status exitMessage\n    steps { name status readCount writeCount skipCount commitCount }\n  }\n}'
  };
  const select = $('examples');
  Object.keys(examples).forEach((name) => select.add(new Option(name, name)));
  select.onchange = () => { $('query').value = examples[select.value]; };
  // The document without its strings and comments, where operation keywords are looked for.
  const code = (text) => String(text || '').replace(/"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*/g, ' ');
  // A document with a mutation operation (errs on the side of not keeping it).
  const hasMutation = (text) => /(^|})\s*mutation\b/.test(code(text));
  const isSubscription = (text) => /(^|})\s*subscription\b/.test(code(text));
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

  // The open subscription's socket: running anything else closes it.
  let socket = null;

  // graphql-transport-ws: connection_init, then one subscribe; each 'next' is shown, newest last.
  function subscribe(query, variables) {
    const url = new URL('../graphql', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url, 'graphql-transport-ws');
    const events = [];
    let ended = false;
    socket = ws;
    $('result').textContent = '';
    $('status').textContent = 'subscribing...';
    const send = (message) => ws.send(JSON.stringify(message));
    ws.onopen = () => send({ type: 'connection_init' });
    ws.onmessage = (message) => {
      const m = JSON.parse(message.data);
      if (m.type === 'connection_ack') {
        send({ id: '1', type: 'subscribe', payload: { query, variables } });
        $('status').textContent = 'subscribed, waiting for events...';
      } else if (m.type === 'ping') {
        send({ type: 'pong' });
      } else if (m.type === 'next') {
        events.push(m.payload);
        $('result').textContent = JSON.stringify(events, null, 2);
        $('status').textContent = 'subscribed: ' + events.length + ' event(s)';
      } else if (m.type === 'error' || m.type === 'complete') {
        ended = true;
        if (m.type === 'error') { events.push({ errors: m.payload }); }
        $('result').textContent = JSON.stringify(events, null, 2);
        $('status').textContent = (m.type === 'error' ? 'failed' : 'completed') + ': ' + events.length + ' event(s)';
        ws.close();
      }
    };
    ws.onclose = (e) => {
      if (ended || socket !== ws) { return; }
      $('status').textContent = 'closed';
      if (!events.length) {
        $('result').textContent = 'The subscription socket closed (' + (e.code || 'refused') + '): subscriptions use '
          + 'the signed-in session of this browser (reload to sign in); an API token cannot be sent over a WebSocket.';
      }
    };
  }

  async function run() {
    let variables = {};
    try { variables = $('variables').value.trim() ? JSON.parse($('variables').value) : {}; }
    catch (e) { $('result').textContent = 'Variables are not valid JSON: ' + e.message; return; }
    if (!hasMutation($('query').value)) { localStorage.setItem('cc.query', $('query').value); }
    sessionStorage.setItem('cc.token', $('token').value.trim());
    if (socket) { socket.close(); socket = null; }
    if (isSubscription($('query').value)) { subscribe($('query').value, variables); return; }
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
