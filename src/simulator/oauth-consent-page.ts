function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The consent page oauth_auth.do shows with `requireConsent`: Allow / Deny POST back to /oauth_auth.do. */
export function consentPage(params: Record<string, string>, clientId: string, user: string): string {
  const hidden = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n      ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize application | ServiceNow</title></head>
<body>
  <h1>Authorize ${escapeHtml(clientId)}</h1>
  <p>${escapeHtml(clientId)} would like to connect to your ServiceNow account (${escapeHtml(user)}) with scope useraccount.</p>
  <form method="post" action="/oauth_auth.do">
      ${hidden}
      <button type="submit" name="action" value="allow" id="allow">Allow</button>
      <button type="submit" name="action" value="deny" id="deny">Deny</button>
  </form>
</body></html>`;
}

/** The error page oauth_auth.do shows for a request it cannot redirect (unknown client, bad redirect_uri). */
export function authorizeErrorPage(message: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>OAuth error</title></head><body><h1>Invalid request</h1><p>${escapeHtml(message)}</p></body></html>`;
}
