import { Button, Stack, Text } from '@mantine/core';
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/QueryState';

/**
 * One of the store's lists (orders, customers, products): its pages as one list, a sentence
 * when there is nothing, and "more" while the API has another page.
 */
export function PagedList<T>({
  query,
  label,
  empty,
  children,
}: {
  query: UseInfiniteQueryResult<InfiniteData<{ items: T[] }>>;
  /** The list's accessible name. */
  label: string;
  empty: string;
  /** One item, as a list item (`component="li"`). */
  children: (item: T) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <QueryState query={query}>
        {(data) => {
          const list = data.pages.flatMap((page) => page.items);
          return list.length === 0 ? (
            <Text size="sm" c="dimmed">
              {empty}
            </Text>
          ) : (
            <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={label}>
              {list.map(children)}
            </Stack>
          );
        }}
      </QueryState>
      {query.hasNextPage && (
        <Button
          variant="default"
          w="fit-content"
          loading={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {t('store.more')}
        </Button>
      )}
    </>
  );
}
