import { QueryClient } from '@tanstack/react-query';

/**
 * react-query retries every failed query three times with back-off by default,
 * which turns "not logged in" (401) or "not allowed" (403) into seconds of
 * spinner. Only failures that may be transient (network, 5xx, 429) are retried.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failures, error) => {
        const status = (error as { status?: number })?.status;
        if (status !== undefined && status < 500 && status !== 429 && status !== 0) return false;
        return failures < 2;
      },
    },
  },
});
