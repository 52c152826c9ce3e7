import { Badge, CloseButton, Group, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The contract's label rule (labelSchema): up to 32 letters, digits, spaces, '-' and '_'. */
const LABEL = /^[\p{L}\p{N} _-]{1,32}$/u;
const MAX_LABELS = 20;

interface LabelsEditorProps {
  labels: string[];
  disabled: boolean;
  onChange(labels: string[]): void;
}

/**
 * A conversation's labels: each with its own remove button (named after the label), and a field
 * that adds one on Enter. Written out rather than Mantine's TagsInput, whose remove buttons
 * have no accessible name.
 */
export function LabelsEditor({ labels, disabled, onChange }: LabelsEditorProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);

  const add = () => {
    const label = draft.trim();
    if (!label) return;
    if (!LABEL.test(label)) return setError(t('inbox.labelInvalid'));
    if (labels.length >= MAX_LABELS) return setError(t('inbox.labelsFull', { max: MAX_LABELS }));
    setError(null);
    setDraft('');
    if (!labels.includes(label)) onChange([...labels, label]);
  };

  return (
    <Stack gap={4} w={{ base: '100%', xs: 260 }}>
      <TextInput
        label={t('inbox.labels')}
        placeholder={t('inbox.addLabel')}
        value={draft}
        disabled={disabled}
        error={error}
        maxLength={32}
        onChange={(event) => {
          setDraft(event.currentTarget.value);
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
            event.preventDefault();
            add();
          }
        }}
      />
      {labels.length > 0 && (
        <Group gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('inbox.labelList')}>
          {labels.map((label) => (
            <li key={label}>
              <Badge
                variant="light"
                color="gray"
                c="gray.9"
                tt="none"
                data-testid="conversation-label"
                rightSection={
                  disabled ? undefined : (
                    <CloseButton
                      size="xs"
                      aria-label={t('inbox.removeLabel', { label })}
                      onClick={() => onChange(labels.filter((known) => known !== label))}
                    />
                  )
                }
              >
                {label}
              </Badge>
            </li>
          ))}
        </Group>
      )}
    </Stack>
  );
}
