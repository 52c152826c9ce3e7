import { isRole } from '@asistone/contract/roles';
import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, Member } from '../../api/types';
import { useFormatDateTime } from '../../components/format';

interface AuditTableProps {
  entries: AuditEntry[];
  members: Member[] | undefined;
}

const TARGET_TYPES = ['invite', 'user', 'session'] as const;
const isTargetType = (value: string): value is (typeof TARGET_TYPES)[number] =>
  (TARGET_TYPES as readonly string[]).includes(value);

/** One row per audit entry; the source address is shown exactly as the API masked it. */
export function AuditTable({ entries, members }: AuditTableProps) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const memberName = (userId: string) => members?.find((member) => member.userId === userId)?.name;
  /** `user:<id>` reads as the member's name, `invite:<id>` as "Invitation"; the raw value stays in the tooltip. */
  const targetOf = (entry: AuditEntry) => {
    if (!entry.target) return '—';
    const [type = '', id = ''] = entry.target.split(':', 2);
    if (type === 'user' && memberName(id)) return memberName(id);
    return isTargetType(type) ? t(`audit.targetTypes.${type}`) : entry.target;
  };
  const readable = (value: string) => (isRole(value) ? t(`roles.${value}`) : value);
  /** `{ from, to }` reads "Agent → Analyst"; other facts as `key: value`, roles translated. */
  const detailOf = (entry: AuditEntry) => {
    const { from, to, ...rest } = entry.detail ?? {};
    const change = from !== undefined && to !== undefined ? [`${readable(from)} → ${readable(to)}`] : [];
    const single = Object.entries({ ...rest, ...(change.length ? {} : { from, to }) })
      .filter((pair): pair is [string, string] => pair[1] !== undefined)
      .map(([key, value]) => (key === 'role' ? readable(value) : `${key}: ${readable(value)}`));
    return [...change, ...single].join(', ') || '—';
  };

  if (entries.length === 0) return <Text c="dimmed">{t('audit.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="xs" striped data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('audit.at')}</Table.Th>
            <Table.Th scope="col">{t('audit.action')}</Table.Th>
            <Table.Th scope="col">{t('audit.actor')}</Table.Th>
            <Table.Th scope="col">{t('audit.target')}</Table.Th>
            <Table.Th scope="col">{t('audit.detail')}</Table.Th>
            <Table.Th scope="col">{t('audit.sourceAddress')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.id} data-action={entry.action}>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(entry.at)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" title={entry.action}>
                  {t(`auditActions.${entry.action}`, { defaultValue: entry.action })}
                </Text>
              </Table.Td>
              <Table.Td>{memberName(entry.actorId) ?? entry.actorId}</Table.Td>
              <Table.Td title={entry.target ?? undefined}>{targetOf(entry)}</Table.Td>
              <Table.Td>{detailOf(entry)}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {entry.sourceAddress ?? '—'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
