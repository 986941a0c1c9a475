import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { isProblem } from './problem';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // An answer of the API (a problem+json) is final; only a network failure is worth a retry.
    queries: { retry: (failures, error) => !isProblem(error) && failures < 2, staleTime: 15_000 },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
