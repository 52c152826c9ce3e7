import { useTranslation } from 'react-i18next';
import { type PlanId, useCheckout, useUpdateCard } from '../../../api/billing';
import { useDescribeError } from '../../../components/errors';
import { notify } from '../../../components/notify';

/**
 * Sends the browser to iyzico's hosted page (the card is entered there, never in the app):
 * to subscribe to a plan, or to update the card. iyzico brings the owner back to this page.
 */
export function usePaymentPage(tenantId: string) {
  const { t } = useTranslation();
  const describe = useDescribeError();
  const checkout = useCheckout(tenantId);
  const card = useUpdateCard(tenantId);
  const go = ({ paymentPageUrl }: { paymentPageUrl: string }) => {
    notify.success(t('billing.actions.redirecting'));
    window.location.assign(paymentPageUrl);
  };
  const failed = (error: unknown) => notify.error(describe(error));
  return {
    subscribe: (planId: PlanId) => checkout.mutate(planId, { onSuccess: go, onError: failed }),
    /** The plan being checked out, while its page is asked for (or the browser is leaving). */
    subscribing: checkout.isPending || checkout.isSuccess ? checkout.variables : undefined,
    updateCard: () => card.mutate(undefined, { onSuccess: go, onError: failed }),
    updatingCard: card.isPending || card.isSuccess,
  };
}
