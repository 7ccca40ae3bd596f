/**
 * A host for the viewer page in Chromium that answers the page's requests as the extension does:
 * the same first post and the same answers (core/viewer/traceRequests.ts), over the whole trace.
 */
import type { LoadedTrace } from '../../src/core/lettaTypes';
import { firstPost } from '../../src/core/viewer/tracePaging';
import { buildTraceData } from '../../src/core/viewer/tracePayload';
import { answerRequest, holdTrace, isTraceRequest } from '../../src/core/viewer/traceRequests';
import { TraceFind, isFindRequest } from '../../src/core/viewer/traceFind';
import type { HostMessage, TraceData, WebviewMessage } from '../../src/shared/protocol';
import type { ViewerPage } from './page';

export interface FakeHost {
  /** The full payload (what the host keeps) and the first post (what the page got). */
  data: TraceData;
  first: TraceData;
  /** Every request the page made, in order. */
  requests: WebviewMessage[];
  /** Text the host would have put on the clipboard. */
  copied: string[];
  /** Resolves once `condition` holds after a round of answers (rejects after 30 s). */
  until(condition: () => boolean): Promise<void>;
  stop(): Promise<void>;
}

export async function serveTrace(viewer: ViewerPage, loaded: LoadedTrace): Promise<FakeHost> {
  const data = buildTraceData(loaded, { raw: false });
  const held = holdTrace(loaded, data.conversation.messages);
  const first = firstPost(data);
  const requests: WebviewMessage[] = [];
  const copied: string[] = [];
  let seen = 0;
  let running = true;
  const waiting: { condition: () => boolean; resolve: () => void }[] = [];
  // The find as the panel runs it: the same session class, its posts sent in order.
  let sending = Promise.resolve();
  const finder = new TraceFind(
    (message: HostMessage) => {
      sending = sending.then(() => viewer.send(message)).catch(() => undefined);
    },
    () => new Promise<void>((resolve) => setImmediate(resolve)),
  );
  // Reads what the page posted and answers it: a message loop, as the extension host has.
  const loop = (async () => {
    while (running) {
      const posted = await viewer.posted().catch(() => [] as WebviewMessage[]);
      for (const message of posted.slice(seen)) {
        if (isFindRequest(message)) {
          requests.push(message);
          void finder.handle(held, message);
        } else if (isTraceRequest(message)) {
          requests.push(message);
          const { post, copy } = answerRequest(held, message);
          if (post) {
            await viewer.send(post);
          }
          if (copy !== undefined) {
            copied.push(copy);
          }
        }
      }
      seen = posted.length;
      for (const w of waiting.filter((x) => x.condition())) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  })();
  await viewer.send({ type: 'trace', data: first });
  return {
    data,
    first,
    requests,
    copied,
    until: (condition) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('The fake host waited 30 s in vain.')), 30_000);
        waiting.push({ condition, resolve: () => (clearTimeout(timer), resolve()) });
      }),
    stop: async () => {
      running = false;
      finder.stop();
      await loop;
      await sending;
    },
  };
}
