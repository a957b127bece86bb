// The timeline page in a real headless Chromium (Debian's `chromium`, driven by playwright-core) against
// the real HTTP API over a real Postgres database seeded through the auditor's own ingest path: a
// failover, an anomaly, a split brain that the detector raises and resolves. The page must show a lane
// per node, bars where the intervals are, the split-brain band, details on hover, the right answer under
// the time cursor, and pick up new events by itself; screenshots are checked pixel by pixel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { AnomalyEvent, HsEvent } from '@hotstandby/events';
import { startApi } from '../src/api/server.js';
import { DEFAULT_DETECT_CONFIG } from '../src/detect/config.js';
import { emptyFleet } from '../src/detect/fleet.js';
import { ingestBatch } from '../src/ingest/batch.js';
import { Projector } from '../src/project/projector.js';
import { TIMELINE_SCRIPT } from '../src/timeline/script.js';
import { overlaps } from '../src/timeline/overlaps.js';
import { DOMAIN, FakeNode, T0, at, message } from './support/events.js';
import type { AuditorTestDb } from './support/db.js';
import { auditorTestDb } from './support/db.js';
import { readPng } from './timeline-png.js';
import type { Image } from './timeline-png.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function anomaly(n: FakeNode, t: number, cls: AnomalyEvent['class'], count: number, source: string): AnomalyEvent {
  const seq = ++n.seq;
  return {
    id: `${n.nodeId}.${n.bootId}.${seq}`,
    schema: 1,
    nodeId: n.nodeId,
    bootId: n.bootId,
    seq,
    at: at(t),
    mono: String(Math.round(t * 1e9)),
    kind: 'anomaly',
    instance: 'VI_51',
    vrid: 51,
    family: 'ipv4',
    interface: 'eth0',
    domain: DOMAIN,
    class: cls,
    count,
    firstSeen: at(t - 2),
    lastSeen: at(t),
    source,
    sample: '31330a01ff0102030a0a0a81',
  };
}

/**
 * node1 (priority 100) MASTER from startup; at 60 s it faults and node2 takes over at 60.8 s; node1 is
 * back as BACKUP at 90 s; node2 logs an auth-mismatch anomaly at 100 s; at 120 s the VRRP LAN is cut and
 * node1 also becomes MASTER (split brain) until the heal at 150 s, when node2 yields.
 */
function scenario(n1: FakeNode, n2: FakeNode): HsEvent[] {
  const state1 = (t: number) => (t < 60 ? 'MASTER' : t < 90 ? 'FAULT' : t < 120 ? 'BACKUP' : 'MASTER');
  const state2 = (t: number) => (t < 60.8 ? 'BACKUP' : t < 150 ? 'MASTER' : 'BACKUP');
  // Made in time order, so that each node's seqs rise with its clock as a real node's do.
  const timed: [number, () => HsEvent][] = [
    [0, () => n1.transition(0, 'INIT', 'MASTER', { reason: 'startup' })],
    [0.2, () => n2.transition(0.2, 'INIT', 'BACKUP', { reason: 'startup' })],
    [60, () => n1.transition(60, 'MASTER', 'FAULT', { reason: 'fault' })],
    [60.8, () => n2.transition(60.8, 'BACKUP', 'MASTER', { reason: 'master-no-response' })],
    [90, () => n1.transition(90, 'FAULT', 'BACKUP', { reason: 'fault-cleared' })],
    [100, () => anomaly(n2, 100, 'auth-mismatch', 3, '10.10.10.200')],
    [120, () => n1.transition(120, 'BACKUP', 'MASTER', { reason: 'master-no-response' })],
    [150, () => n2.transition(150, 'MASTER', 'BACKUP', { reason: 'priority' })],
  ];
  for (let t = 1; t <= 200; t += 5) {
    for (const [n, st] of [
      [n1, state1(t)],
      [n2, state2(t)],
    ] as const) {
      timed.push([t, () => n.heartbeat(t, [{ state: st, installedVips: st === 'MASTER' ? ['10.10.10.129'] : [] }], 5000)]);
    }
  }
  return timed.sort((a, b) => a[0] - b[0]).map(([, make]) => make());
}

async function ingest(t: AuditorTestDb, projector: Projector, evs: readonly HsEvent[], seq0: number): Promise<void> {
  await ingestBatch(
    t.database.db,
    projector,
    evs.map((e, i) => message(e, seq0 + i)),
  );
}

/** Where the page drew the plot area and each node's lane, in page pixels (CSS px, scale 1). */
interface Geometry {
  plotX: number;
  plotW: number;
  lanes: Record<string, { y: number; height: number }>;
}

type Box = { x: number; y: number; width: number; height: number };

async function boxOf(page: Page, selector: string, i = 0): Promise<Box> {
  const b = await page.locator(selector).nth(i).boundingBox();
  assert.ok(b, `${selector} #${i} is not drawn`);
  return b;
}

async function geometry(page: Page): Promise<Geometry> {
  const lanes: Geometry['lanes'] = {};
  let plotX = 0;
  let plotW = 0;
  const rects = page.locator('#chart rect.lane-bg');
  for (let i = 0; i < (await rects.count()); i++) {
    const b = await boxOf(page, '#chart rect.lane-bg', i);
    lanes[(await rects.nth(i).getAttribute('data-node'))!] = { y: b.y, height: b.height };
    plotX = b.x;
    plotW = b.width;
  }
  return { plotX, plotW, lanes };
}

async function eventually(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
}

function isReddish([r, g, b]: [number, number, number, number]): boolean {
  return r > 200 && r - g > 25 && r - b > 25;
}

describe('timeline page (headless Chromium, real Postgres, real HTTP API)', () => {
  let t: AuditorTestDb;
  let api: Awaited<ReturnType<typeof startApi>>;
  let browser: Browser;
  let page: Page;
  let shots: string;
  const n1 = new FakeNode('node1');
  const n2 = new FakeNode('node2');
  let projector: Projector;
  let seq = 1;
  const problems: string[] = [];
  // The page shows 5 minutes centred on 135 s (inside the split brain): [-15 s, 285 s).
  const WINDOW = { from: -15, to: 285 };
  const xOf = (g: Geometry, s: number) => g.plotX + ((s - WINDOW.from) / (WINDOW.to - WINDOW.from)) * g.plotW;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (as .ci/run does)`);
    t = await auditorTestDb();
    projector = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
    const evs = scenario(n1, n2);
    await ingest(t, projector, evs, seq);
    seq += evs.length;
    api = await startApi({ db: t.database.db, host: '127.0.0.1', port: 0, health: () => ({}) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(api.url)) problems.push(`request outside the auditor: ${r.url()}`);
    });
    shots = mkdtempSync(join(tmpdir(), 'hs-timeline-'));
  });
  after(async () => {
    await browser?.close();
    await api?.close();
    await t?.close();
    // HS_KEEP_SCREENSHOTS=1 keeps them for a person to look at.
    if (shots && !process.env.HS_KEEP_SCREENSHOTS) rmSync(shots, { recursive: true, force: true });
    else if (shots) console.log(`timeline screenshots kept in ${shots}`);
  });

  test('the seeded history is what the page will be checked against (API)', async () => {
    const r = (await (await fetch(`${api.url}/api/v1/timeline?vrid=51&domain=${encodeURIComponent(DOMAIN)}&from=${encodeURIComponent(at(-15))}&to=${encodeURIComponent(at(285))}`)).json()) as {
      nodes: string[];
      intervals: { node: string; from: string; to: string | null }[];
      overlaps: { from: string; to: string | null; nodes: string[]; kind: string }[];
      alerts: { kind: string; state: string; nodes: string[] }[];
      anomalies: { class: string; node: string; count: number }[];
    };
    assert.deepEqual(r.nodes, ['node1', 'node2']);
    assert.deepEqual(
      r.intervals.map((i) => [i.node, i.from, i.to]),
      [
        ['node1', at(0), at(60)],
        ['node2', at(60.8), at(150)],
        ['node1', at(120), null],
      ],
    );
    assert.deepEqual(r.overlaps, [{ from: at(120), to: at(150), nodes: ['node1', 'node2'], kind: 'split-brain' }]);
    assert.ok(
      r.alerts.some((a) => a.kind === 'split-brain' && a.state === 'resolved' && a.nodes.join() === 'node1,node2'),
      JSON.stringify(r.alerts),
    );
    assert.deepEqual(
      r.anomalies.map((a) => [a.class, a.node, a.count]),
      [['auth-mismatch', 'node2', 3]],
    );
    const vrids = (await (await fetch(`${api.url}/api/v1/vrids`)).json()) as { routers: unknown[] };
    assert.deepEqual(vrids.routers, [{ domain: DOMAIN, vrid: 51, nodes: ['node1', 'node2'], lastChange: at(120) }]);
  });

  test('the page opens from the notifier link: a lane per node, bars where the intervals are', async () => {
    const link = `${api.url}/timeline?domain=${encodeURIComponent(DOMAIN)}&vrid=51&at=${encodeURIComponent(at(135))}&span=5m`;
    const res = await page.goto(link);
    assert.equal(res?.status(), 200);
    assert.match(res.headers()['content-security-policy'] ?? '', /default-src 'none'/);
    await page.waitForSelector('#chart rect.bar');
    assert.deepEqual(await page.locator('#chart text.lane-label').allTextContents(), ['node1', 'node2']);
    const g = await geometry(page);
    assert.ok(g.plotW > 800, `plot width ${g.plotW}`);
    const barRects = page.locator('#chart rect.bar');
    assert.equal(await barRects.count(), 3);
    const bars: (Box & { node: string | null; open: boolean })[] = [];
    for (let i = 0; i < 3; i++) {
      const r = barRects.nth(i);
      bars.push({ ...(await boxOf(page, '#chart rect.bar', i)), node: await r.getAttribute('data-node'), open: (await r.getAttribute('class'))!.includes('bar-open') });
    }
    const expect = [
      { node: 'node1', from: 0, to: 60, open: false },
      { node: 'node2', from: 60.8, to: 150, open: false },
      { node: 'node1', from: 120, to: WINDOW.to, open: true },
    ];
    for (const [i, e] of expect.entries()) {
      const b = bars[i]!;
      assert.equal(b.node, e.node);
      assert.equal(b.open, e.open, `bar ${i} open`);
      near(b.x, xOf(g, e.from), 1.5, `bar ${i} (${e.node}) starts`);
      near(b.x + b.width, xOf(g, e.to), 1.5, `bar ${i} (${e.node}) ends`);
      const lane = g.lanes[e.node]!;
      assert.ok(b.y >= lane.y && b.y + b.height <= lane.y + lane.height, `bar ${i} lies in ${e.node}'s lane`);
    }
    // The readable table below the chart says the same.
    assert.equal(await page.locator('#intervals tbody tr').count(), 3);
    assert.deepEqual(problems, []);
  });

  test('the split brain is highlighted across both lanes, and nothing else is', async () => {
    const g = await geometry(page);
    assert.equal(await page.locator('#chart rect.overlap.split-brain').count(), 1);
    const band = await boxOf(page, '#chart rect.overlap.split-brain');
    assert.equal(await page.locator('#chart rect.overlap.split-brain').getAttribute('data-nodes'), 'node1,node2');
    near(band.x, xOf(g, 120), 1.5, 'band starts');
    near(band.x + band.width, xOf(g, 150), 1.5, 'band ends');
    for (const lane of Object.values(g.lanes)) assert.ok(band.y <= lane.y && band.y + band.height >= lane.y + lane.height, 'band covers every lane');
    assert.equal(await page.locator('#chart rect.overlap.handover, #chart rect.overlap.unconfirmed').count(), 0);
  });

  test('hovering a marker shows its details', async () => {
    await page.locator('#chart g.marker.anomaly').hover();
    const tip = page.locator('#tooltip');
    await tip.waitFor({ state: 'visible' });
    const text = await tip.innerText();
    for (const s of ['auth-mismatch', '×3', 'node2', '10.10.10.200']) assert.ok(text.includes(s), `anomaly tooltip lacks ${s}: ${text}`);
    // On screen, next to the marker, and not clipped: a dark box with light text.
    const shot = await page.screenshot();
    writeFileSync(join(shots, 'tooltip.png'), shot);
    const img = readPng(shot);
    const tb = await boxOf(page, '#tooltip');
    const mb = await boxOf(page, '#chart g.marker.anomaly');
    assert.ok(tb.x + tb.width <= img.width && tb.y + tb.height <= img.height, 'tooltip inside the viewport');
    assert.ok(Math.abs(tb.x - (mb.x + mb.width)) < 40 && tb.y < mb.y + mb.height && tb.y + tb.height > mb.y, `tooltip ${JSON.stringify(tb)} beside marker ${JSON.stringify(mb)}`);
    const corner = img.pixel(tb.x + 3, tb.y + tb.height - 3);
    assert.ok(corner.slice(0, 3).every((v) => v < 60), `tooltip background ${corner.join()}`);
    const alert = page.locator('#chart g.marker.alert', { hasText: '' }).filter({ has: page.locator('path.shape') });
    // The split-brain alert's triangle (there may be VIP-drift alerts too: pick by its details).
    let found = '';
    for (const m of await alert.all()) {
      await m.hover();
      const tt = await tip.innerText();
      if (tt.includes('split-brain')) found = tt;
    }
    assert.ok(found.includes('resolved') && found.includes('node1, node2'), `split-brain alert tooltip: ${found}`);
    // A bar's details too.
    await page.locator('#chart rect.bar[data-node="node2"]').hover();
    const barTip = await tip.innerText();
    assert.ok(barTip.includes('node2 was MASTER') && barTip.includes('master-no-response') && barTip.includes('priority'), barTip);
    await page.mouse.move(5, 5);
    await tip.waitFor({ state: 'hidden' });
  });

  test('the time cursor answers "who was master here", as /api/v1/master does', async () => {
    const g = await geometry(page);
    const cases: [number, string[], RegExp][] = [
      [30, ['node1'], /node1 was MASTER of VRID 51 \(since .* startup\)/],
      [60.4, [], /no node was MASTER/],
      [100, ['node2'], /node2 was MASTER/],
      [135, ['node1', 'node2'], /split brain — node1 and node2 were both MASTER/],
      [180, ['node1'], /node1 was MASTER/],
    ];
    for (const [s, masters, text] of cases) {
      await page.mouse.move(xOf(g, s), g.lanes.node1!.y + 4);
      const answer = page.locator('#answer');
      assert.match(await answer.innerText(), text, `at ${s} s`);
      const shown = (await answer.getAttribute('data-masters'))!.split(',').filter(Boolean);
      assert.deepEqual(shown, masters, `at ${s} s`);
      // The same question to the API, at the exact instant the page answered for.
      const atIso = (await answer.getAttribute('data-at'))!;
      const api1 = (await (await fetch(`${api.url}/api/v1/master?vrid=51&domain=${encodeURIComponent(DOMAIN)}&at=${encodeURIComponent(atIso)}`)).json()) as { masters: { node: string }[] };
      assert.deepEqual(api1.masters.map((m) => m.node).sort(), shown, `API at ${atIso}`);
    }
    // A click pins the cursor and puts it in the URL (a link to this moment).
    await page.mouse.click(xOf(g, 100), g.lanes.node2!.y + 4);
    await page.mouse.move(5, 5);
    assert.match(await page.locator('#answer').innerText(), /node2 was MASTER.*pinned/);
    const url = new URL(page.url());
    near(Number(new Date(url.searchParams.get('at')!)) / 1000, (T0 / 1e6 + 100), 1, 'pinned at= in the URL');
    // Keyboard: → moves the pinned cursor.
    await page.locator('#chart').focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight'); // 10 × 1 % of 300 s: 100 s → 130 s
    assert.match(await page.locator('#answer').innerText(), /split brain/);
  });

  test('screenshots: non-blank, the split-brain band red, the bars in their node colours', async () => {
    await page.mouse.move(5, 5);
    const g = await geometry(page);
    const full = await page.screenshot({ fullPage: false });
    writeFileSync(join(shots, 'timeline.png'), full);
    const img = readPng(full);
    assert.equal(img.width, 1280);
    assert.equal(img.height, 800);
    // Non-blank: many different colours.
    const colours = new Set<string>();
    for (let y = 0; y < img.height; y += 7) for (let x = 0; x < img.width; x += 7) colours.add(img.pixel(x, y).slice(0, 3).join());
    assert.ok(colours.size > 50, `only ${colours.size} colours: a blank page?`);

    const chart = page.locator('#chart');
    const shot = await chart.screenshot();
    writeFileSync(join(shots, 'chart.png'), shot);
    const c: Image = readPng(shot);
    const box = (await chart.boundingBox())!;
    assert.equal(c.width, Math.round(box.width));
    // Inside the band, in the gap between the two lanes (no bar there): red.
    const gapY = (g.lanes.node1!.y + g.lanes.node1!.height + g.lanes.node2!.y) / 2;
    // Chart-screenshot pixel of a page point.
    const px = (x: number, y: number) => c.pixel(x - box.x, y - box.y);
    // (128 s: the cursor line pinned by the link's at= is at 135 s.)
    const bandPixel = px(xOf(g, 128), gapY);
    assert.ok(isReddish(bandPixel), `split-brain band pixel ${bandPixel.join()}`);
    // The same spot before the split brain is not.
    const calm = px(xOf(g, 100), gapY);
    assert.ok(!isReddish(calm), `pixel outside the band ${calm.join()}`);
    // node1's bar (first palette colour, #0072b2) at 30 s, mid-lane; node2's (#009e73) at 100 s. Below
    // the bar's middle: its "MASTER" caption is there.
    const mid = (n: string) => g.lanes[n]!.y + g.lanes[n]!.height / 2 + 9;
    const close = (p: number[], rgb: number[]) => p.slice(0, 3).every((v, i) => Math.abs(v - rgb[i]!) < 24);
    assert.ok(close(px(xOf(g, 30), mid('node1')), [0x00, 0x72, 0xb2]), `node1 bar ${px(xOf(g, 30), mid('node1')).join()}`);
    assert.ok(close(px(xOf(g, 100), mid('node2')), [0x00, 0x9e, 0x73]), `node2 bar ${px(xOf(g, 100), mid('node2')).join()}`);
    // No bar of node2 before the failover.
    assert.ok(!close(px(xOf(g, 30), mid('node2')), [0x00, 0x9e, 0x73]), 'node2 lane empty at 30 s');
  });

  test('live: new events appear without a reload', async () => {
    const before = await page.locator('#chart g.marker.anomaly').count();
    await ingest(t, projector, [anomaly(n2, 205, 'ttl', 1, '10.10.10.201'), n1.heartbeat(206, [{ state: 'MASTER', installedVips: ['10.10.10.129'] }], 5000)], seq);
    seq += 2;
    await eventually('the new anomaly marker', async () => (await page.locator('#chart g.marker.anomaly').count()) === before + 1);
    const tipped = page.locator('#chart g.marker.anomaly').last();
    await tipped.hover();
    assert.match(await page.locator('#tooltip').innerText(), /ttl/);
    assert.deepEqual(problems, []);
  });

  test('earlier / later pan by half a window, the window selector zooms about the middle', async () => {
    const toParam = () => Number(new Date(new URL(page.url()).searchParams.get('to')!)) / 1000 - T0 / 1e6;
    // NaN while a redraw replaces the element.
    const node1Start = async () => (await page.locator('#chart rect.bar[data-node="node1"]').first().boundingBox())?.x ?? Number.NaN;
    near(toParam(), 285, 0.01, 'to= before panning');
    const g = await geometry(page);
    await page.click('#earlier');
    await eventually('the window to move 150 s earlier', async () => Math.abs(toParam() - 135) < 0.01 && Math.abs((await node1Start()) - (g.plotX + g.plotW * (15 + 150) / 300)) < 1.5);
    await page.click('#later');
    await eventually('the window to move back', async () => Math.abs(toParam() - 285) < 0.01 && Math.abs((await node1Start()) - xOf(g, 0)) < 1.5);
    await page.selectOption('#span', '15m');
    // Same middle (135 s), three times as wide: [−315 s, 585 s).
    await eventually('the 15-minute window', async () => Math.abs(toParam() - 585) < 0.01 && Math.abs((await node1Start()) - (g.plotX + g.plotW * 315 / 900)) < 1.5);
    await page.selectOption('#span', '5m');
    await eventually('the 5-minute window again', async () => Math.abs(toParam() - 285) < 0.01 && Math.abs((await node1Start()) - xOf(g, 0)) < 1.5);
    assert.equal(await page.locator('#live').isChecked(), false);
    assert.deepEqual(problems, []);
  });

  test('a link without a VRID (node-lost alerts are per domain) opens the domain\'s router; no parameters at all follow now', async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await p.goto(`${api.url}/timeline?domain=${encodeURIComponent(DOMAIN)}&at=${encodeURIComponent(at(135))}`);
      await p.waitForSelector('#chart rect.overlap.split-brain');
      assert.equal(await p.locator('#router').inputValue(), `${DOMAIN}|51`);
      assert.equal(await p.locator('#live').isChecked(), false);
      assert.match(await p.locator('#answer').innerText(), /split brain/);
      await p.goto(`${api.url}/timeline`);
      await p.waitForSelector('#chart rect.bar');
      assert.equal(await p.locator('#live').isChecked(), true);
      // Six days after the seeded history: node1 is still MASTER across the whole window.
      assert.equal(await p.locator('#chart rect.bar').count(), 1);
      assert.equal(await p.locator('#chart rect.bar').getAttribute('data-node'), 'node1');
      assert.match((await p.locator('#chart rect.bar').getAttribute('class'))!, /bar-open/);
      const g = await geometry(p);
      await p.mouse.move(g.plotX + g.plotW / 2, g.lanes.node1!.y + 4);
      assert.match(await p.locator('#answer').innerText(), /node1 was MASTER/);
      assert.equal(new URL(p.url()).searchParams.get('vrid'), '51');
    } finally {
      await p.close();
    }
  });

  test('a bearer-token auditor: the page asks for the token and then shows the data', async () => {
    const guarded = await startApi({ db: t.database.db, host: '127.0.0.1', port: 0, token: 's3cret', health: () => ({}) });
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      assert.equal((await fetch(`${guarded.url}/api/v1/vrids`)).status, 401);
      await p.goto(`${guarded.url}/timeline?domain=${encodeURIComponent(DOMAIN)}&vrid=51&at=${encodeURIComponent(at(135))}&span=5m`);
      await p.locator('#auth').waitFor({ state: 'visible' });
      await p.fill('#token', 's3cret');
      await p.click('#auth button[type=submit]');
      await p.waitForSelector('#chart rect.overlap.split-brain');
      assert.equal(await p.locator('#chart rect.bar').count(), 3);
    } finally {
      await p.close();
      await guarded.close();
    }
  });
});

describe('timeline API answers and page assets', () => {
  let t: AuditorTestDb;
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    t = await auditorTestDb();
    api = await startApi({ db: t.database.db, host: '127.0.0.1', port: 0, health: () => ({}) });
  });
  after(async () => {
    await api.close();
    await t.close();
  });

  test('bad parameters are 400 with a message', async () => {
    for (const [q, msg] of [
      ['', /vrid is required/],
      ['vrid=51&span=forever', /span is not a duration/],
      ['vrid=51&span=1h&from=2026-11-20T00:00:00Z', /either span or from/],
      ['vrid=51&from=2026-11-01T00:00:00Z&to=2026-11-20T00:00:00Z', /more than 7 days/],
      ['vrid=51&from=2026-11-20T01:00:00Z&to=2026-11-20T00:00:00Z', /from must be before to/],
    ] as const) {
      const r = await fetch(`${api.url}/api/v1/timeline?${q}`);
      assert.equal(r.status, 400, q);
      assert.match(((await r.json()) as { error: string }).error, msg);
    }
  });

  test('an unknown VRID is an empty timeline, and span ends at the auditor\'s now', async () => {
    const r = (await (await fetch(`${api.url}/api/v1/timeline?vrid=99&span=15m`)).json()) as { domain: null; nodes: []; from: string; to: string; now: string };
    assert.equal(r.domain, null);
    assert.deepEqual(r.nodes, []);
    assert.equal(r.to, r.now);
    assert.equal(Date.parse(r.to) - Date.parse(r.from), 15 * 60_000);
  });

  test('the page and its assets are served with a strict CSP; /timeline/ redirects keeping the query', async () => {
    for (const [path, type] of [
      ['/timeline', 'text/html'],
      ['/timeline/app.js', 'text/javascript'],
      ['/timeline/app.css', 'text/css'],
    ] as const) {
      const r = await fetch(api.url + path);
      assert.equal(r.status, 200, path);
      assert.ok(r.headers.get('content-type')?.startsWith(type), path);
      assert.match(r.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    }
    const r = await fetch(`${api.url}/timeline/?vrid=51`, { redirect: 'manual' });
    assert.equal(r.status, 308);
    assert.equal(new URL(r.headers.get('location')!, `${api.url}/timeline/`).href, `${api.url}/timeline?vrid=51`);
  });

  test('a crashed master\'s still-open interval is an overlap without an alert, gone once the node is heard again', async () => {
    const a = new FakeNode('crash1');
    const b = new FakeNode('crash2');
    const p = new Projector(emptyFleet(), DEFAULT_DETECT_CONFIG);
    const hb = (n: FakeNode, s: number, st: 'MASTER' | 'BACKUP') => n.heartbeat(s, [{ vrid: 53, state: st, installedVips: [] }], 10_000);
    // crash1 dies after its heartbeat at 10 s (a crash emits no transition); crash2 takes over at 13.6 s.
    const evs: HsEvent[] = [a.transition(0, 'INIT', 'MASTER', { vrid: 53, reason: 'startup' }), b.transition(0.1, 'INIT', 'BACKUP', { vrid: 53, reason: 'startup' }), hb(a, 10, 'MASTER'), hb(b, 10, 'BACKUP'), b.transition(13.6, 'BACKUP', 'MASTER', { vrid: 53, reason: 'master-no-response' })];
    await ingestBatch(t.database.db, p, evs.map((e, i) => message(e, i + 1)));
    const get = async () =>
      (await (await fetch(`${api.url}/api/v1/timeline?vrid=53&domain=${encodeURIComponent(DOMAIN)}&from=${encodeURIComponent(at(-5))}&to=${encodeURIComponent(at(60))}`)).json()) as {
        overlaps: { from: string; to: string | null; kind: string }[];
        intervals: { node: string; to: string | null; endReason: string | null }[];
      };
    assert.deepEqual((await get()).overlaps, [{ from: at(13.6), to: null, nodes: ['crash1', 'crash2'], kind: 'unconfirmed' }]);
    a.reboot('0192f0a0b0c0eeeeeeee');
    await ingestBatch(t.database.db, p, [message(a.transition(30, 'INIT', 'BACKUP', { vrid: 53, reason: 'startup' }), evs.length + 1)]);
    const after = await get();
    assert.deepEqual(after.overlaps, []);
    assert.deepEqual(
      after.intervals.map((i) => [i.node, i.to, i.endReason]),
      [
        ['crash1', at(10), 'node-restarted'],
        ['crash2', null, null],
      ],
    );
  });

  test('the page script is valid JavaScript', () => {
    assert.doesNotThrow(() => new Script(TIMELINE_SCRIPT));
  });
});

describe('overlap windows (what the page paints)', () => {
  const cfg = DEFAULT_DETECT_CONFIG;
  const s = (x: number) => x * 1e6;
  test('a hand-over overlap within the grace is not a split brain; a long one is', () => {
    const o = overlaps(
      [
        { node: 'a', from: s(0), to: s(10.001), intervalCs: 100 },
        { node: 'b', from: s(10), to: s(30), intervalCs: 100 },
        { node: 'a', from: s(20), to: null, intervalCs: 100 },
      ],
      s(40),
      cfg,
    );
    assert.deepEqual(o, [
      { from: s(10), to: s(10.001), nodes: ['a', 'b'], beyondGrace: false },
      { from: s(20), to: s(30), nodes: ['a', 'b'], beyondGrace: true },
    ]);
  });
  test('a third master starts a new window; an open overlap is judged against now', () => {
    const o = overlaps(
      [
        { node: 'a', from: s(0), to: null, intervalCs: 100 },
        { node: 'b', from: s(5), to: null, intervalCs: 100 },
        { node: 'c', from: s(8), to: s(9), intervalCs: 100 },
      ],
      s(9.3),
      cfg,
    );
    assert.deepEqual(o, [
      { from: s(5), to: s(8), nodes: ['a', 'b'], beyondGrace: true },
      { from: s(8), to: s(9), nodes: ['a', 'b', 'c'], beyondGrace: true },
      // Still open, 0.3 s old at "now": within the 0.6 s grace so far.
      { from: s(9), to: null, nodes: ['a', 'b'], beyondGrace: false },
    ]);
  });
});
