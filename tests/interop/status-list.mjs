// Reads a status list the registry served, and the credentials that point into it, with
// @digitalbazaar/vc-bitstring-status-list (what Digital Bazaar's verifiers run) and jsonld.js, not our code:
// jsonld.js canonicalises the list in safe mode with no network; the library decodes its encodedList and,
// for each credential, finds its BitstringStatusListEntry and reads the bit (checkStatus, with the list
// served by a loader that knows only this list's URL). The list's signature is the registry's own
// verifier's to check (eddsa-rdfc-2022); checkStatus is told not to, and says whether the issuers match.
// Usage: node tests/interop/status-list.mjs LIST.json CREDENTIAL.json...
// Prints one JSON object {canonicalised, length, set, credentials: [{file, verified, status, issuersMatch, error}]}.
import fs from "node:fs";
import { createRequire } from "node:module";
import { checkStatus, decodeList } from "@digitalbazaar/vc-bitstring-status-list";

const require = createRequire(import.meta.url);
const jsonld = require("jsonld");
const { documentLoader: contexts } = require("./offline-contexts.js");

const [listFile, ...credentialFiles] = process.argv.slice(2);
const list = JSON.parse(fs.readFileSync(listFile, "utf8"));

const nquads = await jsonld.canonize(list, { documentLoader: contexts, safe: true, algorithm: "RDFC-1.0", format: "application/n-quads" });
const bits = await decodeList({ encodedList: list.credentialSubject.encodedList });
const set = [];
for (let i = 0; i < bits.length; i++) if (bits.getStatus(i)) set.push(i);

const documentLoader = async (url) => {
  if (url === list.id) return { contextUrl: null, documentUrl: url, document: list };
  return contexts(url);
};
const credentials = [];
for (const file of credentialFiles) {
  const credential = JSON.parse(fs.readFileSync(file, "utf8"));
  const read = await checkStatus({ credential, documentLoader, verifyBitstringStatusListCredential: false, verifyMatchingIssuers: false });
  const matched = await checkStatus({ credential, documentLoader, verifyBitstringStatusListCredential: false, verifyMatchingIssuers: true });
  credentials.push({
    file,
    verified: read.verified,
    status: read.results?.[0]?.status ?? null,
    issuersMatch: matched.verified,
    error: read.error?.message ?? null,
  });
}
console.log(JSON.stringify({ canonicalised: nquads.length > 0, length: bits.length, set, credentials }));
