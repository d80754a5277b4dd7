/**
 * When the grid counts as flung: a row coming in every other frame or faster (over 6,000 px a
 * second at 60 Hz), so a photo is in view for a few frames. The thumbnail loader starts none then
 * (Glide and Picasso pause their requests in a fling for the same reason): its request, decode and
 * raster would take the cores the scroll needs, for a picture gone before it is seen; the ones in
 * view come as it slows. On its own (no DOM) so the gallery bench paces its scrolls by it.
 */
export const FLING_ROWS_PER_FRAME = 0.5;
