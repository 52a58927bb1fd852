import fs from 'node:fs';
import path from 'node:path';
import { GATEWAY_NODE_ARGS } from '../../bench/bench-kit';

const ROOT = path.resolve(__dirname, '..', '..');

describe('the node flags the gateway runs with', () => {
  it('when started by npm start, by the container image or by a benchmark, then the heap cap is the same', () => {
    const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const nodeOptions = /NODE_OPTIONS=(\S+)/.exec(dockerfile)?.[1];
    expect(GATEWAY_NODE_ARGS).toEqual(['--max-old-space-size=384']);
    expect(start).toBe(`node ${GATEWAY_NODE_ARGS.join(' ')} dist/cli.js start`);
    expect(nodeOptions).toBe(GATEWAY_NODE_ARGS.join(' '));
  });
});
