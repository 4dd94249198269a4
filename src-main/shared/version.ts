/** This Layerlab's version: what `layerlab --version` says and what a queue worker must match. */
export const LAYERLAB_VERSION = '0.1.0';
