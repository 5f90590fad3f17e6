// Writes numbers.txt: IEEE 754 bit patterns (16 hex digits) and how ECMAScript's
// Number.prototype.toString writes them, which is the RFC 8785 number form.
//   node make-numbers.mjs > numbers.txt
const view = new DataView(new ArrayBuffer(8));
const bits = x => { view.setFloat64(0, x); return view.getBigUint64(0).toString(16).padStart(16, '0'); };
const fromBits = h => { view.setBigUint64(0, BigInt('0x' + h)); return view.getFloat64(0); };

// The examples of RFC 8785 appendix B, then edges of the layout rules.
const patterns = [
  '0000000000000000', '8000000000000000', '0000000000000001', '8000000000000001',
  '7fefffffffffffff', 'ffefffffffffffff', '4340000000000000', 'c340000000000000',
  '4430000000000000', '44b52d02c7e14af5', '44b52d02c7e14af6', '44b52d02c7e14af7',
  '444b1ae4d6e2ef4e', '444b1ae4d6e2ef4f', '444b1ae4d6e2ef50', '3eb0c6f7a0b5ed8c',
  '3eb0c6f7a0b5ed8d', '41b3de4355555553', '41b3de4355555554', '41b3de4355555555',
  '41b3de4355555556', '41b3de4355555557', 'becbf647612f3696', '43143ff3c1cb0959',
];
const values = [
  1e21, 1e20, 1e-7, 1e-6, 0.000001234, 1.234e-7, 0.1 + 0.2, 123456789012345680000, 2 ** 53 + 2,
  2.2250738585072014e-308, 2.225073858507201e-308, 4.9e-324, 1e16, 1e15, 123e-20, 1.5, -1.5,
  0.5, 100, 1e300, 12345678901234567890123, 0.1, 0.7, 1 / 3, 2 / 3, Math.PI, Math.E,
];
const lines = patterns.map(h => [h, fromBits(h)]);
for (const v of values) lines.push([bits(v), v]);

// Random bit patterns (finite only) and random short decimals, from a fixed seed.
let seed = 2026;
const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
while (lines.length < 6000) {
  const h = next().toString(16).padStart(8, '0') + next().toString(16).padStart(8, '0');
  const x = fromBits(h);
  if (Number.isFinite(x)) lines.push([h, x]);
}
for (let i = 0; i < 2000; i++) {
  const x = Number(`${next() % 100000}e${(next() % 60) - 30}`) / (1 + (next() % 7));
  lines.push([bits(x), x]);
}
for (const [h, x] of lines) console.log(`${h},${String(x)}`);
