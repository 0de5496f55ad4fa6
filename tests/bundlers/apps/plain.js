// The plain app of the bundler matrix (no React): create, a wrong password (an AuthError of the entry's
// own class), sign in, an authenticated link. Results go to <body data-*>. `m` is the imported entry.
export function runPlainApp({ AuthError, NexudusAuth }) {
  const api = new URLSearchParams(location.search).get('api') || location.origin;
  const out = (key, value) => document.body.setAttribute(`data-${key}`, typeof value == 'string' ? value : JSON.stringify(value));

  (async () => {
    try {
      const auth = await NexudusAuth.create({ baseUrl: api, storage: 'memory' });
      out('status', 'signedOut');
      try {
        await auth.signIn({ email: 'alice@example.com', password: 'wrong' });
      } catch (e) {
        out('wrong', [e instanceof AuthError, e.code]);
      }
      await auth.signIn({ email: 'alice@example.com', password: 'Passw0rd!' });
      out('status', auth.session ? 'signedIn' : 'signedOut');
      const a = document.createElement('a');
      a.href = await auth.authenticatedLink('/portal/invoices/1042');
      a.textContent = 'Open invoice #1042';
      document.body.append(a);
    } catch (e) {
      out('error', [e instanceof AuthError, e && e.code, String(e && e.message)]);
    }
  })();
}
