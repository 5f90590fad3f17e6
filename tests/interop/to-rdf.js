// jsonld.js's RDF dataset of each credential given, for the .NET suite to compare with the registry's
// own JSON-LD processor (tests/Registry.Tests/Interop/JsonLdInteropTests.cs): toRDF in safe mode with
// rdfDirection i18n-datatype (as the eddsa-rdfc-2022 cryptosuite converts), with the contexts the project
// bundles served offline and any other URL refused.
//
// Usage: node tests/interop/to-rdf.js OUT FILE...
// Writes one JSON object to OUT: each file's N-Quads and canonical N-Quads (RDFC-1.0), or the error jsonld.js raised.
const fs = require("fs");
const jsonld = require("jsonld");
const { documentLoader } = require("./offline-contexts");

(async () => {
  const results = {};
  const [out, ...files] = process.argv.slice(2);
  for (const file of files) {
    try {
      const document = JSON.parse(fs.readFileSync(file, "utf8"));
      const options = { format: "application/n-quads", safe: true, rdfDirection: "i18n-datatype", documentLoader };
      results[file] = {
        nquads: await jsonld.toRDF(document, options),
        canonical: await jsonld.canonize(document, { ...options, algorithm: "RDFC-1.0" }),
      };
    } catch (error) {
      results[file] = { error: `${error.name}: ${error.message} ${JSON.stringify(error.details?.event?.code ?? error.details?.code ?? "")}` };
    }
  }
  fs.writeFileSync(out, JSON.stringify(results));
})();
