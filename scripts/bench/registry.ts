import { bundleBench } from './bundleBench';
import { diffBench, diffWorstBench } from './diffBench';
import type { Bench } from './types';

/** Every benchmark, in the order they run. */
export const BENCHES: Bench[] = [diffBench, diffWorstBench, bundleBench];
