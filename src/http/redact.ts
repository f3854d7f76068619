// Secrets that travel in URLs (invitee self-service tokens) must not reach the logs.

/** The URL with the token of /api/v1/public/bookings/{token}/... masked. */
export function redactSecrets(url: string): string {
  return url.replace(/(\/public\/bookings\/)[^/?#]+/, '$1***');
}
