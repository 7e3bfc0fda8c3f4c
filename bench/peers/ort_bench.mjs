// Times ONNX Runtime (onnxruntime-node, CPU execution provider, one thread) on an ONNX model the
// way `vigil bench` times Invoke: the same seeded random input, warm-up runs, then N timed runs of
// session.run; prints JSON with median and p90 in milliseconds.
// Usage: node ort_bench.mjs MODEL.onnx ITERATIONS WARMUP
import * as ort from 'onnxruntime-node';

const [model, iterationsText, warmupText] = process.argv.slice(2);
const iterations = Number(iterationsText ?? 200);
const warmup = Number(warmupText ?? 10);

const session = await ort.InferenceSession.create(model, {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});
const feeds = {};
let seed = 1234;
const random = () => {  // a small LCG + Box-Muller: normal(0, 1) inputs, like vigil bench
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return (seed + 1) / 2147483649;
};
for (const name of session.inputNames) {
  const meta = session.inputMetadata?.find?.((m) => m.name === name);
  const dims = process.env[`SHAPE_${name.replace(/[^A-Za-z0-9]/g, '_')}`]?.split('x').map(Number) ?? meta?.shape;
  const count = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  for (let i = 0; i < count; ++i) data[i] = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
  feeds[name] = new ort.Tensor('float32', data, dims);
}
for (let i = 0; i < warmup; ++i) await session.run(feeds);
const ms = [];
for (let i = 0; i < iterations; ++i) {
  const start = process.hrtime.bigint();
  await session.run(feeds);
  ms.push(Number(process.hrtime.bigint() - start) / 1e6);
}
ms.sort((a, b) => a - b);
const at = (p) => ms[Math.min(ms.length - 1, Math.round(p * (ms.length - 1)))];
console.log(JSON.stringify({ peer: `onnxruntime-node ${ort.env.versions?.common ?? ''}`.trim(), iterations,
                             warmup, median_ms: at(0.5), p90_ms: at(0.9), min_ms: ms[0], threads: 1 }));
