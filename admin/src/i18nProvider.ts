import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';

const messages = {
  ...englishMessages,
  resources: {
    articles: { name: 'Article |||| Articles' },
    'audit-events': { name: 'Audit event |||| Audit log' },
    'import-batches': { name: 'Import batch |||| Import batches' },
    'export-batches': { name: 'Export batch |||| Export batches' },
    users: { name: 'User |||| Users' },
  },
};

/**
 * English UI strings. Server messages (errors, login refusals) are shown as
 * given: `allowMissing` returns an unknown key unchanged instead of a warning.
 */
export const i18nProvider = polyglotI18nProvider(() => messages, 'en', [{ locale: 'en', name: 'English' }], { allowMissing: true });
