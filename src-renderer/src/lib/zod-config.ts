/**
 * Imported first by main.ts, so it runs before any schema is built: zod would otherwise probe
 * `new Function()` for its fast validators, which the page's CSP (no 'unsafe-eval') refuses with a
 * console error. The interpreter gives the same answers.
 */
import { z } from 'zod';

z.config({ jitless: true });
