import { Alert, Badge, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { type SmsAccount, useRemoveSmsAccount, useSaveSmsAccount, useSmsAccount } from '../../api/sms';
import { ErrorAlert } from '../../components/ErrorAlert';
import { notify } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';

/** Which fields the API's 400 named: NetGSM refused the credentials, or the header is not the account's. */
function refusedFields(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'invalid_request' || !Array.isArray(error.issues)) return [];
  return error.issues.map((issue) => String((issue as { path?: unknown }).path ?? ''));
}

function SmsAccountForm({ tenantId, account }: { tenantId: string; account: SmsAccount }) {
  const { t } = useTranslation();
  const save = useSaveSmsAccount(tenantId);
  const remove = useRemoveSmsAccount(tenantId);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { usercode: account.usercode ?? '', password: '', msgheader: account.msgheader ?? '' },
    validate: {
      usercode: (value) => (value.trim() ? null : t('sms.usercodeRequired')),
      // A stored password is kept when the field is left empty.
      password: (value) => (value || account.passwordSet ? null : t('sms.passwordRequired')),
      msgheader: (value) => (value.trim() ? null : t('sms.msgheaderRequired')),
    },
  });
  const refused = refusedFields(save.error);

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        save.mutate(
          {
            usercode: values.usercode.trim(),
            msgheader: values.msgheader.trim(),
            ...(values.password ? { password: values.password } : {}),
          },
          {
            onSuccess: () => {
              // The password typed is not kept in the page once saved.
              form.setFieldValue('password', '');
              notify.success(t('sms.saved'));
            },
          },
        ),
      )}
    >
      <Stack gap="sm">
        {refused.includes('msgheader') ? (
          <Alert color="red" variant="light" role="alert">
            {t('sms.headerRefused')}
          </Alert>
        ) : refused.includes('password') || refused.includes('usercode') ? (
          <Alert color="red" variant="light" role="alert">
            {t('sms.credentialsRefused')}
          </Alert>
        ) : (
          save.isError && <ErrorAlert error={save.error} />
        )}
        <TextInput
          label={t('sms.usercode')}
          description={t('sms.usercodeHint')}
          autoComplete="off"
          required
          key={form.key('usercode')}
          {...form.getInputProps('usercode')}
        />
        <PasswordInput
          label={t('sms.password')}
          description={account.passwordSet ? t('sms.passwordKept') : t('sms.passwordHint')}
          autoComplete="new-password"
          required={!account.passwordSet}
          key={form.key('password')}
          {...form.getInputProps('password')}
        />
        <TextInput
          label={t('sms.msgheader')}
          description={t('sms.msgheaderHint')}
          autoComplete="off"
          required
          key={form.key('msgheader')}
          {...form.getInputProps('msgheader')}
        />
        <Group justify="space-between">
          {account.configured ? (
            <Button
              variant="subtle"
              color="red"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(undefined, {
                  onSuccess: () => {
                    form.reset();
                    notify.success(t('sms.removed'));
                  },
                })
              }
            >
              {t('sms.remove')}
            </Button>
          ) : (
            <span />
          )}
          <Button type="submit" loading={save.isPending}>
            {t('sms.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Settings › SMS: the business's own NetGSM account (its user code, API password and sender
 * header, registered to the merchant's brand and İYS). Checked with NetGSM at save; the password
 * is never shown again.
 */
export function SmsSettings() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const account = useSmsAccount(tenantId);
  return (
    <SectionCard title={t('sms.title')} titleId="sms-settings-title" testId="sms-settings">
      <Text size="sm" c="dimmed">
        {t('sms.description')}
      </Text>
      <QueryState query={account}>
        {(data) => (
          <Stack gap="sm">
            <Group gap="xs">
              <Badge color={data.configured ? 'green' : 'gray'} variant="light">
                {data.configured ? t('sms.connected', { header: data.msgheader ?? '' }) : t('sms.notConnected')}
              </Badge>
            </Group>
            {/* Remounted after a save or removal, so the form starts from what is stored. */}
            <SmsAccountForm key={`${data.configured}-${data.updatedAt ?? 0}`} tenantId={tenantId} account={data} />
          </Stack>
        )}
      </QueryState>
    </SectionCard>
  );
}
