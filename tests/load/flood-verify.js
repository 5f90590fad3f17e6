// One client flooding POST /verify with the same large body, from a process of its own so that the
// registry's test measures the registry, not its own flooding.
//
//   node tests/load/flood-verify.js <verify URL> <body file> <connections> <bodies a second>
//
// Sends the body over <connections> connections, at most <bodies a second> in all, until SIGTERM; prints
// "flooding" once the first answer is in, and at the end one JSON line counting the answers by status
// and the requests that failed by error code (a refused body's connection is closed while it is written).
"use strict";
const fs = require("fs");
const http = require("http");

const [url, file, connections, rate] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
const body = fs.readFileSync(file);
const counts = { sent: 0 };
const begun = Date.now();
let stopping = false;
let announced = false;

function count(key) {
  counts[key] = (counts[key] || 0) + 1;
  if (!announced) {
    announced = true;
    console.log("flooding");
  }
}

// One request; resolves once it is answered or has failed, whichever comes first.
function send() {
  counts.sent++;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (key) => {
      if (settled) return;
      settled = true;
      count(key);
      resolve();
    };
    const request = http.request(url, { method: "POST", headers: { "Content-Type": "application/json", "Content-Length": body.length } }, (response) => {
      response.resume();
      settle(String(response.statusCode));
    });
    request.on("error", (e) => settle(e.code || "error"));
    request.end(body);
  });
}

async function connection() {
  while (!stopping) {
    const due = begun + (counts.sent * 1000) / rate;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    else await send();
  }
}

process.on("SIGTERM", () => {
  stopping = true;
});
Promise.all(Array.from({ length: connections }, connection)).then(() => {
  console.log(JSON.stringify(counts));
  process.exit(0);
});
