import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../session/SessionProvider';
import { request } from './client';
import { auditApi, authApi, devApi, invitesApi, meApi, teamApi } from './endpoints';
import type { AssignableRole, AuditFilters, Health } from './types';

/** Query keys in one place so mutations invalidate exactly what they change. */
export const keys = {
  me: ['me'] as const,
  health: ['health'] as const,
  sessions: ['sessions'] as const,
  invite: (token: string) => ['invite', token] as const,
  verify: (token: string) => ['verify-email', token] as const,
  members: (tenantId: string) => ['members', tenantId] as const,
  invites: (tenantId: string) => ['invites', tenantId] as const,
  audit: (tenantId: string, filters: AuditFilters, cursor: string | undefined) =>
    ['audit', tenantId, filters, cursor ?? null] as const,
  outbox: ['outbox'] as const,
  secondFactor: ['second-factor'] as const,
};

export function useMe() {
  const { status } = useSession();
  return useQuery({ queryKey: keys.me, queryFn: meApi.get, enabled: status === 'signedIn', staleTime: 30_000 });
}

/** The stage the API runs on (`local` shows developer helpers such as the outbox link). */
export function useStage() {
  return useQuery({
    queryKey: keys.health,
    queryFn: () => request<Health>('/health', { auth: false }),
    select: (health) => health.stage,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

export function useSessions() {
  return useQuery({ queryKey: keys.sessions, queryFn: async () => (await authApi.sessions()).sessions });
}

export function useRevokeSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: authApi.revokeSession,
    onSuccess: () => client.invalidateQueries({ queryKey: keys.sessions }),
  });
}

/** Asked once the session is known, so a signed-in person learns whether the invitation is theirs. */
export function useInvite(token: string) {
  const { status } = useSession();
  const signedIn = status === 'signedIn';
  return useQuery({
    queryKey: [...keys.invite(token), signedIn],
    queryFn: () => invitesApi.get(token, signedIn),
    enabled: status !== 'checking',
    retry: false,
  });
}

/** The verification is one POST; a query keeps it to one call even when the page mounts twice. */
export function useVerifyEmail(token: string | null) {
  return useQuery({
    queryKey: keys.verify(token ?? ''),
    queryFn: () => authApi.verifyEmail(token ?? ''),
    enabled: Boolean(token),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
}

export function useMembers(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: keys.members(tenantId),
    queryFn: async () => (await teamApi.members(tenantId)).members,
    enabled,
  });
}

export function usePendingInvites(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: keys.invites(tenantId),
    queryFn: async () => (await teamApi.invites(tenantId)).invites,
    enabled,
  });
}

export function useInviteMember(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ email, role }: { email: string; role: AssignableRole }) => teamApi.invite(tenantId, email, role),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.invites(tenantId) }),
  });
}

export function useRevokeInvite(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (inviteId: string) => teamApi.revokeInvite(tenantId, inviteId),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.invites(tenantId) }),
  });
}

export function useChangeRole(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: AssignableRole }) =>
      teamApi.changeRole(tenantId, userId, role),
    onSettled: () => client.invalidateQueries({ queryKey: keys.members(tenantId) }),
  });
}

export function useRemoveMember(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => teamApi.removeMember(tenantId, userId),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.members(tenantId) }),
  });
}

export function useTransferOwnership(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => teamApi.transferOwnership(tenantId, userId),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.members(tenantId) });
      await client.invalidateQueries({ queryKey: keys.me });
    },
  });
}

export function useAudit(tenantId: string, filters: AuditFilters, cursor: string | undefined) {
  return useQuery({
    queryKey: keys.audit(tenantId, filters, cursor),
    queryFn: () => auditApi.list(tenantId, filters, cursor),
    placeholderData: (previous) => previous,
  });
}

export function useOutbox() {
  return useQuery({
    queryKey: keys.outbox,
    queryFn: async () => (await devApi.outbox()).mails,
    refetchInterval: 3_000,
    retry: false,
  });
}

/** Whether the second factor is on and how many recovery codes are left (Settings › Security). */
export function useSecondFactor() {
  return useQuery({ queryKey: keys.secondFactor, queryFn: authApi.secondFactor });
}

export function useTotpMutations() {
  const client = useQueryClient();
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: keys.me }),
      client.invalidateQueries({ queryKey: keys.secondFactor }),
    ]);
  return {
    setup: useMutation({ mutationFn: authApi.totpSetup }),
    enable: useMutation({ mutationFn: authApi.totpEnable, onSuccess: refresh }),
    disable: useMutation({ mutationFn: authApi.totpDisable, onSuccess: refresh }),
    regenerate: useMutation({ mutationFn: authApi.regenerateRecoveryCodes, onSuccess: refresh }),
  };
}
