/**
 * Databento MBP-10 import (docs/orderbook.md): a CSV or DBN file → the sampled book of each
 * period of a session and the day's statistics. The pipeline, one job a file:
 * bytes → records (csvRows.ts with layout.ts, numbers.ts, timestamps.ts; dbnRows.ts over the
 * DBN decoder) → the book in effect (bookState.ts, one code path for both formats) → periods
 * (sampler.ts, levelAccumulator.ts) → the result (stats.ts); parser.ts wires them and
 * importFile.ts streams a file through. This module is the public face.
 */
export { Mbp10Parser } from './parser';
export { importMbp10File, type ImportFileResult, type ReadProgress } from './importFile';
export { LevelAccumulator } from './levelAccumulator';
export { LEVELS } from './record';
export type { ParsedBook, PeriodPoint, SampleOptions } from './types';
