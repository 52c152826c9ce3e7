import { Alert, Button, CopyButton, Group, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatDateTime } from '../../components/format';

interface RecoveryCodesPanelProps {
  codes: string[];
  email: string;
  onDone(): void;
}

/** The text file a person keeps: who it is for, when it was made, and the codes one a line. */
function recoveryCodesFile(
  lines: { heading: string; account: string; created: string; note: string },
  codes: string[],
) {
  return [lines.heading, lines.account, lines.created, lines.note, '', ...codes, ''].join('\n');
}

/**
 * New recovery codes, shown this once (the API keeps only their hashes): listed, copyable and
 * downloadable as a .txt file. Inline rather than a modal, so nothing else on the page is
 * blocked while the person saves them.
 */
export function RecoveryCodesPanel({ codes, email, onDone }: RecoveryCodesPanelProps) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const text = recoveryCodesFile(
    {
      heading: t('security.fileHeading'),
      account: t('security.fileAccount', { email }),
      created: t('security.fileCreated', { date: formatDateTime(Date.now()) }),
      note: t('security.fileNote'),
    },
    codes,
  );

  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = t('security.fileName');
    document.body.append(link);
    link.click();
    link.remove();
    // The click has started the download; the object URL is no longer needed after this turn.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  return (
    // The page's own text colour on the light yellow: Mantine's yellow text on it is too faint to read.
    <Alert color="yellow" variant="light" data-testid="recovery-codes" maw={640} mb="lg">
      <Stack gap="sm">
        <Text fw={700}>{t('security.recoverySaveNow')}</Text>
        <Text size="sm">{t('security.recoveryShownOnce')}</Text>
        <List
          aria-label={t('security.recoveryTitle')}
          listStyleType="none"
          ff="monospace"
          fz="md"
          spacing={2}
          styles={{ root: { columns: 2, maxWidth: 360 } }}
        >
          {codes.map((code) => (
            <List.Item key={code} data-testid="recovery-code">
              {code}
            </List.Item>
          ))}
        </List>
        <Group gap="sm">
          <Button size="xs" onClick={download}>
            {t('security.recoveryDownload')}
          </Button>
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? t('security.copied') : t('security.copy')}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="subtle" onClick={onDone}>
            {t('security.recoverySaved')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
