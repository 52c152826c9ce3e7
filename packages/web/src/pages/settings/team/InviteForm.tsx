import { ASSIGNABLE_ROLES, type AssignableRole } from '@asistone/contract/roles';
import { Button, Group, Select, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useInviteMember } from '../../../api/queries';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useFormRules } from '../../../components/formRules';
import { notify } from '../../../components/notify';
import { useBusiness } from '../../../shell/BusinessContext';

/** Invites a teammate by email with a role. */
export function InviteForm() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const invite = useInviteMember(tenantId);
  const rules = useFormRules();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '', role: 'agent' as AssignableRole },
    validate: { email: rules.email },
  });

  return (
    <form
      aria-labelledby="invite-title"
      noValidate
      onSubmit={form.onSubmit((values) =>
        invite.mutate(
          { email: values.email.trim(), role: values.role },
          {
            onSuccess: () => {
              notify.success(t('team.invited', { email: values.email.trim() }));
              form.reset();
            },
          },
        ),
      )}
    >
      <Title order={2} size="h4" id="invite-title" mb="sm">
        {t('team.inviteTitle')}
      </Title>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          label={t('team.inviteEmail')}
          type="email"
          autoComplete="off"
          required
          style={{ flex: '1 1 240px' }}
          key={form.key('email')}
          {...form.getInputProps('email')}
        />
        <Select
          label={t('team.inviteRole')}
          data={ASSIGNABLE_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          allowDeselect={false}
          w={{ base: '100%', xs: 180 }}
          key={form.key('role')}
          {...form.getInputProps('role')}
        />
        <Button type="submit" loading={invite.isPending} mt={{ base: 0, xs: 25 }}>
          {t('team.inviteSubmit')}
        </Button>
      </Group>
      {invite.isError && (
        <div style={{ marginTop: 'var(--mantine-spacing-sm)' }}>
          <ErrorAlert error={invite.error} overrides={{ conflict: 'already_member' }} />
        </div>
      )}
    </form>
  );
}
