import { Checkbox, MultiSelect, Pill, Select, Stack, TagsInput, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAudienceLists } from '../../api/campaign-audience';
import { QueryState } from '../../components/QueryState';

export type AudienceSource = 'lists' | 'inbox';

/** The words of the page the picker is on: the audience page explains more than the editor. */
export interface AudiencePickerWording {
  source: string;
  fromLists: string;
  fromInbox: string;
  noLists: string;
  lists: string;
  chooseList: string;
  labels: string;
  consentedOnly: string;
  listsHint?: string;
  labelsHint?: string;
  /** A button to clear every chosen list at once, named by this. */
  clearLists?: string;
}

/**
 * Who a campaign goes to: customers on lists, or the inbox's WhatsApp customers (by label, and
 * optionally only those who agreed to marketing). The page keeps the choice, so it can check or
 * save it.
 */
export function AudiencePicker({
  tenantId,
  wording,
  source,
  onSourceChange,
  listIds,
  onListIdsChange,
  labels,
  onLabelsChange,
  consentedOnly,
  onConsentedOnlyChange,
  missingList,
}: {
  tenantId: string;
  wording: AudiencePickerWording;
  source: AudienceSource;
  onSourceChange: (source: AudienceSource) => void;
  listIds: string[];
  onListIdsChange: (listIds: string[]) => void;
  labels: string[];
  onLabelsChange: (labels: string[]) => void;
  consentedOnly: boolean;
  onConsentedOnlyChange: (consentedOnly: boolean) => void;
  /** The lists were left empty when the page needed them. */
  missingList: boolean;
}) {
  const { t } = useTranslation();
  const lists = useAudienceLists(tenantId);
  return (
    <>
      <Select
        label={wording.source}
        data={[
          { value: 'lists', label: wording.fromLists },
          { value: 'inbox', label: wording.fromInbox },
        ]}
        value={source}
        allowDeselect={false}
        onChange={(value) => onSourceChange(value === 'inbox' ? 'inbox' : 'lists')}
      />
      {source === 'lists' ? (
        <QueryState query={lists}>
          {(ready) =>
            ready.length === 0 ? (
              <Text size="sm" c="dimmed">
                {wording.noLists}
              </Text>
            ) : (
              <MultiSelect
                label={wording.lists}
                description={wording.listsHint}
                data={ready.map((list) => ({
                  value: list.listId,
                  label: t('campaignAudience.check.listOption', { name: list.name, count: list.counts.accepted }),
                }))}
                value={listIds}
                onChange={onListIdsChange}
                error={missingList ? wording.chooseList : undefined}
                searchable
                {...(wording.clearLists && {
                  clearable: true,
                  clearButtonProps: { 'aria-label': wording.clearLists },
                })}
                renderPill={({ option, onRemove }) => (
                  <Pill
                    withRemoveButton
                    onRemove={onRemove}
                    removeButtonProps={{
                      'aria-label': t('campaignAudience.check.removeList', { name: option.label }),
                    }}
                  >
                    {option.label}
                  </Pill>
                )}
              />
            )
          }
        </QueryState>
      ) : (
        <Stack gap="sm">
          <TagsInput
            label={wording.labels}
            description={wording.labelsHint}
            value={labels}
            onChange={onLabelsChange}
            maxTags={20}
            renderPill={({ value, onRemove }) => (
              <Pill
                withRemoveButton
                onRemove={onRemove}
                removeButtonProps={{ 'aria-label': t('campaignAudience.check.removeLabel', { label: value ?? '' }) }}
              >
                {value}
              </Pill>
            )}
          />
          <Checkbox
            label={wording.consentedOnly}
            checked={consentedOnly}
            onChange={(event) => onConsentedOnlyChange(event.currentTarget.checked)}
          />
        </Stack>
      )}
    </>
  );
}
