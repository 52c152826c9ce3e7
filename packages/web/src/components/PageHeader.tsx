import { Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Keeps the tab title in step with the page (and the language). */
export function useDocumentTitle(title: string) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
}

function DocumentTitle({ title }: { title: string }) {
  useDocumentTitle(title);
  return null;
}

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  /** Heading level: 1 for a page, 2 inside a page with its own h1 (settings sections). */
  order?: 1 | 2;
  /** The browser tab's title when it should say more than the heading; only pages (order 1) set it. */
  documentTitle?: string;
}

/** The page's heading and one line about it. */
export function PageHeader({ title, description, order = 1, documentTitle }: PageHeaderProps) {
  return (
    <>
      {order === 1 && <DocumentTitle title={documentTitle ?? title} />}
      <Stack gap={4} mb="md">
        <Title order={order} size={order === 1 ? 'h2' : 'h3'}>
          {title}
        </Title>
        {description && <Text c="dimmed">{description}</Text>}
      </Stack>
    </>
  );
}
