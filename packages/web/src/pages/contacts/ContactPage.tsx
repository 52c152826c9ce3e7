import { Alert, Badge, Center, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import '@mantine/core/styles/SimpleGrid.css';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { type Contact, type ErasureReceipt, useContact, useForgetContact } from '../../api/contacts';
import { ErrorAlert } from '../../components/ErrorAlert';
import { hasCode, isForbidden } from '../../components/errors';
import { useFormatDateTime } from '../../components/format';
import { NoAccess } from '../../components/NoAccess';
import { PageHeader } from '../../components/PageHeader';
import { PlainList } from '../../components/PlainList';
import { RouterAnchor } from '../../components/RouterAnchor';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';
import { ConsentLedger } from './ConsentLedger';
import { ContactProfile, ContactRestriction } from './ContactProfile';
import { ContactErasePanel, ContactExportPanel } from './ContactRights';
import { ErasureReceiptView } from './ErasureReceiptView';

function BackToInbox() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  return (
    <RouterAnchor to={`/b/${tenantId}/inbox`} size="sm">
      ← {t('contacts.backToInbox')}
    </RouterAnchor>
  );
}

/** The contact's conversations, each opening its thread in the inbox. */
function ContactConversations({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const formatDate = useFormatDateTime();
  return (
    <SectionCard titleId="contact-conversations-title" title={t('contacts.conversations.title')}>
      {contact.conversations.length === 0 ? (
        <Text size="sm">{t('contacts.conversations.empty')}</Text>
      ) : (
        <PlainList>
          {contact.conversations.map((conversation) => (
            <li key={conversation.conversationId} data-testid="contact-conversation">
              <RouterAnchor to={`/b/${tenantId}/inbox/${encodeURIComponent(conversation.conversationId)}`}>
                {t('contacts.conversations.open', { channel: t(`channels.kinds.${conversation.channelKind}`) })}
              </RouterAnchor>
              {conversation.lastMessageAt && (
                <Text size="xs" c="gray.7">
                  {t('contacts.conversations.lastMessage', { date: formatDate(conversation.lastMessageAt) })}
                </Text>
              )}
            </li>
          ))}
        </PlainList>
      )}
    </SectionCard>
  );
}

function LoadedContact({ contact, onErased }: { contact: Contact; onErased(receipt: ErasureReceipt): void }) {
  const { t } = useTranslation();
  const { can } = useBusiness();
  const manage = can('contacts.manage');
  const name = contact.name || contact.phone || (contact.handle ? `@${contact.handle}` : t('contacts.unnamed'));
  return (
    <>
      <Group gap="xs" align="center">
        <PageHeader title={name} documentTitle={`${t('contacts.pageTitle')}: ${name}`} />
        {contact.restricted && (
          <Badge color="yellow" variant="light" c="gray.9" mb="md">
            {t('contacts.restriction.restricted')}
          </Badge>
        )}
      </Group>
      {!manage && (
        <Alert color="gray" variant="light" mb="md">
          {t('contacts.managersOnly')}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="md">
        <Stack gap="md">
          <ContactProfile contact={contact} />
          <ContactRestriction contact={contact} />
          <ConsentLedger contactId={contact.contactId} />
        </Stack>
        <Stack gap="md">
          <ContactConversations contact={contact} />
          {manage && <ContactExportPanel contact={contact} />}
          {manage && <ContactErasePanel contact={contact} onErased={onErased} />}
        </Stack>
      </SimpleGrid>
    </>
  );
}

/**
 * `/b/:tenantId/contacts/:contactId`: a merchant's customer and their rights: the profile and its
 * correction, restriction, the consent ledger, the conversations, the export archive and the
 * erasure. Correcting, restricting, exporting and erasing are for `contacts.manage` (owners and
 * admins); the rest of the team reads. Once erased, the page shows only the receipt.
 */
export function ContactPage() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const { contactId = '' } = useParams();
  const [receipt, setReceipt] = useState<ErasureReceipt>();
  const allowed = can('conversations.read');
  // Once erased, nothing asks for the profile again (it is gone), and the cache forgets it.
  const contact = useContact(tenantId, contactId, allowed && !receipt);
  const forget = useForgetContact(tenantId, contactId);
  useEffect(() => {
    if (receipt) forget();
  }, [receipt, forget]);

  if (!allowed) {
    return (
      <>
        <PageHeader title={t('contacts.pageTitle')} />
        <NoAccess />
      </>
    );
  }
  if (receipt) {
    return (
      <Stack gap="md">
        <BackToInbox />
        <PageHeader title={t('contacts.receipt.title')} />
        <ErasureReceiptView receipt={receipt} />
      </Stack>
    );
  }
  return (
    <Stack gap={0}>
      <BackToInbox />
      {contact.isPending ? (
        <Center py="lg">
          <Loader size="sm" aria-label={t('app.loading')} />
        </Center>
      ) : contact.isError ? (
        <>
          <PageHeader title={t('contacts.pageTitle')} />
          {isForbidden(contact.error) ? (
            <NoAccess />
          ) : hasCode(contact.error, 'not_found') ? (
            <Text>{t('contacts.notFound')}</Text>
          ) : (
            <ErrorAlert error={contact.error} onRetry={() => void contact.refetch()} />
          )}
        </>
      ) : (
        <LoadedContact contact={contact.data} onErased={setReceipt} />
      )}
    </Stack>
  );
}
