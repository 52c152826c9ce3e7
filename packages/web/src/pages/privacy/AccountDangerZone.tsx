import { Alert, Anchor, Button, Group, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AccountDeletion,
  useAccountDeletion,
  useCancelDeletion,
  useExportStatus,
  useRequestDeletion,
  useRequestExport,
} from '../../api/account-deletion';
import { ApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Owners and admins take all of the business's data away: built in the background, then a 10-minute link. */
function ExportAllData() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const ask = useRequestExport(tenantId);
  const [requestId, setRequestId] = useState<string>();
  const status = useExportStatus(tenantId, requestId);
  if (!can('data.export')) return null;
  const exported = status.data;
  return (
    <SectionCard titleId="account-export-title" title={t('accountData.export.title')}>
      <Text size="sm">{t('accountData.export.description')}</Text>
      <div>
        <Button
          onClick={() => ask.mutate(undefined, { onSuccess: (answer) => setRequestId(answer.requestId) })}
          loading={ask.isPending}
          disabled={exported?.status === 'open'}
        >
          {t('accountData.export.start')}
        </Button>
      </div>
      <div aria-live="polite" data-testid="account-export-status">
        {requestId && (!exported || exported.status === 'open') && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">{t('accountData.export.preparing')}</Text>
          </Group>
        )}
        {exported?.status === 'done' && exported.url && (
          <Stack gap={4}>
            <Anchor href={exported.url} download data-testid="account-export-link">
              {t('accountData.export.download')}
            </Anchor>
            <Text size="xs" c="dimmed">
              {t('accountData.export.linkExpires')}{' '}
              <Anchor component="button" type="button" size="xs" onClick={() => void status.refetch()}>
                {t('accountData.export.newLink')}
              </Anchor>
            </Text>
          </Stack>
        )}
      </div>
      {(ask.isError || status.isError) && <ErrorAlert error={ask.error ?? status.error} />}
    </SectionCard>
  );
}

/** Time left until the grace period ends, in days and hours, ticking every minute. */
function useCountdown(until: string) {
  const { t } = useTranslation();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, new Date(until).getTime() - now);
  const days = Math.floor(left / DAY_MS);
  const hours = Math.floor((left % DAY_MS) / HOUR_MS);
  return t('accountData.deletion.countdown', {
    days: t('accountData.deletion.days', { count: days }),
    hours: t('accountData.deletion.hours', { count: hours }),
  });
}

function ScheduledDeletion({ deletion }: { deletion: AccountDeletion }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const formatDate = useFormatDateTime();
  const cancel = useCancelDeletion(tenantId);
  const countdown = useCountdown(deletion.graceEndsAt);
  return (
    <Alert
      color="red"
      variant="light"
      data-testid="deletion-scheduled"
      title={t('accountData.deletion.scheduledTitle')}
    >
      <Stack gap="xs">
        <Text size="sm">{t('accountData.deletion.scheduled', { date: formatDate(deletion.graceEndsAt) })}</Text>
        <Text size="sm" fw={600} data-testid="deletion-countdown">
          {countdown}
        </Text>
        <Text size="sm">{t('accountData.deletion.worksUntil')}</Text>
        <div>
          <Button variant="default" onClick={() => cancel.mutate(undefined)} loading={cancel.isPending}>
            {t('accountData.deletion.cancel')}
          </Button>
        </div>
        {cancel.isError && <ErrorAlert error={cancel.error} />}
      </Stack>
    </Alert>
  );
}

/** The field an API refusal names (the business name, the password or the code), for its message. */
function refusedField(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.code !== 'invalid_request') return undefined;
  return error.issues?.map((issue) => issue.path).find((path) => ['businessName', 'password', 'code'].includes(path));
}

function DeletionForm({ businessName, onClose }: { businessName: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const ask = useRequestDeletion(tenantId);
  const [typedName, setTypedName] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const refused = refusedField(ask.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    ask.mutate({ businessName: typedName, password, ...(code.trim() ? { code: code.trim() } : {}) });
  };
  return (
    <form onSubmit={submit} aria-labelledby="account-deletion-title">
      <Stack gap="sm">
        <Text size="sm">{t('accountData.deletion.confirmIntro', { name: businessName })}</Text>
        <TextInput
          label={t('accountData.deletion.nameLabel', { name: businessName })}
          value={typedName}
          onChange={(event) => setTypedName(event.currentTarget.value)}
          error={refused === 'businessName' ? t('accountData.deletion.wrongName') : undefined}
          autoComplete="off"
          required
        />
        <PasswordInput
          label={t('accountData.deletion.password')}
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={refused === 'password' ? t('accountData.deletion.wrongPassword') : undefined}
          autoComplete="current-password"
          required
        />
        <TextInput
          label={t('accountData.deletion.code')}
          description={t('accountData.deletion.codeHint')}
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={refused === 'code' ? t('accountData.deletion.wrongCode') : undefined}
          autoComplete="one-time-code"
        />
        {ask.isError && !refused && <ErrorAlert error={ask.error} />}
        <Group gap="sm">
          <Button
            type="submit"
            color="red"
            loading={ask.isPending}
            disabled={typedName.trim() === '' || password === ''}
          >
            {t('accountData.deletion.confirm')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('accountData.deletion.back')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The owner's danger zone: delete the business, with a grace period shown as a countdown and a cancel button. */
function DeleteBusiness() {
  const { t } = useTranslation();
  const { tenantId, can, membership } = useBusiness();
  const owner = can('data.delete');
  const deletion = useAccountDeletion(tenantId, owner);
  const [confirming, setConfirming] = useState(false);
  if (!owner) return null;
  return (
    <SectionCard danger titleId="account-deletion-title" title={t('accountData.deletion.title')} testId="danger-zone">
      <QueryState query={deletion}>
        {(current) =>
          current?.status === 'scheduled' ? (
            <ScheduledDeletion deletion={current} />
          ) : confirming ? (
            <DeletionForm businessName={membership.name} onClose={() => setConfirming(false)} />
          ) : (
            <Stack gap="sm">
              <Text size="sm">{t('accountData.deletion.description')}</Text>
              <div>
                <Button color="red" variant="outline" onClick={() => setConfirming(true)}>
                  {t('accountData.deletion.start')}
                </Button>
              </div>
            </Stack>
          )
        }
      </QueryState>
    </SectionCard>
  );
}

/** The business account as a whole, on the privacy page: take all its data away, or delete it. */
export function AccountDangerZone() {
  return (
    <>
      <ExportAllData />
      <DeleteBusiness />
    </>
  );
}
