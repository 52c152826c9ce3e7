import { Alert, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type StockLocation, useAddStockLocation } from '../../api/stock';
import { useDescribeError } from '../../components/errors';
import { notify } from '../../components/notify';
import { useBusiness } from '../../shell/BusinessContext';

/** The longest name a location may have (the API's own limit). */
const MAX_NAME = 80;

/**
 * Where stock is kept, as the stock table's columns: Shopify's locations, and the business's own
 * that Shopify never sees (a back room, a van), which owners and admins add here.
 */
export function LocationsPanel({ locations }: { locations: readonly StockLocation[] }) {
  const { t } = useTranslation();
  const { can } = useBusiness();
  const titleId = useId();
  return (
    <Stack gap="xs" component="section" aria-labelledby={titleId} data-testid="stock-locations">
      <Title order={2} size="h5" id={titleId}>
        {t('stock.locations.title')}
      </Title>
      {locations.length > 0 && (
        <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
          {locations.map((location) => (
            <Paper
              component="li"
              key={location.locationId}
              withBorder
              radius="sm"
              p={6}
              data-testid="stock-location"
              data-source={location.source}
            >
              <Group gap="xs" wrap="wrap">
                <Text size="sm" fw={600}>
                  {location.name}
                </Text>
                <Badge variant="light" color={location.source === 'shopify' ? 'green' : 'blue'} c="gray.9">
                  {t(`stock.locations.source.${location.source}`)}
                </Badge>
                {location.fulfillsOnlineOrders && (
                  <Text size="xs" c="gray.7">
                    {t('stock.locations.online')}
                  </Text>
                )}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      {can('stock.manage') && <AddLocationForm />}
    </Stack>
  );
}

function AddLocationForm() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const add = useAddStockLocation(tenantId);
  const describe = useDescribeError();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const trimmed = name.trim();
    if (!trimmed) {
      setProblem(t('stock.locations.required'));
      return;
    }
    if (trimmed.length > MAX_NAME) {
      setProblem(t('stock.locations.tooLong'));
      return;
    }
    setProblem(null);
    add.mutate(trimmed, {
      onSuccess: ({ location }) => {
        setName('');
        notify.success(t('stock.locations.added', { name: location.name }));
      },
      onError: (error) => setFailure(describe(error)),
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="stock-location-form">
      <Stack gap="xs">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label={t('stock.locations.name')}
            description={t('stock.locations.nameHint')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={problem}
            autoComplete="off"
            w={{ base: '100%', sm: 360 }}
          />
          <Button type="submit" loading={add.isPending}>
            {t('stock.locations.add')}
          </Button>
        </Group>
        {failure && (
          <Alert color="red" variant="light" role="alert">
            {failure}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
