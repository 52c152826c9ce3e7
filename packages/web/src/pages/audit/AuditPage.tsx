import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAudit, useMembers } from '../../api/queries';
import type { AuditFilters as Filters } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useBusiness } from '../../shell/BusinessContext';
import { AuditFilters, toApiFilters } from './AuditFilters';
import { AuditTable } from './AuditTable';

/** Settings › Audit log (owners and admins): filterable, paged by the API's cursor. */
export function AuditPage() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const [filters, setFilters] = useState<Filters>({});
  // Cursors of the pages visited so far; the last one is the page shown (undefined = first page).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const audit = useAudit(tenantId, filters, cursor);
  const members = useMembers(tenantId, can('team.read'));
  const nextCursor = audit.data?.nextCursor ?? null;

  return (
    <>
      <PageHeader order={2} title={t('audit.title')} description={t('audit.description')} />
      <AuditFilters
        members={members.data}
        onApply={(values) => {
          setFilters(toApiFilters(values));
          setCursors([undefined]);
        }}
      />
      <QueryState query={audit}>
        {(page) => (
          <>
            <AuditTable entries={page.entries} members={members.data} />
            <Group component="nav" aria-label={t('audit.pagination')} justify="space-between" mt="md">
              <Button
                variant="default"
                disabled={cursors.length < 2}
                onClick={() => setCursors((list) => list.slice(0, -1))}
              >
                {t('audit.newer')}
              </Button>
              <Text size="sm" c="dimmed">
                {t('audit.page', { page: cursors.length })}
              </Text>
              <Button
                variant="default"
                disabled={!nextCursor || audit.isPlaceholderData}
                onClick={() => nextCursor && setCursors((list) => [...list, nextCursor])}
              >
                {t('audit.older')}
              </Button>
            </Group>
          </>
        )}
      </QueryState>
    </>
  );
}
