import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { PlexusError } from '@plexus/tensor';
import { writeFileAtomic } from '../checkpoint/atomic.js';

/** The font every chart uses, loaded from the `dejavu-fonts-ttf` package: text renders the same on a machine without fonts. */
export const FONT_FAMILY = 'DejaVu Sans';

/** Path of the TrueType file of FONT_FAMILY. */
export function fontFile(): string {
  return createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
}

/** Settings shared by every chart: the bundled font and a white background (a PNG with no background reads badly in dark viewers). */
export const BASE_CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 12,
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14 },
} as const;

/**
 * Renders a Vega-Lite spec to SVG in Node, without a browser: vega-lite compiles it to Vega and a
 * headless Vega view draws it. Both libraries load on first use, so importing this package stays cheap.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface PngOptions {
  /** Pixels per SVG unit (default 2, for sharp text). */
  scale?: number;
}

/** Rasterises an SVG with resvg (a prebuilt binary shipped through npm), using only the bundled font. */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  let Resvg: typeof ResvgClass;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch (e) {
    throw new PlexusError(`svgToPng: @resvg/resvg-js could not load (${(e as Error).message}); its prebuilt binary may be missing for this platform. The SVG is still usable.`);
  }
  const scale = options.scale ?? 2;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles: [fontFile()], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}

/** Files a plot was written to. */
export interface PlotFiles {
  svg: string;
  png: string;
}

/** Writes `<basePath>.svg` and `<basePath>.png` (each atomically). */
export async function writePlot(spec: TopLevelSpec, basePath: string, options: PngOptions = {}): Promise<PlotFiles> {
  const svg = await renderSvg(spec);
  const files = { svg: `${basePath}.svg`, png: `${basePath}.png` };
  writeFileAtomic(files.svg, [new TextEncoder().encode(svg)]);
  writeFileAtomic(files.png, [await svgToPng(svg, options)]);
  return files;
}
