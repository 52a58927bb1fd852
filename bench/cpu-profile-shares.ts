/**
 * node -r ./tests/helpers/swc-register.js bench/cpu-profile-shares.ts <file.cpuprofile>… — where a gateway
 * process's CPU went, by part of the product: each busy sample (idle excluded) is given to the first part, in
 * the order below, that any frame of its stack belongs to; garbage collection and what no part claims (timers,
 * socket reads and writes reached from an event-loop callback) are counted on their own. Start-up (module
 * loading) is shown apart so that a short run can be read too. Made from the profiles that
 * `BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"` (and `BENCH_API_NODE_ARGS`) give `npm run bench:e2e`.
 *
 * A stack is cut at an async boundary: a Redis write flushed on a later tick (ioredis' auto-pipelining) is
 * "ioredis (snowgate's own commands)", not the part that asked for it. Figures, not a test.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

/** The parts, in the order a sample is matched against them (a frame string is `url functionName`). */
const PARTS: ReadonlyArray<readonly [string, RegExp]> = [
  ['start-up (module loading)', /cjs\/loader|Module\._compile|wrapSafe|compileForInternalLoader/],
  ['BullMQ (add, fetch, finish, locks, stalled checks)', /node_modules\/bullmq\//],
  ['event log', /\/event-log\//],
  ['record lanes', /record-lanes/],
  ['state cache, echo control, breaker, subscriber status', /state-cache|echo-records|breaker|subscriber-status/],
  ['enrichment (ServiceNow reads and answers)', /\/enrichment\/|\/servicenow\//],
  ['webhook door (verify, validate, enqueue)', /\/ingest\/|webhook-door|node_modules\/ajv/],
  ['delivery (CloudEvent, signature, POST)', /send-event|to-cloud-event|event-json|webhook-signer|first-delivery|sign-event/],
  ['HTTP framework (express, helmet, access log)', /node_modules\/(express|router|helmet|finalhandler|on-finished)\/|access-log|request-id|create-app/],
  ['ioredis (snowgate\'s own commands)', /node_modules\/ioredis\//],
  ['node http / undici', /undici|_http_|node:http/],
];

/** Samples per part of one profile, and the busy total. */
export function profileShares(profile: Profile): { busy: number; parts: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const perNode = new Map<number, number>();
  for (const s of profile.samples) perNode.set(s, (perNode.get(s) ?? 0) + 1);
  const parts = new Map<string, number>();
  let busy = 0;
  for (const [id, samples] of perNode) {
    const leaf = byId.get(id)!.callFrame.functionName;
    if (leaf === '(idle)') continue;
    busy += samples;
    const frames: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      frames.push(`${f.url} ${f.functionName}`);
    }
    const part = leaf === '(garbage collector)' ? 'garbage collector' : PARTS.find(([, re]) => frames.some((f) => re.test(f)))?.[0] ?? 'other (timers, sockets, node internals)';
    parts.set(part, (parts.get(part) ?? 0) + samples);
  }
  return { busy, parts };
}

if (require.main === module) {
  for (const file of process.argv.slice(2)) {
    const { busy, parts } = profileShares(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile);
    const startup = parts.get(PARTS[0]![0]) ?? 0;
    console.log(`${file}: ${busy} busy samples (${startup} of them start-up; shares below are of the rest)`);
    for (const [part, n] of [...parts].filter(([p]) => p !== PARTS[0]![0]).sort((a, b) => b[1] - a[1])) {
      console.log(`  ${((100 * n) / (busy - startup)).toFixed(1).padStart(5)}%  ${part}`);
    }
  }
}
