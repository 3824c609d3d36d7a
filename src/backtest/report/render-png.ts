import { existsSync } from 'node:fs';

/** Fonts resvg may use; the first existing ones are loaded (resvg draws no text without a font). */
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
];

export const CHART_FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/**
 * Render an ECharts option to PNG on the server: ECharts' SSR SVG renderer, then resvg. No browser.
 * Fonts: the known DejaVu/Liberation files when present (the Docker image installs fonts-dejavu-core),
 * plus the system fonts as a fallback.
 */
export async function renderChartPng(option: Record<string, unknown>, width: number, height: number): Promise<Buffer> {
  const echarts = await import('echarts');
  const { Resvg } = await import('@resvg/resvg-js');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: CHART_FONT_FAMILY }, ...option });
    const svg = chart.renderToSVGString();
    const fontFiles = FONT_CANDIDATES.filter((f) => existsSync(f));
    const png = new Resvg(svg, {
      font: { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: fontFiles.length > 0 ? 'DejaVu Sans' : undefined },
      fitTo: { mode: 'original' },
    })
      .render()
      .asPng();
    return png;
  } finally {
    chart.dispose();
  }
}

/** PNG files start with these 8 bytes. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
