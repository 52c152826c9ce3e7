import type { SmsAccount, SmsAccountBody } from '@asistone/contract/sms';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, seg } from './client';

export type { SmsAccount, SmsAccountBody } from '@asistone/contract/sms';

/**
 * The business's own NetGSM account for SMS (docs/sms.md): owners and admins read and save it;
 * the API checks it with NetGSM before saving and never sends the password back.
 */

const smsPath = (tenantId: string) => `/businesses/${seg(tenantId)}/sms`;

export const smsKeys = {
  account: (tenantId: string) => ['sms', tenantId, 'account'] as const,
};

export function useSmsAccount(tenantId: string) {
  return useQuery({ queryKey: smsKeys.account(tenantId), queryFn: () => request<SmsAccount>(smsPath(tenantId)) });
}

export function useSaveSmsAccount(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SmsAccountBody) => request<SmsAccount>(smsPath(tenantId), { method: 'PUT', body }),
    onSuccess: (account) => client.setQueryData(smsKeys.account(tenantId), account),
  });
}

export function useRemoveSmsAccount(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<SmsAccount>(smsPath(tenantId), { method: 'DELETE' }),
    onSuccess: (account) => client.setQueryData(smsKeys.account(tenantId), account),
  });
}
