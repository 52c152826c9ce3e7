import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { onSignedOut, refreshAccessToken, tokens } from '../api/client';
import { authApi } from '../api/endpoints';
import type { LoginResult } from '../api/types';

export type SessionStatus = 'checking' | 'signedIn' | 'signedOut';

interface SessionValue {
  status: SessionStatus;
  /** True when the session ended without the user asking (refresh refused). */
  expired: boolean;
  /** True right after the user signed out here: the login page then forgets where they were. */
  signedOutByUser: boolean;
  signIn(result: LoginResult): void;
  signOut(): Promise<void>;
  /** Forgets the session locally (after a password reset the API revoked it already). */
  forget(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

/** Holds whether someone is signed in; the token itself stays in the API client's memory. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<SessionStatus>(tokens.get() ? 'signedIn' : 'checking');
  const [expired, setExpired] = useState(false);
  const [signedOutByUser, setSignedOutByUser] = useState(false);

  useEffect(() => {
    let active = true;
    // On load the refresh cookie (if any) is the only trace of a session.
    if (!tokens.get()) {
      void refreshAccessToken().then((ok) => {
        if (active) setStatus(ok ? 'signedIn' : 'signedOut');
      });
    }
    const unsubscribe = onSignedOut(() => {
      setExpired(true);
      setStatus('signedOut');
      queryClient.clear();
    });
    return () => {
      active = false;
      unsubscribe();
    };
  }, [queryClient]);

  const signIn = useCallback(
    (result: LoginResult) => {
      tokens.set(result.accessToken);
      queryClient.clear();
      setExpired(false);
      setSignedOutByUser(false);
      setStatus('signedIn');
    },
    [queryClient],
  );

  const forget = useCallback(() => {
    tokens.clear();
    queryClient.clear();
    setStatus('signedOut');
  }, [queryClient]);

  const signOut = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // The session ends locally whatever the API says.
    }
    setExpired(false);
    setSignedOutByUser(true);
    forget();
  }, [forget]);

  const value = useMemo(
    () => ({ status, expired, signedOutByUser, signIn, signOut, forget }),
    [status, expired, signedOutByUser, signIn, signOut, forget],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
