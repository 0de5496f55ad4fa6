import { useCallback, useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import type { AuthError } from 'nexudus-auth';
import { toAuthError, useAuth } from './AuthProvider';

/** The one-time `t` token lives 60 s on Nexudus; use a prepared URL only while it is clearly fresh. */
const FRESH_MS = 45_000;

export interface AuthenticatedLinkProps {
  /** Page of the server-rendered portal to land on, signed in (e.g. `/portal/invoices/1042`). */
  href: string;
  children: ReactNode;
  className?: string;
}

interface Prepared {
  url: string;
  at: number;
}

/**
 * A link into the server-rendered Nexudus portal that arrives signed in. As the Nexudus docs ask, it
 * stays disabled until the one-time server token has been issued (`POST /api/sys/users/token/refresh`
 * answered `WasSuccessful: true`), then navigates to `/user/login?server=true&t=…&redirectUrl=…`.
 * The token is single-use and short-lived, so a stale or used URL is replaced by a fresh one.
 */
export function AuthenticatedLink({ href, children, className }: AuthenticatedLinkProps) {
  const { auth, session } = useAuth();
  const signedIn = session !== null;
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [error, setError] = useState<AuthError | null>(null);
  const [navigating, setNavigating] = useState(false);
  const generation = useRef(0);

  const prepare = useCallback(async (): Promise<Prepared | null> => {
    const mine = ++generation.current;
    setPrepared(null);
    setError(null);
    if (!auth || !signedIn) return null;
    try {
      const next = { url: await auth.authenticatedLink(href), at: Date.now() };
      if (mine === generation.current) setPrepared(next);
      return next;
    } catch (e) {
      if (mine === generation.current) setError(toAuthError(e));
      return null;
    }
  }, [auth, signedIn, href]);

  useEffect(() => {
    void prepare();
    // back/forward cache: the URL we left with was used up
    const onPageShow = (e: PageTransitionEvent) => {
      if (e.persisted) {
        setNavigating(false);
        void prepare();
      }
    };
    window.addEventListener('pageshow', onPageShow);
    return () => {
      generation.current++;
      window.removeEventListener('pageshow', onPageShow);
    };
  }, [prepare]);

  const onClick = async (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    if (!prepared || navigating) return;
    setNavigating(true);
    const target = Date.now() - prepared.at < FRESH_MS ? prepared : await prepare();
    if (!target) {
      setNavigating(false);
      return;
    }
    generation.current++; // single use: never hand this URL out again
    window.location.assign(target.url);
  };

  const ready = prepared !== null && !navigating;
  return (
    <span className="authenticated-link">
      <a
        className={className}
        href={ready ? prepared.url : undefined}
        role="link"
        aria-disabled={!ready}
        data-ready={ready}
        onClick={onClick}
      >
        {children}
      </a>
      {!ready && !error && signedIn && <span className="hint">preparing a secure link…</span>}
      {error && (
        <span className="hint error" role="alert">
          Link unavailable ({error.code}).{' '}
          <button type="button" className="linkish" onClick={() => void prepare()}>
            Retry
          </button>
        </span>
      )}
    </span>
  );
}
