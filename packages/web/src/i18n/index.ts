import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '../api/client';
import type { Messages } from './en';

export const LANGUAGES = ['tr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'asistone.language';
export const DEFAULT_LANGUAGE: Language = 'tr';

/** Each language is a chunk of its own: a visitor downloads only the language on screen. */
const MESSAGES: Record<Language, () => Promise<Messages>> = {
  tr: () => import('./tr').then((module) => module.tr),
  en: () => import('./en').then((module) => module.en),
};

function isLanguage(value: unknown): value is Language {
  return LANGUAGES.includes(value as Language);
}

function rememberedLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    // Storage can be blocked (private mode, policies): Turkish is the default.
    return DEFAULT_LANGUAGE;
  }
}

function applyLanguage(language: string) {
  document.documentElement.lang = language;
  setRequestLanguage(language);
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, still applied.
  }
}

async function load(language: Language) {
  if (!i18next.hasResourceBundle(language, 'translation')) {
    i18next.addResourceBundle(language, 'translation', await MESSAGES[language]());
  }
}

/** The language asked for last: a slower download finishing later must not override it. */
let wanted: Language = DEFAULT_LANGUAGE;

/**
 * Switches the whole UI, updates `<html lang>` and remembers the choice. The screen stays in
 * the current language until the new one's messages are in.
 */
export async function changeLanguage(language: Language) {
  wanted = language;
  await load(language);
  if (wanted === language) await i18next.changeLanguage(language);
}

export function currentLanguage(): Language {
  return isLanguage(i18next.resolvedLanguage) ? i18next.resolvedLanguage : DEFAULT_LANGUAGE;
}

/**
 * Loads the remembered language (Turkish unless the visitor chose otherwise) and starts
 * i18next with it. The app renders once this resolves, so no key is ever shown untranslated.
 */
export async function startI18n(): Promise<void> {
  wanted = rememberedLanguage();
  const messages = await MESSAGES[wanted]();
  i18next.on('languageChanged', applyLanguage);
  await i18next.use(initReactI18next).init({
    resources: { [wanted]: { translation: messages } },
    lng: wanted,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    initAsync: false,
  });
}

export { i18next };
