import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCreateBusiness } from '../../api/businesses';
import { useMe } from '../../api/queries';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormRules } from '../../components/formRules';
import { notify } from '../../components/notify';
import { PageHeader } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';
import { RouterAnchor } from '../../components/RouterAnchor';

/**
 * `/new-business`: a signed-in person starts a business and becomes its owner; it opens on its
 * getting-started page. Reached from the "no business yet" page and from the business switcher.
 */
export function NewBusinessPage() {
  const { t } = useTranslation();
  const rules = useFormRules();
  const navigate = useNavigate();
  // Read so that starting a business waits until the list of businesses includes it.
  const me = useMe();
  const create = useCreateBusiness();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: '' },
    validate: { name: rules.name },
  });
  return (
    <PublicLayout>
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          create.mutate(
            { name: values.name.trim() },
            {
              onSuccess: (business) => {
                notify.success(t('newBusiness.created', { name: business.name }));
                navigate(`/b/${business.tenantId}`);
              },
            },
          ),
        )}
      >
        <Stack>
          <PageHeader title={t('newBusiness.title')} description={t('newBusiness.description')} />
          {create.isError && <ErrorAlert error={create.error} />}
          <TextInput
            label={t('auth.businessName')}
            autoComplete="organization"
            required
            data-autofocus
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          <Group justify="space-between">
            {me.data && me.data.businesses.length > 0 ? (
              <RouterAnchor to="/" size="sm">
                {t('common.cancel')}
              </RouterAnchor>
            ) : (
              <span />
            )}
            <Button type="submit" loading={create.isPending}>
              {t('newBusiness.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </PublicLayout>
  );
}
