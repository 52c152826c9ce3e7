import type { gettingStartedAnswer, newBusinessAnswer, newBusinessBody } from '@asistone/contract/businesses';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type * as z from 'zod';
import { request, seg } from './client';
import { keys } from './queries';

/** A person's businesses: starting one, and the getting-started checklist of each. */

export type NewBusinessInput = z.input<typeof newBusinessBody>;
export type NewBusiness = z.output<typeof newBusinessAnswer>;
export type GettingStarted = z.output<typeof gettingStartedAnswer>;

export const businessesApi = {
  create: (input: NewBusinessInput) => request<NewBusiness>('/businesses', { method: 'POST', body: input }),
  gettingStarted: (tenantId: string) => request<GettingStarted>(`/businesses/${seg(tenantId)}/getting-started`),
};

const gettingStartedKey = (tenantId: string) => ['getting-started', tenantId] as const;

/** Starts a business; once `/me` lists it (so its pages open at once), resolves with it. */
export function useCreateBusiness() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: businessesApi.create,
    onSuccess: () => client.invalidateQueries({ queryKey: keys.me }),
  });
}

export function useGettingStarted(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: gettingStartedKey(tenantId),
    queryFn: () => businessesApi.gettingStarted(tenantId),
    enabled,
  });
}
