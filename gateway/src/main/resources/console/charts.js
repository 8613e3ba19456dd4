// Small SVG line charts, drawn by hand: a few series over time, an axis of figures and of times.
// No library: the page needs nothing more than this (see docs/console.md, "Why no library").
const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 160;
const PAD = { left: 64, right: 12, top: 10, bottom: 22 };

function svg(tag, attrs, text) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * series: [{ name, values: number[], className }], times: Date[] (one per value),
 * format: number => label. Returns a <figure> with the chart and its legend.
 */
export function lineChart(title, times, series, format) {
  const figure = document.createElement('figure');
  figure.className = 'chart';
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title });
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i) => PAD.left + (i / Math.max(1, times.length - 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (v) => HEIGHT - PAD.bottom - (v / max) * (HEIGHT - PAD.top - PAD.bottom);
  for (const fraction of [0, 0.5, 1]) {
    const value = max * fraction;
    chart.append(svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(value), y2: y(value), class: 'grid' }));
    chart.append(svg('text', { x: PAD.left - 6, y: y(value) + 4, class: 'axis', 'text-anchor': 'end' }, format(value)));
  }
  for (const i of [0, Math.floor((times.length - 1) / 2), times.length - 1]) {
    if (times[i]) {
      chart.append(svg('text', { x: x(i), y: HEIGHT - 6, class: 'axis', 'text-anchor': 'middle' },
        times[i].toISOString().slice(11, 16)));
    }
  }
  const legend = document.createElement('div');
  legend.className = 'legend';
  series.forEach((s, n) => {
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    chart.append(svg('polyline', { points, class: `line series-${n}` }));
    const key = document.createElement('span');
    key.className = `key series-${n}`;
    key.textContent = `${s.name}: ${format(s.values.reduce((a, b) => a + b, 0))} in all`;
    legend.append(key);
  });
  figure.append(caption, chart, legend);
  return figure;
}
