import '@mantine/core/styles/Progress.css';
import { Alert, Button, CloseButton, FileButton, Group, Progress, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ChannelKind, MEGABYTE, OUTBOUND_MEDIA_LIMITS, outboundMediaKindOf } from '../../api/inbox-types';

/** "1.4 MB", "320 KB": a file's size as a person reads it. */
function sizeText(bytes: number): string {
  return bytes >= MEGABYTE ? `${(bytes / MEGABYTE).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

interface AttachFileProps {
  channel: ChannelKind;
  file: File | null;
  onChange(file: File | null): void;
  /** Upload progress 0..1 while the file is being sent; null otherwise. */
  progress: number | null;
  disabled?: boolean;
}

/**
 * Picks a file to send with the reply. The channel's own limits (the ones the API applies) are
 * checked at once, so a file that cannot go is refused with its reason before any upload.
 */
export function AttachFile({ channel, file, onChange, progress, disabled }: AttachFileProps) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<string | null>(null);
  const limits = OUTBOUND_MEDIA_LIMITS[channel];
  const accept = Object.values(limits)
    .flatMap((limit) => limit.types)
    .join(',');

  const pick = (picked: File | null) => {
    setProblem(null);
    if (!picked) return;
    const kind = outboundMediaKindOf(channel, picked.type);
    if (!kind) {
      setProblem(t('inbox.attachment.wrongType', { name: picked.name }));
      onChange(null);
      return;
    }
    const { maxBytes } = limits[kind];
    if (picked.size > maxBytes) {
      setProblem(
        t('inbox.attachment.tooLarge', {
          name: picked.name,
          size: sizeText(picked.size),
          kind: t(`inbox.mediaKinds.${kind}`),
          max: maxBytes / MEGABYTE,
        }),
      );
      onChange(null);
      return;
    }
    if (picked.size === 0) {
      setProblem(t('inbox.attachment.empty', { name: picked.name }));
      onChange(null);
      return;
    }
    onChange(picked);
  };

  return (
    <>
      {file ? (
        <Group gap={6} wrap="nowrap" data-testid="attached-file">
          <Text size="sm" truncate="end" style={{ minWidth: 0 }}>
            {t('inbox.attachment.attached', { name: file.name, size: sizeText(file.size) })}
          </Text>
          {progress === null && (
            <CloseButton
              size="sm"
              aria-label={t('inbox.attachment.remove', { name: file.name })}
              onClick={() => onChange(null)}
            />
          )}
        </Group>
      ) : (
        <FileButton onChange={pick} accept={accept} disabled={disabled}>
          {(props) => (
            <Button variant="default" {...props} data-testid="attach-file">
              {t('inbox.attachment.attach')}
            </Button>
          )}
        </FileButton>
      )}
      {progress !== null && (
        <Progress
          value={Math.round(progress * 100)}
          aria-label={t('inbox.attachment.uploading', { percent: Math.round(progress * 100) })}
          size="sm"
          mt={4}
          style={{ flexBasis: '100%' }}
        />
      )}
      {problem && (
        <Alert color="red" variant="light" role="alert" style={{ flexBasis: '100%' }} data-testid="attachment-problem">
          <Text size="sm">{problem}</Text>
        </Alert>
      )}
    </>
  );
}
