// The operator console's progressive enhancement. Every page works without it (forms
// post, links page); with it, copy buttons copy and the report charts are drawn (uPlot).
// Served by the Worker from its own bundle (src/console/static.ts), under a strict CSP.

/** Copy buttons: `data-copy` names the element whose text is copied; they stay hidden without script. */
function enhanceCopyButtons() {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const status = button.closest("section")?.querySelector(".copy-status");
    if (!source || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(source.textContent.trim());
      if (status) status.textContent = button.dataset.copied;
    });
  }
}

/** Stacked bars: each series drawn as the sum of itself and the ones after it, so the bars pile up; the legend shows each one's own value. */
function stackedSeries(series) {
  return series.map((_, index) => series[0].values.map((_, day) => series.slice(index).reduce((sum, s) => sum + (s.values[day] ?? 0), 0)));
}

function drawChart(container) {
  const data = JSON.parse(container.dataset.chart);
  const totals = stackedSeries(data.series);
  const days = data.labels.map((_, i) => i);
  const bars = window.uPlot.paths.bars({ size: [0.7, 48] });
  const number = new Intl.NumberFormat(document.documentElement.lang);
  const options = {
    width: Math.max(280, container.clientWidth),
    height: 260,
    scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] } },
    axes: [
      {
        values: (_u, ticks) => ticks.map((tick) => data.labels[tick]?.slice(5) ?? ""),
        space: 48,
      },
      { values: (_u, ticks) => ticks.map((tick) => number.format(tick)), size: 60 },
    ],
    legend: { live: true },
    cursor: { points: { show: false } },
    series: [
      // x values are the day indexes, so the raw value names the day.
      { label: data.dateLabel, value: (_u, day) => (day === null ? "" : (data.labels[day] ?? "")) },
      ...data.series.map((s, index) => ({
        label: s.label,
        stroke: s.color,
        fill: s.color,
        width: 0,
        paths: bars,
        points: { show: false },
        value: (_u, _v, _series, day) => (day === null ? "" : number.format(data.series[index].values[day] ?? 0)),
      })),
    ],
  };
  container.replaceChildren();
  const plot = new window.uPlot(options, [days, ...totals], container);
  window.addEventListener("resize", () => plot.setSize({ width: Math.max(280, container.clientWidth), height: 260 }));
}

function enhanceCharts() {
  if (!window.uPlot) return;
  for (const container of document.querySelectorAll("[data-chart]")) drawChart(container);
}

enhanceCopyButtons();
enhanceCharts();
