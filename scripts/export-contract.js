// Writes the compiled CredentialRegistry (ABI and creation bytecode) to the .NET chain adapter,
// which deploys and calls the contract from it. Run it after changing the contract:
//   npm run export-contract
// tests/contract/ExportedContract.test.js fails while the exported file is out of date.
const fs = require("node:fs");
const path = require("node:path");

const CONTRACT_NAME = "CredentialRegistry";

/** Where the export lives, relative to the project root. */
const EXPORT_FILE = path.join("src", "Registry.Chain", "Contract", `${CONTRACT_NAME}.json`);

/** The export as built from the current Hardhat artifact. */
async function exportedContract(hre) {
  const artifact = await hre.artifacts.readArtifact(CONTRACT_NAME);
  const buildInfo = await hre.artifacts.getBuildInfo(`${artifact.sourceName}:${artifact.contractName}`);
  if (buildInfo === undefined) {
    throw new Error(`no build info for ${CONTRACT_NAME}; run npx hardhat compile`);
  }
  // "0.8.28+commit.7893614a", without the platform suffix of the compiler build that ran.
  const solcVersion = buildInfo.solcLongVersion.match(/^\d+\.\d+\.\d+\+commit\.[0-9a-f]+/)[0];
  return {
    contractName: artifact.contractName,
    solcVersion,
    abi: artifact.abi,
    bytecode: artifact.bytecode,
  };
}

/** The export as a file's text: pretty-printed with two spaces and a trailing newline. */
function serialize(exported) {
  return `${JSON.stringify(exported, null, 2)}\n`;
}

async function main() {
  const hre = require("hardhat");
  await hre.run("compile", { quiet: true });
  const exported = await exportedContract(hre);
  const file = path.join(hre.config.paths.root, EXPORT_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, serialize(exported));
  console.log(`wrote ${EXPORT_FILE} (${exported.contractName}, solc ${exported.solcVersion})`);
}

module.exports = { EXPORT_FILE, exportedContract, serialize };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
