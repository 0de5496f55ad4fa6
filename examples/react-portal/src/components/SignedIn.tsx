import { useEffect, useState } from 'react';
import type { AuthError } from 'nexudus-auth';
import { AuthenticatedLink, toAuthError, useAuth } from 'nexudus-auth/react';
import { describe } from './SignInForm';

interface Customer {
  FullName: string;
  Email: string;
}

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function SignedIn({ baseUrl }: { baseUrl: string }) {
  const { auth, session, signOut } = useAuth();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [error, setError] = useState<AuthError | null>(null);
  const [refreshing, setRefreshing] = useState(false);

  // auth.fetch adds the bearer token, and refreshes once then retries on a 401
  useEffect(() => {
    if (!auth) return;
    let live = true;
    auth
      .fetch(`${baseUrl}/api/public/billing/customer`)
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = (await res.json()) as Customer;
        if (live) setCustomer(body);
      })
      .catch((e: unknown) => live && setError(toAuthError(e)));
    return () => {
      live = false;
    };
  }, [auth, baseUrl]);

  const refresh = async () => {
    if (!auth) return;
    setRefreshing(true);
    setError(null);
    try {
      await auth.refresh();
    } catch (e) {
      setError(toAuthError(e));
    } finally {
      setRefreshing(false);
    }
  };

  if (!session) return null;
  const nextRefreshAt = auth?.nextRefreshAt ?? null;
  return (
    <section className="card" aria-labelledby="welcome">
      <h1 id="welcome">{customer ? `Welcome, ${customer.FullName}` : 'Welcome'}</h1>
      <p className="muted" data-testid="signed-in-as">
        Signed in{customer ? ` as ${customer.Email}` : ''}
      </p>
      <dl>
        <dt>Token type</dt>
        <dd>{session.tokenType}</dd>
        <dt>Access token expires</dt>
        <dd>{time(session.expiresAt)}</dd>
        <dt>Next background refresh</dt>
        <dd>{nextRefreshAt ? time(nextRefreshAt) : '—'}</dd>
      </dl>
      <h2>Your invoices</h2>
      <p>
        <AuthenticatedLink to="/portal/invoices/1042" className="button" onError={setError}>
          Open invoice #1042 in the portal
        </AuthenticatedLink>
      </p>
      {error && (
        <p className="notice error" role="alert">
          {describe(error)}
        </p>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void refresh()} disabled={refreshing}>
          {refreshing ? 'Refreshing…' : 'Refresh token now'}
        </button>
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
      </div>
    </section>
  );
}
