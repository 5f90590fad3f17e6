// Portable credentials read by the tools that wallets and verifiers are built on, not by our code:
// jsonld.js in safe mode (the mode VC 2.0 verifiers use; base directions as i18n datatypes, as their
// cryptosuites write them) expands and canonicalises each one with no network, dropping nothing, and
// ajv (JSON Schema 2020-12, with ajv-formats) checks each against the W3C VC 2.0 schema, the registry's
// portable credential schema (issuer Profile by did:key, the proof set of anchor and signature) and, for
// badges, the project's Open Badges 3.0 AchievementCredential schema.
//
// Usage: node --test tests/interop/standard-tools.test.js
// The credentials are the JSON files in REGISTRY_ISSUED_CREDENTIALS_DIR: the .NET suite writes there
// every portable credential that its tests fetch from the registry (scripts/test.sh sets it).
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const jsonld = require("jsonld");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

const root = path.join(__dirname, "..", "..");
const folder = process.env.REGISTRY_ISSUED_CREDENTIALS_DIR;

const { documentLoader } = require("./offline-contexts");

// Each field the registry writes, and the IRI that docs/VERIFICATION.md gives it.
const vocab = "urn:credential-registry:vocab#";
const sec = "https://w3id.org/security#";
const proofIris = {
  proofPurpose: `${sec}proofPurpose`,
  verificationMethod: `${sec}verificationMethod`,
  created: "http://purl.org/dc/terms/created",
  salt: `${vocab}salt`,
  digest: `${vocab}digest`,
  merkleRoot: `${vocab}merkleRoot`,
  merkleProof: `${vocab}merkleProof`,
  anchor: `${vocab}anchor`,
};
const anchorIris = {
  chainId: `${vocab}chainId`,
  registry: `${vocab}registry`,
  transactionHash: `${vocab}transactionHash`,
  blockNumber: `${vocab}blockNumber`,
  batchId: `${vocab}batchId`,
};
const statusIris = { chainId: `${vocab}chainId`, registry: `${vocab}registry`, issuer: `${vocab}issuer` };
// The first status entry, the W3C Bitstring Status List's, under the IRIs of the VC 2.0 context.
const bsl = "https://www.w3.org/ns/credentials/status#";
const listIris = { statusPurpose: `${bsl}statusPurpose`, statusListIndex: `${bsl}statusListIndex`, statusListCredential: `${bsl}statusListCredential` };
const listType = `${bsl}BitstringStatusListEntry`;
const proofType = `${vocab}EthereumMerkleAnchor2026`;
const statusType = `${vocab}EthereumRevocationRegistry2026`;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const schema = (file) => JSON.parse(fs.readFileSync(path.join(root, "schemas", file), "utf8"));
const validateVc = ajv.compile(schema("vc-2.0.schema.json"));
const validateBadge = ajv.compile(schema("ob-3.0-achievement-credential.schema.json"));
const validatePortable = ajv.compile(schema("portable-credential.schema.json"));

const isBadge = (credential) => [credential.type].flat().some((t) => t === "OpenBadgeCredential" || t === "AchievementCredential");
// Safe mode, and base directions written as i18n datatypes, as Data Integrity cryptosuites canonicalise.
const safe = { documentLoader, safe: true, rdfDirection: "i18n-datatype" };

// The issuer's signature, a DataIntegrityProof of the W3C VC 2.0 context.
const signatureIris = {
  cryptosuite: `${sec}cryptosuite`,
  proofPurpose: `${sec}proofPurpose`,
  verificationMethod: `${sec}verificationMethod`,
  created: "http://purl.org/dc/terms/created",
  proofValue: `${sec}proofValue`,
};
const signatureType = `${sec}DataIntegrityProof`;

async function expandedProofAndStatus(credential) {
  const [expanded] = await jsonld.expand(credential, safe);
  // The proof set: each proof is a graph of its own.
  const graphs = expanded[`${sec}proof`].map((entry) => entry["@graph"][0]);
  const proofGraph = graphs.find((g) => g["@type"]?.includes(proofType));
  const signatureGraph = graphs.find((g) => g["@type"]?.includes(signatureType));
  const statuses = expanded["https://www.w3.org/2018/credentials#credentialStatus"];
  const status = statuses.find((s) => s["@type"]?.includes(statusType));
  const list = statuses.find((s) => s["@type"]?.includes(listType));
  // The registry's two entries come first (verifiers that read one read the registry's); an issuer's own follow.
  const registrys = statuses.filter((s) => s["@type"]?.includes(statusType) || s["@type"]?.includes(listType));
  assert.equal(registrys.length, 2, "credentialStatus does not hold the registry's two entries once each");
  assert.ok(statuses.slice(0, 2).every((s) => registrys.includes(s)), "the registry's status entries are not the first two");
  return { proofGraph, signatureGraph, graphs, status, list };
}

/** Everything a standard tool does with the credential; throws, naming what failed. */
async function checkCredential(credential, oursNquads) {
  const { proofGraph, signatureGraph, graphs, status, list } = await expandedProofAndStatus(credential);
  assert.ok(Array.isArray(credential.proof) && credential.proof.length === 2, "proof is not a proof set of two");
  assert.equal(graphs.length, 2, "the proof set did not expand to two proofs");
  assert.ok(proofGraph, "the anchor proof lost its type");
  assert.ok(signatureGraph, "the issuer's signature lost its type");
  const [anchorProof, signature] = credential.proof;
  for (const [field, iri] of Object.entries(signatureIris))
    assert.ok(signatureGraph[iri], `the signature's ${field} was dropped or has another IRI`);
  assert.equal(Object.keys(signatureGraph).filter((k) => k !== "@type").length, Object.keys(signature).length - 1,
    "the expanded signature has another number of properties than the JSON proof");

  // Nothing dropped: every proof field, anchor field and status field is there under its IRI.
  assert.deepEqual(proofGraph["@type"], [proofType]);
  for (const [field, iri] of Object.entries(proofIris))
    assert.ok(proofGraph[iri], `proof.${field} was dropped or has another IRI`);
  assert.equal(Object.keys(proofGraph).filter((k) => k !== "@type").length, Object.keys(anchorProof).length - 1,
    "the expanded proof has another number of properties than the JSON proof");
  assert.equal(proofGraph[proofIris.merkleProof][0]["@list"].length, anchorProof.merkleProof.length, "merkleProof lost its order or items");
  const anchor = proofGraph[proofIris.anchor][0];
  for (const [field, iri] of Object.entries(anchorIris)) assert.ok(anchor[iri], `proof.anchor.${field} was dropped or has another IRI`);
  assert.equal(Object.keys(anchor).length, Object.keys(anchorProof.anchor).length);
  const [listEntry, chainEntry] = credential.credentialStatus;
  assert.ok(status, "the chain status entry lost its type");
  for (const [field, iri] of Object.entries(statusIris)) assert.ok(status[iri], `credentialStatus[1].${field} was dropped or has another IRI`);
  assert.equal(Object.keys(status).length - 1, Object.keys(chainEntry).length - 1);
  assert.ok(list, "the status list entry lost its type");
  assert.equal(list["@id"], listEntry.id);
  for (const [field, iri] of Object.entries(listIris)) assert.ok(list[iri], `credentialStatus[0].${field} was dropped or has another IRI`);
  assert.equal(list[listIris.statusListCredential][0]["@id"], listEntry.statusListCredential);
  assert.equal(Object.keys(list).length - 1, Object.keys(listEntry).length - 1);

  // Canonical N-Quads (RDFC-1.0), in safe mode: what a Data Integrity verifier hashes.
  const nquads = await jsonld.canonize(credential, { ...safe, algorithm: "RDFC-1.0", format: "application/n-quads" });
  for (const iri of [...Object.values(proofIris), ...Object.values(anchorIris), ...Object.values(statusIris), ...Object.values(listIris),
    ...Object.values(signatureIris), proofType, statusType, listType, signatureType])
    assert.ok(nquads.includes(`<${iri}>`), `the canonical N-Quads lack ${iri}`);
  assert.ok(nquads.includes(`"${anchorProof.anchor.chainId}"^^<http://www.w3.org/2001/XMLSchema#integer>`), "chainId is not an xsd:integer");

  // The registry's own JSON-LD processor gave the same quads as jsonld.js's toRDF: the same dataset once
  // both are canonicalised (the N-Quads reader drops repeated quads), and as many quads.
  if (oursNquads !== undefined) {
    const theirs = await jsonld.toRDF(credential, { ...safe, format: "application/n-quads" });
    const canonical = (text) => jsonld.canonize(text, { inputFormat: "application/n-quads", algorithm: "RDFC-1.0", format: "application/n-quads" });
    assert.equal(await canonical(oursNquads), await canonical(theirs), "the registry's JSON-LD processor gave another RDF dataset than jsonld.js");
    const count = (text) => text.split("\n").filter((line) => line.length > 0).length;
    assert.equal(count(oursNquads), count(theirs), "the registry's JSON-LD processor gave another number of quads than jsonld.js");
  }

  // The schemas. The W3C VC 2.0 schema is of VC 2.0 credentials; VC 1.1 has no W3C JSON Schema, so a VC 1.1
  // credential (issued through the VC API) is held to its one date rule instead: an issuanceDate, a dateTime.
  if (credential["@context"][0] === "https://www.w3.org/2018/credentials/v1")
    assert.ok(typeof credential.issuanceDate === "string" && !Number.isNaN(Date.parse(credential.issuanceDate)) && !("validFrom" in credential),
      "a VC 1.1 credential has an issuanceDate and no validFrom");
  else
    assert.ok(validateVc(credential), `VC 2.0 schema: ${ajv.errorsText(validateVc.errors)}`);
  assert.ok(validatePortable(credential), `portable credential schema: ${ajv.errorsText(validatePortable.errors)}`);
  if (isBadge(credential))
    assert.ok(validateBadge(credential), `Open Badges 3.0 schema: ${ajv.errorsText(validateBadge.errors)}`);
}

const files = folder && fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith(".json")).sort() : [];
// Beside each credential, the .NET suite writes the RDF dataset that the registry's processor made of it (.nq).
const ownDataset = (file) => {
  const nq = path.join(folder, file.replace(/\.json$/, ".nq"));
  return fs.existsSync(nq) ? fs.readFileSync(nq, "utf8") : undefined;
};
const credentials = files.map((f) => ({ file: f, credential: JSON.parse(fs.readFileSync(path.join(folder, f), "utf8")), nquads: ownDataset(f) }));

test("the registry's credentials were found", () => {
  assert.ok(folder, "set REGISTRY_ISSUED_CREDENTIALS_DIR to the folder of issued credentials");
  assert.ok(credentials.length > 0, `no credentials in ${folder}`);
  assert.ok(credentials.some((c) => isBadge(c.credential)), "no Open Badges credential among them");
});

for (const { file, credential, nquads } of credentials)
  test(`issued credential ${file} expands, canonicalises and meets the schemas`, () => checkCredential(credential, nquads));

test("the registry's processor made a dataset of every credential", () => {
  const missing = credentials.filter((c) => c.nquads === undefined).map((c) => c.file);
  assert.deepEqual(missing, [], "credentials without the registry's dataset beside them");
});

// The checks above can fail: each damage below must be caught.
const sample = credentials.find((c) => isBadge(c.credential))?.credential;
const damaged = (change) => { const copy = structuredClone(sample); change(copy); return copy; };
const registryContext = (credential) => credential["@context"].find((c) => typeof c === "object" && c.EthereumMerkleAnchor2026);

test("a dataset that differs from jsonld.js's is caught", { skip: !sample }, async () => {
  const ours = credentials.find((c) => c.credential === sample).nquads;
  const lines = ours.trimEnd().split("\n");
  await assert.rejects(checkCredential(sample, lines.slice(1).join("\n") + "\n"), /another RDF dataset/);
});

test("a proof term missing from the context fails safe mode", { skip: !sample }, async () => {
  const copy = damaged((c) => delete registryContext(c).EthereumMerkleAnchor2026["@context"].merkleRoot);
  await assert.rejects(checkCredential(copy), /Safe mode validation error/);
});

test("an anchor term missing from the context fails safe mode", { skip: !sample }, async () => {
  const copy = damaged((c) => delete registryContext(c).EthereumMerkleAnchor2026["@context"].anchor["@context"].blockNumber);
  await assert.rejects(checkCredential(copy), /Safe mode validation error/);
});

test("a status type missing from the context fails safe mode", { skip: !sample }, async () => {
  const copy = damaged((c) => delete registryContext(c).EthereumRevocationRegistry2026);
  await assert.rejects(checkCredential(copy), /Safe mode validation error/);
});

test("the credential without the registry's context fails safe mode", { skip: !sample }, async () => {
  const copy = damaged((c) => { c["@context"] = c["@context"].filter((x) => typeof x === "string"); });
  await assert.rejects(checkCredential(copy), /Safe mode validation error/);
});

test("a context URL with no offline copy is an error, not a download", { skip: !sample }, async () => {
  const copy = damaged((c) => c["@context"].push("https://example.org/unknown-context.jsonld"));
  await assert.rejects(checkCredential(copy), (error) => /No offline copy/.test(error.details?.cause?.message ?? error.message));
});

test("a badge without achievement criteria fails the Open Badges schema", { skip: !sample }, async () => {
  const copy = damaged((c) => delete c.credentialSubject.achievement.criteria);
  await assert.rejects(checkCredential(copy), /Open Badges 3.0 schema/);
});

test("a proof set without the issuer's signature fails the portable credential schema", { skip: !sample }, async () => {
  const copy = damaged((c) => { c.proof = [c.proof[0]]; });
  await assert.rejects(checkCredential(copy), /proof set of two|portable credential schema/);
  assert.equal(validatePortable(damaged((c) => { c.issuer.id = "did:pkh:eip155:31337:0x" + "1".repeat(40); })), false);
});

test("a credential whose issuer is a number fails the VC 2.0 schema", { skip: !sample }, () => {
  assert.equal(validateVc(damaged((c) => { c.issuer = 42; })), false);
});
