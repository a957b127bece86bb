// The renderers are pure: these tests read the payloads a person would see.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Delivery } from '../src/alert/notice.js';
import { renderEmail } from '../src/render/email.js';
import { emailMessageId } from '../src/render/message-id.js';
import { escapeMrkdwn, renderSlack } from '../src/render/slack.js';
import type { SlackBlock } from '../src/render/slack.js';
import { renderConsole } from '../src/render/console.js';
import { checkPayload } from './support/slack-stub.js';
import { resolvedOf, splitBrain, vipDrift } from './support/alerts.js';

const AUDITOR = 'http://auditor.example:8080/';
const raised: Delivery = { notice: { type: 'alerts', state: 'raised', alerts: [splitBrain()] }, ref: 'slack:split-brain.x.raised', possibleDuplicate: false };

function texts(blocks: readonly SlackBlock[]): string {
  return JSON.stringify(blocks);
}

describe('Slack Block Kit', () => {
  test('a raised split brain says what happened, where, who, since when, the evidence and links to the timeline', () => {
    const p = renderSlack(raised, { auditorUrl: AUDITOR });
    assert.equal(checkPayload(p), undefined);
    const header = p.blocks[0]!;
    assert.equal(header.type, 'header');
    assert.match(JSON.stringify(header), /Split brain: VRID 51 on 10\.10\.10\.0\/24/);
    const all = texts(p.blocks);
    assert.match(all, /has two masters/);
    assert.match(all, /\*VRID\*\\n51/);
    assert.match(all, /\*Domain\*\\n10\.10\.10\.0\/24/);
    assert.match(all, /LVS_DEVEL@node1, LVS_DEVEL@node2/);
    assert.match(all, /\*Since\*\\n2024-05-07T03:12:00\.123456Z/);
    assert.match(all, /LVS_DEVEL@node1\.018f2a3b4c5d9e8f7a6b\.7/);
    assert.match(all, /\*Severity\*\\ncritical/);
    const actions = p.blocks.find((b) => b.type === 'actions');
    assert.ok(actions && actions.type === 'actions');
    assert.equal(actions.elements[0]!.url, 'http://auditor.example:8080/timeline?domain=10.10.10.0%2F24&vrid=51&at=2024-05-07T03%3A12%3A00.123456Z');
    assert.match(p.text, /Split brain: VRID 51/);
  });

  test('without AUDITOR_URL there is no timeline button', () => {
    assert.equal(renderSlack(raised).blocks.some((b) => b.type === 'actions'), false);
  });

  test('the resolved follow-up repeats the raised title with "Resolved:" (webhooks cannot thread)', () => {
    const p = renderSlack({ ...raised, notice: { type: 'alerts', state: 'resolved', alerts: [resolvedOf(splitBrain())] }, thread: { refs: ['r'], title: 'Split brain: VRID 51 on 10.10.10.0/24' } });
    assert.match(JSON.stringify(p.blocks[0]), /:white_check_mark: Resolved: Split brain: VRID 51 on 10\.10\.10\.0\/24"/);
    assert.match(texts(p.blocks), /\*Resolved at\*\\n2024-05-07T03:14:00\.000000Z/);
  });

  test('a group of alerts is one message listing each; beyond 10 it says how many more, within 50 blocks', () => {
    const alerts = Array.from({ length: 14 }, (_, i) => vipDrift({ id: `vip-drift.d.51.${i}` }));
    const p = renderSlack({ ...raised, notice: { type: 'alerts', state: 'raised', alerts } });
    assert.equal(checkPayload(p), undefined);
    assert.match(JSON.stringify(p.blocks[0]), /VIP drift: VRID 51 on 10\.10\.10\.0\/24 \(14 alerts\)/);
    assert.match(texts(p.blocks), /and 4 more alerts in this group/);
    assert.ok(p.blocks.length <= 50);
  });

  test('node-level alerts (vrid null) say so; mrkdwn control characters are escaped', () => {
    const a = splitBrain({ kind: 'node-lost', vrid: null, summary: 'node <b> & co lost' });
    const p = renderSlack({ ...raised, notice: { type: 'alerts', state: 'raised', alerts: [a] } });
    assert.match(JSON.stringify(p.blocks[0]), /Node lost: 10\.10\.10\.0\/24/);
    assert.match(texts(p.blocks), /node &lt;b&gt; &amp; co lost/);
    assert.equal(escapeMrkdwn('<@U123>'), '&lt;@U123&gt;');
  });

  test('a possible duplicate says so', () => {
    assert.match(texts(renderSlack({ ...raised, possibleDuplicate: true }).blocks), /may repeat a message already delivered/);
    assert.doesNotMatch(texts(renderSlack(raised).blocks), /may repeat/);
  });

  test('health and test notices are valid payloads', () => {
    const h = renderSlack({ ref: 'h', possibleDuplicate: false, notice: { type: 'health', failedChannel: 'email', reason: 'smtp CONN ECONNREFUSED', undelivered: [{ id: 'a.raised', kind: 'split-brain', state: 'raised', summary: 's' }], at: 'now' } });
    assert.equal(checkPayload(h), undefined);
    assert.match(texts(h.blocks), /Notifier cannot deliver to email/);
    assert.equal(checkPayload(renderSlack({ ref: 't', possibleDuplicate: false, notice: { type: 'test', channel: 'slack', at: 'now' } })), undefined);
  });
});

describe('e-mail', () => {
  const opts = { from: 'keepalived@example.org', auditorUrl: AUDITOR };

  test('subject, text and HTML carry the facts; the Message-ID is derived from the ref', () => {
    const m = renderEmail(raised, opts);
    assert.equal(m.subject, '[hotstandby] Split brain: VRID 51 on 10.10.10.0/24');
    assert.match(m.text, /has two masters/);
    assert.match(m.text, /Nodes:\s+LVS_DEVEL@node1, LVS_DEVEL@node2/);
    assert.match(m.text, /Since:\s+2024-05-07T03:12:00\.123456Z/);
    assert.match(m.text, /LVS_DEVEL@node2\.018f2a3b4c5d11223344\.3/);
    assert.match(m.text, /Timeline:\s+http:\/\/auditor\.example:8080\/timeline\?/);
    assert.match(m.html, /<a href="http:\/\/auditor\.example:8080\/timeline\?domain=10\.10\.10\.0%2F24&amp;vrid=51/);
    assert.equal(m.messageId, emailMessageId(raised.ref, opts.from));
    assert.match(m.messageId, /^<hs\.[0-9a-f]{32}@example\.org>$/);
    assert.equal(m.inReplyTo, undefined);
    assert.equal(m.headers['X-Hotstandby-Severity'], 'critical');
  });

  test('the resolved follow-up: "Resolved:" + the raised subject, In-Reply-To/References the raised Message-ID', () => {
    const m = renderEmail(
      { ref: 'email:x.resolved', possibleDuplicate: false, notice: { type: 'alerts', state: 'resolved', alerts: [resolvedOf(splitBrain())] }, thread: { refs: [raised.ref], title: 'Split brain: VRID 51 on 10.10.10.0/24' } },
      opts,
    );
    assert.equal(m.subject, 'Resolved: [hotstandby] Split brain: VRID 51 on 10.10.10.0/24');
    assert.equal(m.inReplyTo, emailMessageId(raised.ref, opts.from));
    assert.deepEqual(m.references, [emailMessageId(raised.ref, opts.from)]);
    assert.match(m.text, /Resolved at:\s+2024-05-07T03:14:00\.000000Z/);
  });

  test('HTML is escaped; a possible duplicate is flagged in a header and the body', () => {
    const m = renderEmail({ ...raised, possibleDuplicate: true, notice: { type: 'alerts', state: 'raised', alerts: [splitBrain({ summary: '<script>x</script>' })] } }, opts);
    assert.doesNotMatch(m.html, /<script>/);
    assert.match(m.html, /&lt;script&gt;/);
    assert.equal(m.headers['X-Hotstandby-Possible-Duplicate'], 'yes');
    assert.match(m.text, /may repeat a message/);
  });

  test('the console shows the e-mail subject and text', () => {
    const out = renderConsole(raised);
    assert.match(out, /^----- \[hotstandby\] Split brain: VRID 51 on 10\.10\.10\.0\/24\n/);
    assert.match(out, /has two masters/);
  });
});
