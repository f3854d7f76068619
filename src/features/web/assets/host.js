// The host pages at /app: sign up or log in, then event types, the availability editor and
// bookings. Everything goes through the REST API with the session cookie; writes send the
// CSRF token from the csrf_token cookie. Text from the API is put in with textContent only.
(() => {
  const view = document.getElementById('view');
  const nav = document.getElementById('nav');
  const status = document.getElementById('status');
  const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  let me = null;

  const csrf = () =>
    (document.cookie.split('; ').find((c) => c.startsWith('csrf_token=')) || '').slice('csrf_token='.length);

  async function api(method, url, body) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['x-csrf-token'] = decodeURIComponent(csrf());
    const res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const detail =
        data && (data.errors ? data.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : data.detail);
      const error = new Error(detail || `HTTP ${res.status}`);
      error.status = res.status;
      throw error;
    }
    return data;
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (v !== false && v !== undefined) node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c) node.append(c);
    return node;
  }
  const field = (label, attrs) => el('label', {}, label, el('input', attrs));
  const say = (text, isError = false) => {
    status.textContent = text;
    status.className = isError ? 'error' : '';
  };
  const guard = (fn) => async (event) => {
    if (event) event.preventDefault();
    try {
      await fn(event);
    } catch (error) {
      say(error.message, true);
    }
  };
  const show = (...nodes) => view.replaceChildren(...nodes);

  // Sign up / log in
  function signedOut() {
    nav.hidden = true;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const login = el(
      'form',
      {
        'aria-labelledby': 'login-h',
        onsubmit: guard(async (e) => {
          const f = new FormData(e.target);
          await api('POST', '/api/v1/auth/login', { login: f.get('login'), password: f.get('password') });
          await start();
        }),
      },
      el('h2', { id: 'login-h', text: 'Log in' }),
      field('Username or e-mail', { name: 'login', required: true, autocomplete: 'username' }),
      field('Password', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
      el('button', { type: 'submit', text: 'Log in' }),
    );
    const signup = el(
      'form',
      {
        'aria-labelledby': 'signup-h',
        onsubmit: guard(async (e) => {
          const f = new FormData(e.target);
          await api('POST', '/api/v1/auth/signup', {
            username: f.get('username'),
            email: f.get('email'),
            password: f.get('password'),
            name: f.get('name') || undefined,
            timezone: f.get('timezone'),
          });
          await start();
        }),
      },
      el('h2', { id: 'signup-h', text: 'Sign up' }),
      field('Username', { name: 'username', required: true, autocomplete: 'username' }),
      field('Name', { name: 'name', autocomplete: 'name' }),
      field('E-mail', { name: 'email', type: 'email', required: true, autocomplete: 'email' }),
      field('Password (12 characters or more)', {
        name: 'password',
        type: 'password',
        required: true,
        minlength: '12',
        autocomplete: 'new-password',
      }),
      field('Time zone', { name: 'timezone', required: true, value: zone }),
      el('button', { type: 'submit', text: 'Sign up' }),
    );
    show(login, signup);
  }

  // Event types
  async function eventTypes() {
    const list = await api('GET', '/api/v1/event-types?limit=100');
    const rows = list.data.map((et) =>
      el(
        'tr',
        {},
        el('td', { text: et.title }),
        el('td', {}, el('a', { href: `/${me.username}/${et.slug}`, text: `/${me.username}/${et.slug}` })),
        el('td', { text: `${et.durations ? et.durations.join(', ') : et.duration} min` }),
        el(
          'td',
          {},
          el('button', {
            type: 'button',
            'aria-label': `Delete ${et.title}`,
            text: 'Delete',
            onclick: guard(async () => {
              if (!confirm(`Delete "${et.title}"?`)) return;
              await api('DELETE', `/api/v1/event-types/${et.id}`);
              say('Event type deleted');
              await eventTypes();
            }),
          }),
        ),
      ),
    );
    const create = el(
      'form',
      {
        'aria-labelledby': 'new-et',
        onsubmit: guard(async (e) => {
          const f = new FormData(e.target);
          await api('POST', '/api/v1/event-types', {
            title: f.get('title'),
            slug: f.get('slug'),
            duration: Number(f.get('duration')),
          });
          say('Event type created');
          await eventTypes();
        }),
      },
      el('h3', { id: 'new-et', text: 'New event type' }),
      el(
        'div',
        { class: 'row' },
        field('Title', { name: 'title', required: true }),
        field('Link name (slug)', { name: 'slug', required: true, pattern: '[a-z0-9][a-z0-9-]*' }),
        field('Minutes', { name: 'duration', type: 'number', min: '5', max: '720', value: '30', required: true }),
      ),
      el('button', { type: 'submit', text: 'Create' }),
    );
    show(
      el('h2', { text: 'Event types' }),
      list.data.length
        ? el(
            'table',
            {},
            el('thead', {}, el('tr', {}, ...['Title', 'Booking page', 'Length', ''].map((h) => el('th', { text: h })))),
            el('tbody', {}, ...rows),
          )
        : el('p', { text: 'No event types yet.' }),
      create,
    );
  }

  // Availability: the default schedule's weekly hours, and one date's hours
  const formatDay = (xs) => (xs || []).map((x) => `${x.start}-${x.end}`).join(', ');
  function parseDay(text, field) {
    const parts = text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    return parts.map((p) => {
      const m = /^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(p);
      if (!m) throw new Error(`${field}: write hours as 09:00-12:00, 13:00-17:00`);
      const pad = (t) => t.padStart(5, '0');
      return { start: pad(m[1]), end: pad(m[2]) };
    });
  }
  async function availability() {
    const schedules = await api('GET', '/api/v1/schedules?limit=100');
    const schedule = schedules.data.find((s) => s.is_default);
    const weekly = el(
      'form',
      {
        'aria-labelledby': 'weekly-h',
        onsubmit: guard(async (e) => {
          const f = new FormData(e.target);
          const hours = {};
          for (const day of WEEKDAYS) hours[day] = parseDay(String(f.get(day)), day);
          await api('PATCH', `/api/v1/schedules/${schedule.id}`, { weekly: hours });
          say('Weekly hours saved');
        }),
      },
      el('h3', { id: 'weekly-h', text: `Weekly hours (${schedule.timezone})` }),
      ...WEEKDAYS.map((day) =>
        el(
          'div',
          { class: 'weekday' },
          el('span', { text: day[0].toUpperCase() + day.slice(1) }),
          el(
            'label',
            { 'aria-label': `${day} hours` },
            el('input', { name: day, value: formatDay(schedule.weekly[day]), placeholder: 'not available' }),
          ),
        ),
      ),
      el('button', { type: 'submit', text: 'Save weekly hours' }),
    );
    const dated = el(
      'form',
      {
        'aria-labelledby': 'date-h',
        onsubmit: guard(async (e) => {
          const f = new FormData(e.target);
          await api('PUT', '/api/v1/me/availability/dates', {
            dates: [{ date: f.get('date'), intervals: parseDay(String(f.get('hours')), 'hours') }],
          });
          say(`Hours of ${f.get('date')} saved`);
        }),
      },
      el('h3', { id: 'date-h', text: 'One date' }),
      el(
        'div',
        { class: 'row' },
        field('Date', { name: 'date', type: 'date', required: true }),
        field('Hours (empty: not available)', { name: 'hours', placeholder: '09:00-12:00' }),
      ),
      el('button', { type: 'submit', text: 'Save date' }),
    );
    show(el('h2', { text: 'Availability' }), weekly, dated);
  }

  // Bookings: the next 60 days
  async function bookings() {
    const today = new Date().toISOString().slice(0, 10);
    const until = new Date(Date.now() + 60 * 86400000).toISOString().slice(0, 10);
    const list = await api(
      'GET',
      `/api/v1/bookings?from=${today}&to=${until}&limit=100&timezone=${encodeURIComponent(me.timezone)}`,
    );
    const when = (b) => `${b.start.slice(0, 10)} ${b.start.slice(11, 16)}–${b.end.slice(11, 16)}`;
    const rows = list.data.map((b) =>
      el(
        'tr',
        {},
        el('td', { text: when(b) }),
        el('td', { text: b.title }),
        el('td', {
          text: b.kind === 'booking' ? `${b.invitee.name} <${b.invitee.email}>` : `meeting by ${b.organizer}`,
        }),
        el('td', { text: b.status }),
        el(
          'td',
          {},
          b.kind === 'booking' && b.status === 'confirmed'
            ? el('button', {
                type: 'button',
                'aria-label': `Cancel ${b.title} on ${when(b)}`,
                text: 'Cancel',
                onclick: guard(async () => {
                  const reason = prompt('Reason for the invitee (optional)');
                  if (reason === null) return;
                  await api('POST', `/api/v1/bookings/${b.id}/cancel`, reason ? { reason } : {});
                  say('Booking cancelled');
                  await bookings();
                }),
              })
            : null,
        ),
      ),
    );
    show(
      el('h2', { text: 'Bookings' }),
      list.data.length
        ? el(
            'table',
            {},
            el('thead', {}, el('tr', {}, ...['When', 'What', 'With', 'Status', ''].map((h) => el('th', { text: h })))),
            el('tbody', {}, ...rows),
          )
        : el('p', { text: 'No bookings in the next 60 days.' }),
    );
  }

  const views = { 'event-types': eventTypes, availability, bookings };
  for (const button of nav.querySelectorAll('button[data-view]')) {
    button.addEventListener(
      'click',
      guard(async () => {
        say('');
        for (const b of nav.querySelectorAll('button[data-view]')) b.setAttribute('aria-pressed', String(b === button));
        await views[button.dataset.view]();
      }),
    );
  }
  document.getElementById('logout').addEventListener(
    'click',
    guard(async () => {
      await api('POST', '/api/v1/auth/logout');
      me = null;
      say('Logged out');
      signedOut();
    }),
  );

  async function start() {
    try {
      me = await api('GET', '/api/v1/me');
    } catch (error) {
      if (error.status === 401) return signedOut();
      throw error;
    }
    nav.hidden = false;
    await views['event-types']();
    nav.querySelector('button[data-view="event-types"]').setAttribute('aria-pressed', 'true');
    say(`Signed in as ${me.username}`);
  }
  start().catch((error) => say(error.message, true));
})();
