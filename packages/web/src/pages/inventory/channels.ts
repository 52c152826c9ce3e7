import { useTranslation } from 'react-i18next';
import type { ConversationChannel, SalesChannel } from '../../api/sales';

/** An order's channel in words: where it was sold, and the conversation that led to it ("Online store · from a WhatsApp conversation"). */
export function useChannelLabel() {
  const { t } = useTranslation();
  return (salesChannel: SalesChannel, conversationChannel: ConversationChannel | null) => {
    const sold = t(`backOffice.channels.${salesChannel}`);
    if (!conversationChannel) return sold;
    return `${sold} · ${t('backOffice.viaConversation', { channel: t(`backOffice.channels.${conversationChannel}`) })}`;
  };
}
