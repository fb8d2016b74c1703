import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemFor } from './problem.ts';

export const NDJSON = 'application/x-ndjson';

/** Whether the client asked to follow the work as it goes (Accept: application/x-ndjson). */
export const wantsProgress = (req: FastifyRequest) => String(req.headers.accept ?? '').includes(NDJSON);

/**
 * Runs a long piece of work for a request. A client that accepts application/x-ndjson gets one JSON object per
 * line: `{"type":"progress",...}` as the work goes on, then `{"type":"result","result":...}`, or
 * `{"type":"error","problem":{...problem+json}}` when it fails part way. Until the first progress line the
 * answer is an ordinary one, so an error found before any work (an unreadable file, a missing column) keeps
 * its HTTP status and problem+json body. Any other client gets the result as plain JSON at the end.
 */
export async function withProgress<T, P extends object>(
  req: FastifyRequest,
  reply: FastifyReply,
  run: (progress: (p: P) => void) => Promise<T>,
): Promise<T | FastifyReply> {
  if (!wantsProgress(req)) return run(() => {});
  const out = new PassThrough();
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    reply.header('Content-Type', `${NDJSON}; charset=utf-8`);
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Accel-Buffering', 'no'); // a proxy in front (nginx) passes each line on at once
    reply.send(out);
  };
  const line = (o: object) => out.write(`${JSON.stringify(o)}\n`);
  try {
    const result = await run((p) => {
      start();
      line({ type: 'progress', ...p });
    });
    start();
    line({ type: 'result', result });
  } catch (err) {
    if (!started) throw err;
    try {
      line({ type: 'error', problem: problemFor(err, req) });
    } catch {
      line({ type: 'error', problem: { status: 500, code: 'INTERNAL' } });
    }
  } finally {
    if (started) out.end();
  }
  return reply;
}
