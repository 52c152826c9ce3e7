import 'i18next';
import type { tr } from './tr';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof tr };
  }
}
