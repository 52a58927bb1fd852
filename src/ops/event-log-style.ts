/** The event log pages' stylesheet, served from `/ops/assets/event-log.css` (the pages' CSP allows no inline style). */
export const EVENT_LOG_CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--accent:#0969da}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:var(--fg);margin:0}
header{display:flex;gap:1.5em;align-items:baseline;padding:.8em 1.5em;border-bottom:1px solid var(--line);background:var(--bg)}
header .brand{font-weight:600;font-size:1.1em}
header nav a{margin-right:1em}
main{padding:1em 1.5em 3em}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:1.3em;margin:.3em 0 .6em;word-break:break-all}h2{font-size:1.05em;margin:1.6em 0 .5em}
form.filters{display:flex;flex-wrap:wrap;gap:.6em 1em;align-items:end;margin-bottom:1em}
form.filters label{display:flex;flex-direction:column;font-size:.85em;color:var(--muted)}
form.filters input,form.filters select{font:inherit;padding:.3em .4em;border:1px solid var(--line);border-radius:4px;min-width:9em}
form.filters input[type=search]{width:22em}
form.filters input[type=checkbox]{min-width:0}
button{font:inherit;padding:.35em .9em;border:1px solid var(--line);border-radius:4px;background:#fff;cursor:pointer}
button.primary{background:#1f883d;color:#fff;border-color:#1a7f37}button:disabled{opacity:.5;cursor:default}
label.inline{flex-direction:row!important;gap:.3em;align-items:center}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35em .6em;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.8em;color:var(--muted);font-weight:600;background:var(--bg)}
td.mono,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
tr.event:hover{background:#f3f8ff}
.badge{display:inline-block;padding:.05em .55em;border-radius:1em;font-size:.85em;font-weight:600;white-space:nowrap}
.s-delivered,.s-succeeded{background:#dafbe1;color:#116329}
.s-queued{background:#ddf4ff;color:#0550ae}
.s-retrying,.s-held{background:#fff8c5;color:#7d4e00}
.s-dead_lettered,.s-failed{background:#ffebe9;color:#a40e26}
.s-skipped{background:#eaeef2;color:#59636e}
.muted{color:var(--muted)}
.pager{margin-top:1em;display:flex;gap:1em;align-items:center}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25em 1em;margin:0 0 1em}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;word-break:break-all}
.actions{display:flex;gap:.8em;align-items:center;margin:.5em 0 1em}
ol.timeline{list-style:none;padding:0;margin:0;border-left:2px solid var(--line)}
ol.timeline>li{position:relative;margin:0 0 .7em;padding-left:1.1em}
ol.timeline>li::before{content:"";position:absolute;left:-6px;top:.45em;width:10px;height:10px;border-radius:50%;background:var(--line)}
ol.timeline>li.ok::before{background:#1a7f37}ol.timeline>li.bad::before{background:#cf222e}ol.timeline>li.warn::before{background:#bf8700}
ol.timeline time{color:var(--muted);font-family:ui-monospace,monospace;font-size:.85em;margin-right:.6em}
details>summary{cursor:pointer}
details .exchange{margin:.5em 0 .3em 1em}
details h4{margin:.7em 0 .2em;font-size:.85em;color:var(--muted)}
pre{background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:.6em .8em;overflow:auto;max-height:40em;margin:.2em 0;white-space:pre-wrap;word-break:break-word;font-size:.88em}
table.headers{width:auto}
table.headers td{border:none;padding:.05em .6em .05em 0;font-family:ui-monospace,monospace;font-size:.85em}
table.headers td:first-child{color:var(--muted);white-space:nowrap}
.notice{padding:.6em .9em;border:1px solid var(--line);border-radius:4px;background:var(--bg);margin:1em 0}
`;
