import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderView } from '../src/view.js';

const instances = [{ name: 'VI_1', vrid: 51, vip: '10.10.10.129' }];

test('the view says who is master and where the VIP is', () => {
  const text = renderView({
    title: 'hotstandby tutorial',
    instances,
    nodes: [
      { name: 'node1', address: '10.10.10.126', running: true, states: { VI_1: 'MASTER' }, vips: ['10.10.10.129'] },
      { name: 'node2', address: '10.10.10.127', running: true, states: { VI_1: 'BACKUP' }, vips: [] },
    ],
    events: ['node1 VI_1 BACKUP -> MASTER (master-no-response)'],
  });
  assert.match(text, /VI_1: master node1; 10\.10\.10\.129 on node1/);
  assert.match(text, /node2 \(10\.10\.10\.127\)\s+BACKUP/);
  assert.match(text, /last events:\n {2}node1 VI_1 BACKUP -> MASTER/);
});

test('two masters are called split brain; a crashed node shows as down', () => {
  const text = renderView({
    title: 't',
    instances,
    nodes: [
      { name: 'node1', address: '10.10.10.126', running: true, states: { VI_1: 'MASTER' }, vips: ['10.10.10.129'] },
      { name: 'node2', address: '10.10.10.127', running: true, states: { VI_1: 'MASTER' }, vips: ['10.10.10.129'] },
    ],
    events: [],
  });
  assert.match(text, /SPLIT BRAIN: node1 and node2 are both MASTER; 10\.10\.10\.129 on node1 and node2/);
  const down = renderView({ title: 't', instances, nodes: [{ name: 'node1', address: 'x', running: false, states: {}, vips: [] }], events: [] });
  assert.match(down, /node1 \(x\)\s+down/);
  assert.match(down, /VI_1: no master; 10\.10\.10\.129 on no node/);
});
