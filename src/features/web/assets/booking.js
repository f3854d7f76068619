// The booking page: month view -> a day's slots in the invitee's time zone (switchable) ->
// the form -> confirmation. Talks only to the public API; all text is set as text, never HTML.
(() => {
  var link = JSON.parse(document.getElementById('link-data').textContent);
  var base = `/api/v1/public/${encodeURIComponent(link.owner)}/${encodeURIComponent(link.slug)}`;
  var $ = (id) => document.getElementById(id);
  var state = { zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', month: null, slot: null };

  function showError(message) {
    var e = $('error');
    e.textContent = message;
    e.hidden = !message;
  }
  function api(path, options) {
    return fetch(base + path, options).then((res) =>
      res
        .json()
        .catch(() => ({}))
        .then((body) => {
          if (!res.ok) throw new Error(body.detail || body.title || 'Something went wrong');
          return body;
        }),
    );
  }
  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text != null) node.textContent = text;
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    return node;
  }
  function when(iso) {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone: state.zone }).format(
      new Date(iso),
    );
  }
  function time(iso) {
    return new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: state.zone }).format(new Date(iso));
  }
  function thisMonth() {
    var parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: state.zone,
      year: 'numeric',
      month: '2-digit',
    }).formatToParts(new Date());
    var get = (t) => parts.filter((p) => p.type === t)[0].value;
    return `${get('year')}-${get('month')}`;
  }
  function shiftMonth(month, by) {
    var y = Number(month.slice(0, 4)),
      m = Number(month.slice(5, 7)) - 1 + by;
    y += Math.floor(m / 12);
    m = ((m % 12) + 12) % 12;
    return `${y}-${String(m + 1).padStart(2, '0')}`;
  }

  function loadMonth() {
    showError('');
    $('slots').textContent = '';
    $('month-label').textContent = new Intl.DateTimeFormat(undefined, {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${state.month}-15T12:00:00Z`));
    api(`/days?month=${state.month}&timezone=${encodeURIComponent(state.zone)}`)
      .then((body) => {
        var grid = $('days');
        grid.textContent = '';
        ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].forEach((d) => {
          grid.appendChild(el('span', d, { class: 'weekday', 'aria-hidden': 'true' }));
        });
        var first = new Date(`${body.days[0].date}T12:00:00Z`).getUTCDay();
        for (var i = 0; i < (first + 6) % 7; i++) grid.appendChild(el('span'));
        body.days.forEach((day) => {
          var label = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeZone: 'UTC' }).format(
            new Date(`${day.date}T12:00:00Z`),
          );
          var button = el('button', String(Number(day.date.slice(8))), {
            type: 'button',
            'aria-label': label + (day.available ? '' : ', no times'),
          });
          button.disabled = !day.available;
          button.addEventListener('click', () => {
            grid.querySelectorAll('button[aria-pressed]').forEach((b) => {
              b.removeAttribute('aria-pressed');
            });
            button.setAttribute('aria-pressed', 'true');
            loadSlots(day.date);
          });
          grid.appendChild(button);
        });
      })
      .catch((e) => {
        showError(e.message);
      });
  }

  function loadSlots(date) {
    state.date = date;
    showError('');
    api(`/slots?date=${date}&timezone=${encodeURIComponent(state.zone)}`)
      .then((body) => {
        var list = $('slots');
        list.textContent = '';
        if (!body.slots.length) list.appendChild(el('p', 'No times left on this day.'));
        body.slots.forEach((slot) => {
          var text = time(slot.start) + (slot.seats_left != null ? ` (${slot.seats_left} left)` : '');
          var button = el('button', text, { type: 'button', 'aria-label': `Book ${when(slot.start)}` });
          button.addEventListener('click', () => {
            chooseSlot(slot);
          });
          list.appendChild(button);
        });
      })
      .catch((e) => {
        showError(e.message);
      });
  }

  function chooseSlot(slot) {
    state.slot = slot;
    $('chosen').textContent = `${when(slot.start)} (${state.zone})`;
    $('form-section').hidden = false;
    $('form-section').querySelector('input').focus();
  }

  function renderQuestions() {
    var box = $('questions');
    if (link.durations.length > 1) {
      var select = el('select', null, { name: '__duration' });
      link.durations.forEach((d) => {
        select.appendChild(el('option', `${d} minutes`, { value: String(d) }));
      });
      var label = el('label', 'Length');
      label.appendChild(select);
      box.appendChild(label);
    }
    link.questions.forEach((q) => {
      var field =
        q.type === 'textarea'
          ? el('textarea', null, { name: q.key, rows: '3' })
          : el('input', null, {
              name: q.key,
              type: q.type === 'email' ? 'email' : q.type === 'number' ? 'number' : 'text',
            });
      if (q.type === 'checkbox') field.type = 'checkbox';
      if (q.type === 'select') {
        field = el('select', null, { name: q.key });
        (q.options || []).forEach((o) => {
          field.appendChild(el('option', o, { value: o }));
        });
      }
      if (q.required) field.required = true;
      var label = el('label', q.label + (q.required ? ' *' : ''));
      label.appendChild(field);
      box.appendChild(label);
    });
  }

  $('booking-form').addEventListener('submit', (event) => {
    event.preventDefault();
    var form = event.target;
    var answers = {};
    link.questions.forEach((q) => {
      var input = form.elements[q.key];
      if (!input) return;
      if (q.type === 'checkbox') answers[q.key] = input.checked;
      else if (input.value !== '') answers[q.key] = q.type === 'number' ? Number(input.value) : input.value;
    });
    var body = {
      start: state.slot.start,
      invitee: { name: form.elements.name.value, email: form.elements.email.value, timezone: state.zone },
      answers: answers,
    };
    if (form.elements.__duration) body.duration = Number(form.elements.__duration.value);
    showError('');
    api('/bookings', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': String(Date.now()) + Math.random() },
      body: JSON.stringify(body),
    })
      .then((booking) => {
        $('form-section').hidden = true;
        $('done').hidden = false;
        $('done-when').textContent = `${when(booking.start)} (${state.zone})`;
        $('add-to-calendar').href = booking.ics_url;
        $('cancel-link').href = booking.cancel_url;
        $('reschedule-link').href = booking.reschedule_url;
        $('done').querySelector('h2').focus();
        loadSlots(state.date); // the booked time is gone from the day
      })
      .catch((e) => {
        showError(e.message);
      });
  });
  $('back').addEventListener('click', () => {
    $('form-section').hidden = true;
  });
  $('prev-month').addEventListener('click', () => {
    state.month = shiftMonth(state.month, -1);
    loadMonth();
  });
  $('next-month').addEventListener('click', () => {
    state.month = shiftMonth(state.month, 1);
    loadMonth();
  });

  var zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [state.zone];
  if (zones.indexOf(state.zone) < 0) zones.unshift(state.zone);
  var select = $('timezone');
  zones.forEach((z) => {
    var o = el('option', z, { value: z });
    if (z === state.zone) o.selected = true;
    select.appendChild(o);
  });
  select.addEventListener('change', () => {
    state.zone = select.value;
    loadMonth();
  });
  $('done').querySelector('h2').setAttribute('tabindex', '-1');
  renderQuestions();
  state.month = thisMonth();
  loadMonth();
})();
