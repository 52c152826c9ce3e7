import { useTranslation } from 'react-i18next';
import { useMembers } from '../../api/queries';
import { tr } from '../../i18n/tr';
import { useBusiness } from '../../shell/BusinessContext';

type DataClassLabel = keyof typeof tr.contacts.dataClasses;

/**
 * A data class as a merchant reads it (`inbox.messages` → "Messages"). Areas added later declare
 * classes this list does not know yet: those show under their own name rather than not at all.
 */
export function useDataClassLabel() {
  const { t } = useTranslation();
  return (dataClass: string) =>
    dataClass in tr.contacts.dataClasses ? t(`contacts.dataClasses.${dataClass as DataClassLabel}`) : dataClass;
}

/**
 * Who did something, from the API's `member:<userId>` / `ops:<name>` / `meta` /
 * `schedule:<name>`: the member's name when they are on the team (you, for yourself), else the
 * kind of actor. Receipts keep only the id, so a member who left shows as "a team member".
 */
export function useDescribeActor() {
  const { t } = useTranslation();
  const { tenantId, me } = useBusiness();
  const members = useMembers(tenantId);
  return (by: string) => {
    const [kind, id] = by.split(/:(.*)/s, 2);
    if (kind === 'member' && id) {
      const name = members.data?.find((member) => member.userId === id)?.name;
      if (id === me.user.id) return name ? `${t('contacts.by.you')} (${name})` : t('contacts.by.you');
      return name ?? t('contacts.by.member');
    }
    if (kind === 'ops') return t('contacts.by.ops');
    if (kind === 'meta') return t('contacts.by.meta');
    if (kind === 'schedule') return t('contacts.by.schedule');
    return by;
  };
}
