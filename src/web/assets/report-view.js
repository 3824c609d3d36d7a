import { equityOption, monthlyHeatmapOption, mountPriceChart } from './charts.js';

// Draws a backtest report's charts from its JSON model (the #report-data block): report.html inlines
// this file after charts.js; the dashboard loads it as a module. The log-scale box switches the price
// and equity axes together.
(function drawReport() {
  const data = document.getElementById('report-data');
  const ec = globalThis.echarts;
  if (!data || !ec) return;
  const m = JSON.parse(data.textContent);
  const logBox = document.getElementById('log-scale');
  let log = logBox ? logBox.checked : m.log;
  const priceEl = document.getElementById('price-chart');
  const price = mountPriceChart(ec, priceEl, m.price, { log, status: document.getElementById('marker-status') });
  const eqEl = document.getElementById('equity-chart');
  const equity = ec.init(eqEl);
  const drawEquity = () => equity.setOption(equityOption(m.equity, { log, height: eqEl.clientHeight || 420 }), true);
  drawEquity();
  const heatEl = document.getElementById('month-heatmap');
  // Height from the number of years (set through the CSSOM: allowed by a strict style CSP).
  heatEl.style.height = `${Math.max(200, 110 + 28 * Number(heatEl.dataset.years || 1))}px`;
  const heat = ec.init(heatEl);
  heat.setOption(monthlyHeatmapOption(m.months));
  if (logBox) {
    logBox.addEventListener('change', () => {
      log = logBox.checked;
      price.setLog(log);
      drawEquity();
    });
  }
  window.addEventListener('resize', () => {
    price.chart.resize();
    equity.resize();
    heat.resize();
  });
  document.body.dataset.chartsReady = 'true';
})();
