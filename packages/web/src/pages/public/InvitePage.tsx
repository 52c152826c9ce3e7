import { CURRENT_TERMS_VERSION } from '@asistone/contract/accounts';
import { Alert, Button, Center, Loader, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { invitesApi } from '../../api/endpoints';
import { keys, useInvite, useMe } from '../../api/queries';
import type { AcceptInviteResult, InviteInfo } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { hasCode } from '../../components/errors';
import { useFormRules } from '../../components/formRules';
import { PageHeader } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';
import { RouterAnchor } from '../../components/RouterAnchor';
import { useSession } from '../../session/SessionProvider';
import { ConsentCheckboxes } from './ConsentCheckboxes';

/** A link that no longer works, an address that already has an account, or the wrong account signed in. */
const INVITE_ERRORS = {
  not_found: 'invalid_token',
  conflict: 'account_exists',
  forbidden: 'invite_wrong_account',
} as const;

/**
 * Signed in as someone other than the invited person: says so, and offers to sign out and
 * carry on with the same link (then sign in as the invited address, or create its account).
 */
function SignedInAsSomeoneElse({ invite }: { invite: InviteInfo }) {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useSession();
  const [leaving, setLeaving] = useState(false);
  return (
    <Stack data-testid="invite-other-account">
      <Alert color="yellow" variant="light" c="yellow.9" role="status">
        <Stack gap="xs">
          <Text size="sm" inherit>
            {t('invite.signedInAsOther', { account: me.data?.user.email ?? '…', email: invite.email })}
          </Text>
          <Text size="sm" inherit>
            {t('invite.switchHint')}
          </Text>
        </Stack>
      </Alert>
      <Button
        loading={leaving}
        fullWidth
        onClick={() => {
          setLeaving(true);
          // The page stays on this invitation: signed out, it offers sign-in or a new account.
          void signOut().finally(() => setLeaving(false));
        }}
      >
        {t('invite.switchAccount')}
      </Button>
    </Stack>
  );
}

function NewAccountForm({ token, onAccepted }: { token: string; onAccepted(result: AcceptInviteResult): void }) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const accept = useMutation({
    mutationFn: (input: { name: string; password: string }) =>
      invitesApi.acceptWithNewAccount(token, {
        ...input,
        ageConfirmed: true,
        acceptTerms: true,
        termsVersion: CURRENT_TERMS_VERSION,
      }),
    onSuccess: onAccepted,
  });
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: '', password: '', ageConfirmed: false, acceptTerms: false },
    validate: {
      name: rules.name,
      password: rules.newPassword,
      ageConfirmed: (value) => (value ? null : t('validation.ageConfirmed')),
      acceptTerms: (value) => (value ? null : t('validation.acceptTerms')),
    },
  });
  return (
    <form
      noValidate
      aria-labelledby="new-account-title"
      onSubmit={form.onSubmit((values) => accept.mutate({ name: values.name.trim(), password: values.password }))}
    >
      <Stack>
        <Title order={2} size="h4" id="new-account-title">
          {t('invite.newAccountTitle')}
        </Title>
        {accept.isError && <ErrorAlert error={accept.error} overrides={INVITE_ERRORS} />}
        <TextInput
          label={t('auth.yourName')}
          autoComplete="name"
          required
          key={form.key('name')}
          {...form.getInputProps('name')}
        />
        <PasswordInput
          label={t('common.password')}
          description={rules.newPasswordHint}
          autoComplete="new-password"
          required
          key={form.key('password')}
          {...form.getInputProps('password')}
        />
        <ConsentCheckboxes form={form} />
        <Button type="submit" loading={accept.isPending} fullWidth>
          {t('invite.newAccountSubmit')}
        </Button>
      </Stack>
    </form>
  );
}

function AcceptAsCurrentUser({
  token,
  invite,
  onAccepted,
}: {
  token: string;
  invite: InviteInfo;
  onAccepted(result: AcceptInviteResult): void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const accept = useMutation({
    mutationFn: () => invitesApi.acceptAsCurrentUser(token),
    onSuccess: async (result) => {
      await client.invalidateQueries({ queryKey: keys.me });
      onAccepted(result);
    },
  });
  // The invitation turned out to be someone else's (the account changed meanwhile): offer the switch.
  if (hasCode(accept.error, 'wrong_account')) return <SignedInAsSomeoneElse invite={invite} />;
  return (
    <Stack>
      {me.data && <Text>{t('invite.acceptAsUser', { email: me.data.user.email })}</Text>}
      {accept.isError && <ErrorAlert error={accept.error} overrides={INVITE_ERRORS} />}
      <Button onClick={() => accept.mutate()} loading={accept.isPending} fullWidth>
        {t('invite.acceptSubmit')}
      </Button>
    </Stack>
  );
}

function Accepted({
  invite,
  result,
  newAccount,
}: {
  invite: InviteInfo;
  result: AcceptInviteResult;
  newAccount: boolean;
}) {
  const { t } = useTranslation();
  const home = `/b/${result.tenantId}`;
  return (
    <Stack>
      <Alert color="green" variant="light" role="status" c="green.9" data-testid="invite-accepted">
        {newAccount
          ? t('invite.acceptedNewAccount', { business: invite.businessName })
          : t('invite.accepted', { business: invite.businessName })}
      </Alert>
      {newAccount ? (
        <RouterAnchor to={`/login?next=${encodeURIComponent(home)}`}>{t('auth.loginLink')}</RouterAnchor>
      ) : (
        <RouterAnchor to={home}>{t('invite.openBusiness')}</RouterAnchor>
      )}
    </Stack>
  );
}

/** `/invite/:token`: who invites, with which role; join with a new account or as the signed-in user. */
export function InvitePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const { status } = useSession();
  const invite = useInvite(token);
  const [accepted, setAccepted] = useState<{ result: AcceptInviteResult; newAccount: boolean } | null>(null);

  const body = () => {
    if (invite.isPending || status === 'checking') {
      return (
        <Center py="md">
          <Loader size="sm" aria-label={t('invite.loading')} />
        </Center>
      );
    }
    if (invite.isError) {
      return invite.error instanceof ApiError && invite.error.status < 500 && invite.error.status !== 429 ? (
        <Alert color="red" variant="light" role="alert" c="red.9">
          {t('invite.invalid')}
        </Alert>
      ) : (
        <ErrorAlert error={invite.error} onRetry={() => void invite.refetch()} />
      );
    }
    if (accepted) return <Accepted invite={invite.data} {...accepted} />;
    return (
      <>
        <Text data-testid="invite-summary">
          {t('invite.summary', { business: invite.data.businessName, role: t(`roles.${invite.data.role}`) })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('invite.sentTo', { email: invite.data.email })}
        </Text>
        {status === 'signedIn' && invite.data.forYou === false ? (
          <SignedInAsSomeoneElse invite={invite.data} />
        ) : status === 'signedIn' ? (
          <AcceptAsCurrentUser
            token={token}
            invite={invite.data}
            onAccepted={(result) => setAccepted({ result, newAccount: false })}
          />
        ) : invite.data.accountExists ? (
          <>
            <Text>{t('invite.existingAccount')}</Text>
            <Button component={Link} to={`/login?next=${encodeURIComponent(`/invite/${token}`)}`}>
              {t('invite.loginToAccept')}
            </Button>
          </>
        ) : (
          <NewAccountForm token={token} onAccepted={(result) => setAccepted({ result, newAccount: true })} />
        )}
      </>
    );
  };

  return (
    <PublicLayout>
      <Stack>
        <PageHeader title={t('invite.title')} />
        {body()}
      </Stack>
    </PublicLayout>
  );
}
