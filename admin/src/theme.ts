import { defaultTheme, type RaThemeOptions } from 'react-admin';

/** react-admin's default theme with calmer colours and comfortable body type for long reading sessions. */
export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: { ...defaultTheme.palette, primary: { main: '#1f4e79' }, secondary: { main: '#2d3e50' }, background: { default: '#f6f7f9' } },
  typography: {
    ...defaultTheme.typography,
    fontFamily: '"Inter", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    body1: { lineHeight: 1.6 },
  },
  components: {
    ...defaultTheme.components,
    MuiTextField: { defaultProps: { variant: 'outlined', size: 'small' } },
  },
};
