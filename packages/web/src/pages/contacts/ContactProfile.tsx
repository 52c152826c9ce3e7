import { contactPatchBody } from '@asistone/contract/contacts';
import { Button, Group, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
// The restriction switch: only this page uses one.
import '@mantine/core/styles/Switch.css';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Contact, type ContactPatch, useCorrectContact, useRestrictContact } from '../../api/contacts';
import { Detail, Details } from '../../components/Details';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDescribeError } from '../../components/errors';
import { useFormatDateTime } from '../../components/format';
import { notify } from '../../components/notify';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';

/** The contract's own rules for each field, so the form sends only what the API accepts. */
const nameRule = contactPatchBody.shape.name;
const emailRule = contactPatchBody.shape.email;

/** A field the channels may not have given: said so rather than left blank. */
function Field({ label, value }: { label: string; value: string | null }) {
  const { t } = useTranslation();
  return <Detail label={label} value={value || t('contacts.profile.notGiven')} />;
}

/** Only what changed is sent (the correction is audited by field); an emptied field is cleared. */
function changes(contact: Contact, values: { name: string; email: string }): ContactPatch {
  const patch: ContactPatch = {};
  const name = values.name.trim() || null;
  const email = values.email.trim().toLowerCase() || null;
  if (name !== contact.name) patch.name = name;
  if (email !== contact.email) patch.email = email;
  return patch;
}

function CorrectionForm({ contact, onDone }: { contact: Contact; onDone(): void }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const correct = useCorrectContact(tenantId, contact.contactId);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: contact.name ?? '', email: contact.email ?? '' },
    validate: {
      name: (value) => {
        if (!value.trim()) return null;
        return nameRule.safeParse(value).success ? null : t('validation.nameTooLong', { maxLength: 200 });
      },
      email: (value) => {
        if (!value.trim()) return null;
        return emailRule.safeParse(value).success ? null : t('validation.email');
      },
    },
  });
  return (
    <form
      noValidate
      aria-label={t('contacts.profile.edit')}
      onSubmit={form.onSubmit((values) => {
        const patch = changes(contact, values);
        if (Object.keys(patch).length === 0) {
          notify.success(t('contacts.profile.nothingChanged'));
          onDone();
          return;
        }
        correct.mutate(patch, {
          onSuccess: () => {
            notify.success(t('contacts.profile.saved'));
            onDone();
          },
        });
      })}
    >
      <Stack gap="sm">
        {correct.isError && <ErrorAlert error={correct.error} />}
        <TextInput
          label={t('contacts.profile.name')}
          description={t('contacts.profile.nameHint')}
          autoComplete="off"
          maxLength={200}
          data-autofocus
          key={form.key('name')}
          {...form.getInputProps('name')}
        />
        <TextInput
          label={t('contacts.profile.email')}
          description={t('contacts.profile.emailHint')}
          type="email"
          autoComplete="off"
          maxLength={254}
          key={form.key('email')}
          {...form.getInputProps('email')}
        />
        <Group gap="sm">
          <Button type="submit" loading={correct.isPending}>
            {t('contacts.profile.save')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The contact's profile: what the channels gave (read only) and what the team may correct. */
export function ContactProfile({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const { can } = useBusiness();
  const formatDate = useFormatDateTime();
  const [editing, setEditing] = useState(false);
  return (
    <SectionCard titleId="contact-profile-title" title={t('contacts.profile.title')}>
      <Details testId="contact-profile">
        <Field label={t('contacts.profile.name')} value={contact.name} />
        <Field label={t('contacts.profile.phone')} value={contact.phone} />
        <Field label={t('contacts.profile.handle')} value={contact.handle ? `@${contact.handle}` : null} />
        <Field label={t('contacts.profile.email')} value={contact.email} />
        <Field label={t('contacts.profile.createdAt')} value={formatDate(contact.createdAt)} />
      </Details>
      <Text size="xs" c="dimmed">
        {t('contacts.profile.channelAddresses')}
      </Text>
      {can('contacts.manage') &&
        (editing ? (
          <CorrectionForm contact={contact} onDone={() => setEditing(false)} />
        ) : (
          <div>
            <Button variant="default" onClick={() => setEditing(true)}>
              {t('contacts.profile.edit')}
            </Button>
          </div>
        ))}
    </SectionCard>
  );
}

/** Restriction: the contact is kept but left out of AI replies, campaigns and recovery messages. */
export function ContactRestriction({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const describe = useDescribeError();
  const formatDate = useFormatDateTime();
  const restrict = useRestrictContact(tenantId, contact.contactId);
  const allowed = can('contacts.manage');
  return (
    <SectionCard titleId="contact-restriction-title" title={t('contacts.restriction.title')}>
      <Switch
        label={t('contacts.restriction.label')}
        description={t('contacts.restriction.description')}
        checked={contact.restricted}
        disabled={!allowed || restrict.isPending}
        data-testid="restriction-switch"
        onChange={(event) => {
          const restricted = event.currentTarget.checked;
          restrict.mutate(restricted, {
            onSuccess: () => notify.success(restricted ? t('contacts.restriction.on') : t('contacts.restriction.off')),
            onError: (error) => notify.error(describe(error)),
          });
        }}
      />
      {contact.restricted && contact.restrictedAt && (
        <Text size="sm" c="gray.7">
          {t('contacts.restriction.since', { date: formatDate(contact.restrictedAt) })}
        </Text>
      )}
    </SectionCard>
  );
}
