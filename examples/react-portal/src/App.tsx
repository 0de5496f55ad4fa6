import { useAuth } from 'nexudus-auth/react';
import { SignInForm, describe } from './components/SignInForm';
import { SignedIn } from './components/SignedIn';

export function App({ baseUrl }: { baseUrl: string }) {
  const { auth, status, error } = useAuth();
  return (
    <>
      <header>
        <span className="brand">Member portal</span>
        <span className="muted">nexudus-auth · React example</span>
      </header>
      <main aria-busy={status === 'loading'}>
        {!auth && error ? (
          <p className="card notice error" role="alert">
            The sign-in client could not start: {describe(error)}
          </p>
        ) : status === 'signedIn' ? (
          <SignedIn baseUrl={baseUrl} />
        ) : (
          <SignInForm />
        )}
      </main>
      <footer className="muted">API: {baseUrl}</footer>
    </>
  );
}
