import { type CSSVariablesResolver, createTheme } from '@mantine/core';

/**
 * Mantine's defaults, with darker shades where the defaults fall short of WCAG AA contrast on
 * white (filled buttons, links, dimmed text, field errors). The keyboard focus ring is Mantine's
 * ("auto": shown on keyboard focus).
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  focusRing: 'auto',
  defaultRadius: 'md',
  cursorType: 'pointer',
  components: {
    // The current page's link keeps its background under the pointer: the darker hover shade
    // (blue-2) leaves its blue-9 text at 4:1, short of AA. (A plain object, not NavLink.extend,
    // so the theme does not pull NavLink into the first download.)
    NavLink: { vars: () => ({ root: { '--nl-hover': 'var(--mantine-primary-color-light)' } }) },
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Placeholders say something ("any date"): gray-6 has 3.3:1 on white, gray-7 over 4.5:1.
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    // Field errors are small text: red-6 has 3.6:1 on white, red-9 over 5:1.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
