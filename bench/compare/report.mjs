// The comparison bench's results as text: statistics, the markdown tables and the SVG chart.
// Everything here reads the result object bench/compare.mjs writes as JSON, nothing else.

/** n, median, p90, min, max of the values that are not null; timeouts = the nulls. */
export function stats(values) {
  const s = values.filter((v) => v !== null).sort((a, b) => a - b);
  if (s.length === 0) return { n: 0, median: null, p90: null, min: null, max: null };
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return {
    n: s.length,
    median: q(0.5),
    p90: q(0.9),
    min: s[0],
    max: s.at(-1),
    timeouts: values.length - s.length,
  };
}

/** Per variant: its median and p90 minus those of floor -s -w in the same table (ms). */
export function minusFloor(table) {
  const f = table?.['floor -s -w'];
  const d = (a, b) =>
    a === null || a === undefined || b === null || b === undefined ? null : a - b;
  return Object.fromEntries(
    Object.entries(table ?? {}).map(([v, s]) => [
      v,
      { medianMs: d(s.median, f?.median), p90Ms: d(s.p90, f?.p90) },
    ]),
  );
}

export const fmt = (v, d = 0) =>
  v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(d);
const signed = (v) => (v === null || v === undefined ? 'n/a' : `${v > 0 ? '+' : ''}${fmt(v)}`);

export function svgChart(res) {
  const rows = [];
  const add = (label, list) => {
    const v = list.filter((x) => x.ms !== null).map((x) => x.ms);
    if (v.length) rows.push({ label, v, st: stats(v) });
  };
  for (const size of Object.keys(res.latency))
    for (const [tool, list] of Object.entries(res.samples))
      add(
        `${size}: ${tool}`,
        list.filter((x) => x.size === size),
      );
  for (const [tool, list] of Object.entries(res.hogSamples ?? {}))
    add(`small + CPU hog: ${tool}`, list);
  const max = Math.max(1, ...rows.flatMap((r) => r.v));
  const W = 900;
  const L = 230;
  const rowH = 22;
  const H = rows.length * rowH + 50;
  const x = (ms) => L + ((W - L - 20) * ms) / max;
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="14">save to new response, ms (dots: every edit; bar: median; tick: p90)</text>`,
  ];
  const step = max > 8000 ? 2000 : max > 4000 ? 1000 : max > 1500 ? 500 : 200;
  for (let ms = 0; ms <= max; ms += step)
    parts.push(
      `<line x1="${x(ms)}" y1="22" x2="${x(ms)}" y2="${H - 20}" stroke="#ddd"/>`,
      `<text x="${x(ms)}" y="${H - 6}" text-anchor="middle" fill="#555">${ms}</text>`,
    );
  rows.forEach((r, i) => {
    const y = 34 + i * rowH;
    const colour = r.label.includes('gohot')
      ? '#c0392b'
      : r.label.includes('floor')
        ? '#555'
        : '#2471a3';
    parts.push(`<text x="${L - 6}" y="${y + 4}" text-anchor="end">${esc(r.label)}</text>`);
    for (const ms of r.v)
      parts.push(
        `<circle cx="${x(ms).toFixed(1)}" cy="${y}" r="2.5" fill="${colour}" fill-opacity="0.45"/>`,
      );
    parts.push(
      `<line x1="${x(r.st.median)}" y1="${y - 8}" x2="${x(r.st.median)}" y2="${y + 8}" stroke="black" stroke-width="2"/>`,
      `<line x1="${x(r.st.p90)}" y1="${y - 5}" x2="${x(r.st.p90)}" y2="${y + 5}" stroke="black"/>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function latencyTables(res, out) {
  out.push(
    '**Save to new response** (ms; all four edit kinds pooled; ratio = median / floor median of the same size)\n',
  );
  out.push('| size | variant | n | median | p90 | ratio to floor | ratio to floor -s -w |');
  out.push('| --- | --- | --- | --- | --- | --- | --- |');
  const n = (s) => `${s.n}${s.timeouts ? ` (${s.timeouts} timed out)` : ''}`;
  for (const [size, table] of Object.entries(res.latency)) {
    const f = table.floor?.median;
    const fs = table['floor -s -w']?.median;
    for (const [tool, s] of Object.entries(table))
      out.push(
        `| ${size} | ${tool} | ${n(s)} | ${fmt(s.median)} | ${fmt(s.p90)} | ${f ? fmt(s.median / f, 2) : 'n/a'} | ${fs ? fmt(s.median / fs, 2) : 'n/a'} |`,
      );
  }
  const hog = res.hogLatency?.small;
  if (hog) {
    const h = res.hog;
    out.push(
      `\n**Save to new response with a CPU hog** (small project; ms; ${h.processes} busy-loop processes, one per core, ran through the section and took ${fmt(h.cpuS / h.wallS, 2)} cores; difference = median / p90 minus those of floor -s -w)\n`,
    );
    out.push('| variant | n | median | p90 | minus floor -s -w: median | minus floor -s -w: p90 |');
    out.push('| --- | --- | --- | --- | --- | --- |');
    const d = res.hogMinusFloorSW.small;
    for (const [tool, s] of Object.entries(hog))
      out.push(
        `| ${tool} | ${n(s)} | ${fmt(s.median)} | ${fmt(s.p90)} | ${signed(d[tool].medianMs)} | ${signed(d[tool].p90Ms)} |`,
      );
  }
  // The numbers a summary quotes, one row per size: gohot against the floor with its own flags.
  out.push(
    '\n**gohot minus floor -s -w** (ms; + = gohot slower; air tuned beside it for the same size)\n',
  );
  out.push(
    '| size | variant | median / p90 | floor -s -w median / p90 | minus floor -s -w: median | p90 | air tuned median / p90 | minus air tuned: median |',
  );
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const rows = Object.entries(res.latency).map(([size, t]) => [size, t, res.minusFloorSW[size]]);
  if (hog) rows.push(['small, CPU hog', hog, res.hogMinusFloorSW.small]);
  for (const [size, t, d] of rows) {
    // The smoke run has the traced gohot only.
    const name = t.gohot ? 'gohot' : 'gohot -v (traced)';
    const g = t[name];
    const f = t['floor -s -w'];
    const a = t['air tuned'];
    const mp = (s) => (s ? `${fmt(s.median)} / ${fmt(s.p90)}` : 'n/a');
    const vsAir = g && a && g.median !== null && a.median !== null ? g.median - a.median : null;
    out.push(
      `| ${size} | ${name} | ${mp(g)} | ${mp(f)} | ${signed(d?.[name]?.medianMs)} | ${signed(d?.[name]?.p90Ms)} | ${mp(a)} | ${signed(vsAir)} |`,
    );
  }
}

function stageTable(res, out) {
  if (!res.stages.length) return;
  out.push(
    "\n**Where gohot's time goes** (gohot -v, medians of ms after the save, stamped on arrival of each line)\n",
  );
  out.push(
    '| size | event seen | cycle started (at once or after the quiet window) | go build start | build end | new app started | served | floor -s -w: build done / app started / served |',
  );
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [size, s] of Object.entries(res.stageMedians)) {
    const f = res.floorStages[size] ?? {};
    out.push(
      `| ${size} | ${fmt(s.event)} | ${fmt(s.cycle)} | ${fmt(s.buildStart)} | ${fmt(s.buildEnd)} | ${fmt(s.appStarted)} | ${fmt(s.served)} | ${fmt(f.builtMs)} / ${fmt(f.startedMs)} / ${fmt(f.ms)} |`,
    );
  }
}

function startupTable(res, out) {
  out.push(
    '\n**Start-up and footprint** (ms from launch; RSS = peak VmHWM of the tool process, MB; bare fs.watch walk = a Node process that walks the tree and calls fs.watch on every directory, nothing else; ratio = watcher ready / bare walk ready)\n',
  );
  out.push(
    '| size | tool | first go build | watcher ready | ratio to bare walk | app serves | peak RSS | fds | inotify watches |',
  );
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const sizes = [...new Set(res.startup.map((r) => r.size))];
  for (const size of sizes) {
    const b = res.bareWalk?.find((r) => r.size === size);
    if (b)
      out.push(
        `| ${size} (${b.files} files) | bare fs.watch walk | n/a | ${fmt(b.readyMs)} | 1.0x | n/a | ${fmt(b.hwmMB, 1)} | ${fmt(b.fds)} | ${fmt(b.inotifyWatches)} |`,
      );
    for (const r of res.startup.filter((x) => x.size === size))
      out.push(
        `| ${r.size} (${r.files} files) | ${r.tool} | ${fmt(r.firstBuildMs)} | ${fmt(r.watcherReadyMs)} | ${fmt(r.watcherReadyToBareWalk, 1)}${r.watcherReadyToBareWalk ? 'x' : ''} | ${fmt(r.servesMs)} | ${fmt(r.hwmMB, 1)} | ${fmt(r.fds)} | ${fmt(r.inotifyWatches)} |`,
      );
  }
}

/** The markdown report; `waste` is the order of the wasted-work steps. */
export function markdown(res, { waste }) {
  const out = [];
  out.push(
    `Run ${res.date} (${res.mode}), ${res.machine.cpus}x ${res.machine.cpu}, ${res.machine.memGB} GB, ${res.machine.kernel}, ${res.versions.go}, node ${res.versions.node}, air ${res.versions.air ?? 'n/a'}, reflex ${res.versions.reflex ?? 'n/a'}. Shared machine: read the ratios.\n`,
  );
  latencyTables(res, out);
  stageTable(res, out);
  out.push(
    '\n**Wasted work** (builds / restarts; small project; expected for gohot: 0,0,0,0,0,1,1,1; "missed" = the new state was not served within 10 s)\n',
  );
  out.push(`| tool | ${waste.join(' | ')} |`);
  out.push(`| --- | ${waste.map(() => '---').join(' | ')} |`);
  for (const [tool, rows] of Object.entries(res.wasted))
    out.push(
      `| ${tool} | ${waste.map((w) => `${rows[w].builds} / ${rows[w].restarts}${rows[w].missed ? ' missed' : ''}`).join(' | ')} |`,
    );
  startupTable(res, out);
  out.push(
    `\n**Idle cost** (CPU seconds of the tool process over ${res.params.idleS} s idle, large tree; % of one core)\n`,
  );
  out.push('| tool | native | polling |');
  out.push('| --- | --- | --- |');
  const pct = (r) => (r ? `${fmt(r.cpuS, 2)} s (${fmt((100 * r.cpuS) / r.seconds, 1)}%)` : 'n/a');
  for (const [tool, r] of Object.entries(res.idle))
    out.push(`| ${tool} | ${pct(r.native)} | ${pct(r.polling)} |`);
  out.push(
    '\n**Missed changes** (burst: 10 rounds of 22 files written 5 ms apart; final state not served within 10 s)\n',
  );
  out.push('| tool | trials | failed |');
  out.push('| --- | --- | --- |');
  for (const [tool, r] of Object.entries(res.missed))
    out.push(`| ${tool} | ${r.trials} | ${r.failures} |`);
  return out.join('\n');
}
