// The timeline page's stylesheet (served as /timeline/app.css). System fonts only: the page loads
// nothing from outside the auditor (its Content-Security-Policy forbids it).
export const TIMELINE_CSS = String.raw`
:root {
  --fg: #1b1f24;
  --muted: #57606a;
  --bg: #ffffff;
  --panel: #f6f8fa;
  --line: #d0d7de;
  --split: #d62728;
  --handover: #e69f00;
  --anomaly: #6a3d9a;
  --alert-open: #b00020;
  --alert-done: #57606a;
  --cursor: #1b1f24;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
body { margin: 0; }
header { padding: 12px 20px 8px; border-bottom: 1px solid var(--line); background: var(--panel); }
h1 { font-size: 1.25rem; margin: 0 0 8px; }
h2 { font-size: 1.05rem; margin: 20px 0 8px; }
main { padding: 12px 20px 32px; }
#controls { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; }
#controls label { display: inline-flex; gap: 6px; align-items: center; }
select, button, input { font: inherit; }
select, input[type=password] { padding: 3px 6px; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); }
button { padding: 3px 10px; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); cursor: pointer; }
button:hover { background: #eef1f4; }
:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
#status { margin: 6px 0 0; color: var(--muted); font-size: 0.9rem; min-height: 1.3em; }
#status.error { color: var(--alert-open); font-weight: 600; }
#answer { margin: 0 0 10px; padding: 8px 12px; border-left: 4px solid var(--line); background: var(--panel); font-size: 1.05rem; min-height: 2.6em; }
#answer.one { border-left-color: #0072b2; }
#answer.split { border-left-color: var(--split); background: #fdecec; }
#answer.none { border-left-color: var(--muted); }
#answer strong { font-weight: 650; }
#chart-wrap { position: relative; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
#chart { display: block; width: 100%; user-select: none; cursor: crosshair; }
#chart:focus-visible { outline-offset: -3px; }
#chart .lane-bg { fill: var(--panel); }
#chart .lane-label { font-size: 14px; font-weight: 600; fill: var(--fg); }
#chart .row-label { font-size: 12px; fill: var(--muted); }
#chart .tick line { stroke: var(--line); }
#chart .tick text { font-size: 12px; fill: var(--muted); }
#chart .bar { stroke: rgba(0, 0, 0, 0.35); stroke-width: 1; }
#chart .bar-open { stroke-dasharray: 4 3; }
#chart .overlap.split-brain { fill: var(--split); fill-opacity: 0.22; }
#chart .overlap.split-brain-edge { fill: var(--split); }
#chart .overlap.handover { fill: var(--handover); fill-opacity: 0.6; }
#chart .overlap.unconfirmed { fill: var(--handover); fill-opacity: 0.18; }
#chart .band-label.unconfirmed { fill: #8a5a00; }
#chart .band-label { font-size: 12px; font-weight: 700; fill: var(--split); }
#chart .marker { cursor: help; }
#chart .marker:focus { outline: none; }
#chart .marker:focus .shape, #chart .marker:hover .shape, #chart .bar-group:focus .bar, #chart .bar-group:hover .bar { stroke: var(--fg); stroke-width: 2.5; }
#chart .anomaly .shape { fill: var(--anomaly); stroke: #fff; stroke-width: 1; }
#chart .alert .shape { stroke: #fff; stroke-width: 1; }
#chart .alert.open .shape { fill: var(--alert-open); }
#chart .alert.resolved .shape { fill: var(--alert-done); }
#chart .alert .span { stroke-width: 3; }
#chart .alert.open .span { stroke: var(--alert-open); }
#chart .alert.resolved .span { stroke: var(--alert-done); }
#chart .cursor-line { stroke: var(--cursor); stroke-width: 1.5; pointer-events: none; }
#chart .cursor-line.pinned { stroke-width: 2; }
#chart .cursor-label { font-size: 12px; font-weight: 600; fill: var(--fg); pointer-events: none; }
#chart .cursor-label-bg { fill: var(--bg); stroke: var(--line); pointer-events: none; }
#chart .now-line { stroke: var(--muted); stroke-dasharray: 2 3; }
#chart .empty { font-size: 14px; fill: var(--muted); }
#tooltip { position: absolute; z-index: 2; max-width: 340px; padding: 8px 10px; border-radius: 6px; background: #1b1f24; color: #fff; font-size: 13px; line-height: 1.4; pointer-events: none; white-space: pre-line; box-shadow: 0 4px 14px rgba(0, 0, 0, 0.25); }
#tooltip .tip-title { font-weight: 700; display: block; margin-bottom: 2px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; list-style: none; padding: 0; margin: 10px 0 0; font-size: 0.9rem; color: var(--muted); }
.legend li { display: inline-flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 18px; height: 12px; border-radius: 2px; border: 1px solid rgba(0, 0, 0, 0.3); }
.swatch.master { background: #0072b2; }
.swatch.split { background: rgba(214, 39, 40, 0.3); }
.swatch.handover { background: var(--handover); }
.swatch.unconfirmed { background: rgba(230, 159, 0, 0.25); }
.swatch.anomaly { width: 12px; background: var(--anomaly); transform: rotate(45deg) scale(0.8); }
.swatch.alert { width: 0; height: 0; border: 7px solid transparent; border-top-color: var(--alert-open); border-bottom: 0; border-radius: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; padding: 4px 10px 4px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num { font-variant-numeric: tabular-nums; }
#auth { margin: 12px 0; padding: 12px; border: 1px solid var(--alert-open); border-radius: 6px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
