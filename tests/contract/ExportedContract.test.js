const fs = require("node:fs");
const path = require("node:path");
const { expect } = require("chai");
const hre = require("hardhat");
const { EXPORT_FILE, exportedContract, serialize } = require("../../scripts/export-contract.js");

const HOW_TO_FIX = `${EXPORT_FILE} is out of date: run \`npm run export-contract\``;

describe("the exported contract", function () {
  it("matches the compiled artifact", async function () {
    const file = path.join(hre.config.paths.root, EXPORT_FILE);
    expect(fs.existsSync(file), HOW_TO_FIX).to.equal(true);
    const committed = JSON.parse(fs.readFileSync(file, "utf8"));
    const fresh = await exportedContract(hre);

    expect(committed.contractName, HOW_TO_FIX).to.equal(fresh.contractName);
    expect(committed.solcVersion, HOW_TO_FIX).to.equal(fresh.solcVersion);
    expect(committed.abi, HOW_TO_FIX).to.deep.equal(fresh.abi);
    expect(committed.bytecode, HOW_TO_FIX).to.equal(fresh.bytecode);
    expect(fs.readFileSync(file, "utf8"), HOW_TO_FIX).to.equal(serialize(fresh));
  });
});
