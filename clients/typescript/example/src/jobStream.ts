// Live job status over `WS /api/v1/ws/jobs` (docs/live-status.md). OpenAPI cannot describe a
// socket, so there is no generated function for it, but its messages are generated types
// (`JobStreamMessage`, `JobStatus`); re-reads after a resync go through `getImportStatus`.
import { useEffect, useRef, useState } from 'react';

import { getImportStatus, type JobStatus, type JobStreamMessage } from '@co2calculator/client';

import { refreshNow } from './session';

export type StreamState = 'connecting' | 'replaying' | 'live' | 'reconnecting';

export interface JobStream {
  state: StreamState;
  /** Latest status of every job seen, by id. */
  jobs: Record<string, JobStatus>;
}

/** After a 1008, one refresh per this period at most. */
const POLICY_RETRY_MS = 30_000;
let lastPolicyRefresh = 0;

const ENDED = new Set<JobStatus['state']>(['succeeded', 'failed', 'cancelled']);

export const hasEnded = (job: JobStatus): boolean => ENDED.has(job.state);

/** Keep the newest status of a job: events can arrive twice, e.g. around a reconnect. */
function merge(jobs: Record<string, JobStatus>, job: JobStatus): Record<string, JobStatus> {
  const known = jobs[job.id];
  if (known && Date.parse(known.updated_at) > Date.parse(job.updated_at)) return jobs;
  return { ...jobs, [job.id]: job };
}

function socketUrl(token: string): string {
  const url = new URL('/api/v1/ws/jobs', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', token);
  return url.toString();
}

/** One socket per access token: a refreshed token reconnects (the server re-checks the socket's
 * own credentials every minute and closes it with 1008 once they expire). */
export function useJobStream(accessToken: string | null): JobStream {
  const [stream, setStream] = useState<JobStream>({ state: 'connecting', jobs: {} });
  const known = useRef<Record<string, JobStatus>>({}); // survives reconnects

  useEffect(() => {
    if (!accessToken) return;
    let socket: WebSocket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const update = (jobs: Record<string, JobStatus>, state?: StreamState) => {
      known.current = jobs;
      setStream((previous) => ({ state: state ?? previous.state, jobs }));
    };

    // Events may have been missed (the server's listener reconnected): re-read what is unfinished.
    const reread = async () => {
      for (const job of Object.values(known.current)) {
        if (hasEnded(job)) continue;
        const { data } = await getImportStatus({ path: { job_id: job.id } });
        if (data && !stopped) update(merge(known.current, data));
      }
    };

    const connect = () => {
      socket = new WebSocket(socketUrl(accessToken));
      socket.onopen = () => {
        attempt = 0;
        setStream((previous) => ({ ...previous, state: 'replaying' }));
      };
      socket.onmessage = ({ data }) => {
        const message = JSON.parse(String(data)) as JobStreamMessage;
        if (message.type === 'job') update(merge(known.current, message.job));
        else if (message.type === 'ready') {
          update(known.current, 'live');
          void reread();
        } else if (message.type === 'resync') void reread();
      };
      socket.onclose = ({ code }) => {
        if (stopped) return;
        setStream((previous) => ({ ...previous, state: 'reconnecting' }));
        if (code === 1008 && Date.now() - lastPolicyRefresh > POLICY_RETRY_MS) {
          // Credentials refused (expired, logged out): a fresh token re-runs this effect.
          lastPolicyRefresh = Date.now();
          void refreshNow();
          return;
        }
        // (A fresh token refused again soon after: wait, rather than spin on refreshes.)
        retry = setTimeout(connect, code === 1008 ? POLICY_RETRY_MS : Math.min(30_000, 500 * 2 ** attempt++));
      };
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close(1000);
    };
  }, [accessToken]);

  return stream;
}
