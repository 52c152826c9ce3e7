import { shopifyCustomAppBody } from '@asistone/contract/shopify';
import { Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useConnectCustomApp } from '../../api/shopify-custom-app';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { useBusiness } from '../../shell/BusinessContext';

/**
 * The other way in: a merchant who made a custom app for their own store in Shopify's Dev
 * Dashboard gives its client id and secret instead of installing Asistone's app. Folded away
 * by default: most merchants use the install above.
 */
export function CustomAppForm({ initialShop }: { initialShop: string }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const connect = useConnectCustomApp(tenantId);
  const describe = useDescribeError();
  const [open, setOpen] = useState(false);
  const [shop, setShop] = useState(initialShop);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = shopifyCustomAppBody.safeParse({ shop, clientId, clientSecret });
    if (!checked.success) {
      const shopWrong = checked.error.issues.some((issue) => issue.path[0] === 'shop');
      setError(shopWrong ? t('store.connection.shopHint') : t('store.customApp.required'));
      return;
    }
    setError(null);
    connect.mutate(checked.data, {
      onSuccess: () => {
        // The secret leaves the page once it is stored.
        setClientSecret('');
        notify.success(t('store.customApp.connected'));
      },
      // Refused at Shopify (wrong secret, another store) or short of scopes: the merchant's words.
      onError: (failure) =>
        setError(
          failure instanceof ApiError && failure.status === 400 ? t('store.customApp.refused') : describe(failure),
        ),
    });
  };

  return (
    <div>
      <Button variant="default" size="compact-sm" onClick={() => setOpen((was) => !was)} aria-expanded={open}>
        {t('store.customApp.open')}
      </Button>
      {open && (
        <form onSubmit={submit} noValidate aria-label={t('store.customApp.title')} data-testid="store-custom-app">
          <Stack gap="sm" mt="sm" maw="32rem">
            <Text size="sm">{t('store.customApp.description')}</Text>
            <TextInput
              label={t('store.connection.shopLabel')}
              placeholder="magazam.myshopify.com"
              value={shop}
              onChange={(event) => setShop(event.currentTarget.value)}
              autoComplete="off"
              spellCheck={false}
            />
            <TextInput
              label={t('store.customApp.clientId')}
              value={clientId}
              onChange={(event) => setClientId(event.currentTarget.value)}
              autoComplete="off"
              spellCheck={false}
            />
            <PasswordInput
              label={t('store.customApp.clientSecret')}
              description={t('store.customApp.secretHint')}
              value={clientSecret}
              onChange={(event) => setClientSecret(event.currentTarget.value)}
              autoComplete="off"
              error={error}
            />
            <Button type="submit" w="fit-content" loading={connect.isPending}>
              {t('store.customApp.connect')}
            </Button>
          </Stack>
        </form>
      )}
    </div>
  );
}
