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
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    // Field errors are small text: red-6 has 3.6:1 on white, red-9 over 5:1.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
