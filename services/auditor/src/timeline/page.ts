// The timeline page's HTML (served as /timeline). Static: every datum is fetched by app.js from the JSON
// API, so the page itself needs no token and carries nothing secret. Asset URLs are relative, so the page
// also works behind a reverse proxy that mounts the auditor under a path prefix.
export const TIMELINE_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>VRRP timeline · hotstandby auditor</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="timeline/app.css">
<script type="module" src="timeline/app.js"></script>
</head>
<body>
<header>
  <h1>VRRP mastership timeline</h1>
  <form id="controls" aria-label="Timeline controls">
    <label>Router <select id="router" aria-describedby="status"></select></label>
    <label>Window
      <select id="span">
        <option value="1m">1 minute</option>
        <option value="5m">5 minutes</option>
        <option value="15m" selected>15 minutes</option>
        <option value="1h">1 hour</option>
        <option value="6h">6 hours</option>
        <option value="24h">24 hours</option>
        <option value="7d">7 days</option>
      </select>
    </label>
    <button type="button" id="earlier" title="Show earlier (half a window)">◀ Earlier</button>
    <button type="button" id="later" title="Show later (half a window)">Later ▶</button>
    <label><input type="checkbox" id="live"> Follow now</label>
  </form>
  <p id="status" role="status"></p>
</header>
<main>
  <form id="auth" hidden>
    <p><strong>This auditor needs a bearer token.</strong> It is kept in this browser tab only.</p>
    <label>Token <input type="password" id="token" autocomplete="off" required></label>
    <button type="submit">Use token</button>
  </form>
  <p id="answer" aria-live="polite">Point at the timeline (or focus it and use ← →) to see who was master at that moment; click to pin.</p>
  <div id="chart-wrap">
    <svg id="chart" tabindex="0" role="group" aria-roledescription="timeline" aria-label="Mastership timeline" aria-describedby="chart-help"></svg>
    <div id="tooltip" role="tooltip" hidden></div>
  </div>
  <p id="chart-help" class="visually-hidden">Each lane is a node; a bar means the node was MASTER. Red bands: split brain; amber: overlaps that are hand-overs or have no split-brain alert. Diamonds: anomalies. Triangles: alerts. Left and right arrow keys move the time cursor, Enter pins it, Tab visits bars and markers.</p>
  <ul class="legend" aria-label="Legend">
    <li><span class="swatch master"></span>MASTER (bar per node, dashed edge: still MASTER)</li>
    <li><span class="swatch split"></span>split brain (two or more MASTERs beyond the grace)</li>
    <li><span class="swatch handover"></span>hand-over overlap (within the grace)</li>
    <li><span class="swatch unconfirmed"></span>overlap without a split-brain alert</li>
    <li><span class="swatch anomaly"></span>anomaly</li>
    <li><span class="swatch alert"></span>alert</li>
  </ul>
  <h2 id="intervals-h">Mastership in this window</h2>
  <table id="intervals" aria-labelledby="intervals-h">
    <thead><tr><th scope="col">Node</th><th scope="col">From (UTC)</th><th scope="col">To (UTC)</th><th scope="col">Duration</th><th scope="col">Why it began</th><th scope="col">Why it ended</th></tr></thead>
    <tbody></tbody>
  </table>
  <h2 id="alerts-h">Alerts in this window</h2>
  <table id="alerts" aria-labelledby="alerts-h">
    <thead><tr><th scope="col">Alert</th><th scope="col">State</th><th scope="col">First seen (UTC)</th><th scope="col">Resolved (UTC)</th><th scope="col">Summary</th></tr></thead>
    <tbody></tbody>
  </table>
</main>
</body>
</html>
`;
