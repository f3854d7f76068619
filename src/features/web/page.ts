// The booking page's HTML: a small server-rendered shell (escaped free text, the link's data
// as inert JSON) that assets/booking.js turns into month view -> slots -> form -> confirmation.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** JSON safe inside a <script type="application/json"> element. */
function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function layout(title: string, body: string, styles = ['/assets/booking.css']): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${styles.map((href) => `<link rel="stylesheet" href="${href}">`).join('\n')}
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface LinkPageData {
  owner: string;
  owner_name: string;
  slug: string;
  title: string;
  description: string;
  location: string | null;
  duration: number;
  durations: number[];
  questions: unknown[];
  timezone: string;
}

export function bookingPage(link: LinkPageData): string {
  const who = link.owner_name || link.owner;
  return layout(
    `${link.title} · ${who}`,
    `<header>
  <p class="host">${escapeHtml(who)}</p>
  <h1>${escapeHtml(link.title)}</h1>
  <p class="meta">${link.durations.map((d) => `${d} min`).join(' / ')}${link.location ? ` · ${escapeHtml(link.location)}` : ''}</p>
  ${link.description ? `<p class="description">${escapeHtml(link.description)}</p>` : ''}
</header>
<section aria-labelledby="pick-heading">
  <h2 id="pick-heading">Pick a time</h2>
  <label>Your time zone <select id="timezone"></select></label>
  <div class="month">
    <button type="button" id="prev-month" aria-label="Previous month">‹</button>
    <h3 id="month-label" aria-live="polite"></h3>
    <button type="button" id="next-month" aria-label="Next month">›</button>
  </div>
  <div id="days" class="days" role="group" aria-labelledby="month-label"></div>
  <div id="slots" class="slots" role="group" aria-live="polite"></div>
</section>
<section id="form-section" hidden aria-labelledby="form-heading">
  <h2 id="form-heading">Your details</h2>
  <p id="chosen"></p>
  <form id="booking-form">
    <label>Name <input name="name" required maxlength="200" autocomplete="name"></label>
    <label>E-mail <input name="email" type="email" required maxlength="254" autocomplete="email"></label>
    <div id="questions"></div>
    <button type="submit">Book</button>
    <button type="button" id="back">Back</button>
  </form>
</section>
<section id="done" hidden aria-live="polite">
  <h2>Booked</h2>
  <p id="done-when"></p>
  <p><a id="add-to-calendar" href="#">Add to calendar (.ics)</a></p>
  <p class="small">To cancel or reschedule later, keep these links: <a id="cancel-link" href="#">cancel</a>, <a id="reschedule-link" href="#">reschedule</a>.</p>
</section>
<p id="error" class="error" role="alert" hidden></p>
<script type="application/json" id="link-data">${inertJson(link)}</script>
<script src="/assets/booking.js" defer></script>`,
  );
}

export function notFoundPage(): string {
  return layout(
    'Not found',
    '<h1>This booking link does not exist</h1><p>It may have been turned off or mistyped.</p>',
  );
}

/**
 * The host pages (SPEC §7) at /app: one shell that assets/host.js fills in: sign up or log in,
 * then event types, the availability editor and bookings, all through the API with the
 * session cookie (and its CSRF token on writes).
 */
export function hostPage(): string {
  return layout(
    'Slotwise',
    `<header class="bar"><h1>Slotwise</h1><nav id="nav" aria-label="Sections" hidden>
<button type="button" data-view="event-types">Event types</button>
<button type="button" data-view="availability">Availability</button>
<button type="button" data-view="bookings">Bookings</button>
<button type="button" id="logout">Log out</button></nav></header>
<p id="status" role="status" aria-live="polite"></p>
<section id="view" aria-live="polite"><noscript>This page needs JavaScript; the API at /api/docs does not.</noscript></section>
<script src="/assets/host.js" defer></script>`,
    ['/assets/booking.css', '/assets/host.css'],
  );
}
