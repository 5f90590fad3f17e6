// Prints the benchmark's rows (JSON lines written by bench/Registry.Load and bench/reference/*) as
// Markdown tables: figures that grow with the number of credentials, one column per size, and the rest.
// Usage: node bench/table.js ROWS_JSONL
const fs = require("fs");

const rows = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
const number = (v) => (v >= 100 ? Math.round(v).toLocaleString("en-US") : v >= 10 ? v.toFixed(1) : v.toFixed(2));
// Ours first, each reference on the line below it, named by its side ("ours" or what it is).
const label = (r) => (r.side === "ours" ? `${r.measure} (${r.unit})` : `↳ reference: ${r.side} (${r.unit})`);

const sized = rows.filter((r) => r.size != null);
const sizes = [...new Set(sized.map((r) => r.size))].sort((a, b) => a - b);
const order = [...new Set(sized.map((r) => r.measure))];
const measures = [...new Set(sized.slice().sort((a, b) => order.indexOf(a.measure) - order.indexOf(b.measure) || (a.side === "ours" ? -1 : 1)).map(label))];
// None when only the rows without a size were run (BENCH_ONLY).
if (sizes.length) {
console.log(`| what | ${sizes.map((s) => s.toLocaleString("en-US")).join(" | ")} |`);
console.log(`|---|${sizes.map(() => "---:").join("|")}|`);
}
for (const m of measures) {
  const cells = sizes.map((s) => {
    const r = sized.find((x) => label(x) === m && x.size === s);
    return r ? number(r.value) : "—";
  });
  console.log(`| ${m} | ${cells.join(" | ")} |`);
}

// Figures that do not depend on a size: ours beside the reference measured the same way.
const single = rows.filter((r) => r.size == null);
if (single.length) {
  const names = [...new Set(single.map((r) => r.measure))];
  const references = [...new Set(single.filter((r) => r.side !== "ours").map((r) => r.side))];
  console.log(`\n| what | ours |${references.map((r) => ` reference: ${r} |`).join("")} how |`);
  console.log(`|---|---:|${references.map(() => "---:|").join("")}---|`);
  for (const name of names) {
    const of = (side) => single.find((r) => r.measure === name && r.side === side);
    const ours = of("ours");
    const unit = (ours ?? single.find((r) => r.measure === name)).unit;
    const cells = references.map((side) => (of(side) ? number(of(side).value) : "—"));
    console.log(`| ${name} (${unit}) | ${ours ? number(ours.value) : "—"} |${cells.map((c) => ` ${c} |`).join("")} ${(ours ?? {}).note ?? ""} |`);
  }
}
