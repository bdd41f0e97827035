import { bundleBench } from './bundleBench';
import { diffBench, diffWorstBench } from './diffBench';
import { exportBench } from './exportBench';
import { importBench } from './importBench';
import { listBench } from './listBench';
import { memoryBench, saveBench } from './saveBench';
import { scaleBench } from './scaleBench';
import { startupBench } from './startupBench';
import { tmBench } from './tmBench';
import type { Bench } from './types';

/** Every benchmark, in the order they run. */
export const BENCHES: Bench[] = [diffBench, diffWorstBench, importBench, exportBench, listBench, tmBench, saveBench, memoryBench, scaleBench, bundleBench, startupBench];
