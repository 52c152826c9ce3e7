import { Alert, Anchor, Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Contact,
  type ContactExport,
  type ErasureReceipt,
  useEraseContact,
  useExportContact,
} from '../../api/contacts';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';

/** The word the member types to erase, which the API's body repeats (`erasureBody`). */
export const ERASE_WORD = 'ERASE';

/** Starts the browser's download of the archive, named as the API names it. */
function download(archive: ContactExport) {
  const link = document.createElement('a');
  link.href = archive.url;
  link.download = archive.fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}

/** True until the link's time is up; re-renders once when it runs out. */
function useStillValid(expiresAt: string | undefined) {
  const [now, setNow] = useState(() => Date.now());
  const until = expiresAt ? new Date(expiresAt).getTime() : 0;
  useEffect(() => {
    if (!until || until <= Date.now()) return;
    const timer = setTimeout(() => setNow(Date.now()), until - Date.now() + 50);
    return () => clearTimeout(timer);
  }, [until]);
  return until > now;
}

/**
 * "Download data": the API builds the archive and answers a short-lived link, which the page
 * follows at once; the link is offered again until it runs out, with its time.
 */
export function ContactExportPanel({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const formatDate = useFormatDateTime();
  const exportData = useExportContact(tenantId, contact.contactId);
  const archive = exportData.data;
  const valid = useStillValid(archive?.expiresAt);
  return (
    <SectionCard titleId="contact-export-title" title={t('contacts.export.title')}>
      <Text size="sm">{t('contacts.export.description')}</Text>
      <div>
        <Button loading={exportData.isPending} onClick={() => exportData.mutate(undefined, { onSuccess: download })}>
          {t('contacts.export.button')}
        </Button>
      </div>
      {exportData.isError && <ErrorAlert error={exportData.error} />}
      {archive && (
        <Alert color={valid ? 'blue' : 'gray'} variant="light" aria-live="polite" data-testid="contact-export-ready">
          {valid ? (
            <Stack gap={4}>
              <Text size="sm">
                {t('contacts.export.ready', { file: archive.fileName, time: formatDate(archive.expiresAt) })}
              </Text>
              <Anchor href={archive.url} download={archive.fileName} size="sm" c="blue.9">
                {t('contacts.export.again')}
              </Anchor>
            </Stack>
          ) : (
            <Text size="sm">{t('contacts.export.expired')}</Text>
          )}
        </Alert>
      )}
    </SectionCard>
  );
}

/** The danger zone: erasing asks the member to type the word first. */
export function ContactErasePanel({
  contact,
  onErased,
}: {
  contact: Contact;
  onErased(receipt: ErasureReceipt): void;
}) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const erase = useEraseContact(tenantId, contact.contactId);
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const matches = typed.trim() === ERASE_WORD;
  const close = () => {
    setOpen(false);
    setTyped('');
    erase.reset();
  };
  const submit = () => {
    if (matches) erase.mutate(undefined, { onSuccess: onErased });
  };
  return (
    <SectionCard danger titleId="contact-danger-title" title={t('contacts.erase.zone')}>
      <Title order={3} size="h5">
        {t('contacts.erase.title')}
      </Title>
      <Text size="sm">{t('contacts.erase.description')}</Text>
      <div>
        <Button color="red" onClick={() => setOpen(true)}>
          {t('contacts.erase.button')}
        </Button>
      </div>
      {/* In a portal: takes no place in the card. */}
      <Modal
        opened={open}
        onClose={close}
        title={t('contacts.erase.modalTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Stack gap="sm">
            <Text size="sm">
              {t('contacts.erase.modalText', { name: contact.name ?? t('contacts.unnamed'), word: ERASE_WORD })}
            </Text>
            {erase.isError && <ErrorAlert error={erase.error} />}
            <TextInput
              label={t('contacts.erase.typeLabel', { word: ERASE_WORD })}
              value={typed}
              onChange={(event) => setTyped(event.currentTarget.value)}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              data-autofocus
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" color="red" disabled={!matches} loading={erase.isPending}>
                {t('contacts.erase.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </SectionCard>
  );
}
