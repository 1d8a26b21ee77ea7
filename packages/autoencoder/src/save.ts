import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Tensor } from '@plexus/tensor';
import type { ImageGridOptions, PixelData } from './image-grid.js';
import { imageGrid } from './image-grid.js';
import type { Image } from './png.js';
import { encodePng } from './png.js';

/** Writes an image as a PNG file, through a temporary file and a rename (a crash never leaves half a file). */
export function savePng(path: string, image: Image): void {
  const bytes = encodePng(image);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

/** imageGrid + savePng: torchvision's save_image. */
export function saveImageGrid(path: string, images: Tensor | PixelData, options: ImageGridOptions = {}): Image {
  const grid = imageGrid(images, options);
  savePng(path, grid);
  return grid;
}
