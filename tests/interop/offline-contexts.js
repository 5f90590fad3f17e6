// The published JSON-LD contexts, from the project's copies (contexts/README.md); any other URL is an
// error, never a download. The document loader that the Node checks hand to jsonld.js.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..", "..");
const contexts = {
  "https://www.w3.org/ns/credentials/v2": "contexts/credentials-v2.jsonld",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "contexts/ob-context-3.0.3.json",
  "https://w3id.org/security/data-integrity/v2": "contexts/data-integrity-v2.jsonld",
  "https://w3id.org/security/multikey/v1": "contexts/multikey-v1.jsonld",
  "https://www.w3.org/ns/credentials/status/v1": "contexts/bitstring-status-list-v1.jsonld",
  "https://www.w3.org/ns/credentials/examples/v2": "contexts/credentials-examples-v2.jsonld",
  "https://www.w3.org/2018/credentials/v1": "contexts/credentials-v1.jsonld",
  "https://w3id.org/security/suites/ed25519-2020/v1": "contexts/ed25519-signature-2020-v1.jsonld",
};

async function documentLoader(url) {
  if (!contexts[url]) throw new Error(`No offline copy of ${url}; refusing to fetch it.`);
  return { contextUrl: null, documentUrl: url, document: JSON.parse(fs.readFileSync(path.join(root, contexts[url]), "utf8")) };
}

module.exports = { documentLoader };
