import type { PolicyAcceptanceBody, policyAcceptanceAnswer } from '@asistone/contract/policies';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type * as z from 'zod';
import { request } from './client';
import { keys } from './queries';

/** Accepting the current terms and privacy policy after sign-in (docs/api.md, `/api/me/policy-acceptances`). */

export type PolicyAcceptance = z.output<typeof policyAcceptanceAnswer>;

export const policiesApi = {
  accept: (body: PolicyAcceptanceBody) => request<PolicyAcceptance>('/me/policy-acceptances', { method: 'POST', body }),
};

/** Accepts each given version, then reads `/me` again so the gate sees nothing pending. */
export function useAcceptPolicies() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (versions: readonly PolicyAcceptanceBody[]) => {
      // One after another: each is its own record, and a failure leaves the rest to the retry.
      for (const version of versions) await policiesApi.accept(version);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.me }),
  });
}
