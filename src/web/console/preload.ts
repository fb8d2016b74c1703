import { enableConsoleTexts } from '../i18n/index.ts';

type ConsoleModule = typeof import('./ConsoleApp.tsx');
let loading: Promise<ConsoleModule> | null = null;

/**
 * The console's code and its texts (i18n section `console`), fetched together and once: by the console route
 * after login (App.tsx), or ahead of it by the login page while someone types their password, so that on a slow
 * phone connection the dashboard does not wait for its code after the login answer. A failed fetch is retried
 * on the next call.
 */
export function loadConsole(): Promise<ConsoleModule> {
  loading ??= Promise.all([import('./ConsoleApp.tsx'), enableConsoleTexts()]).then(
    ([m]) => m,
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}
