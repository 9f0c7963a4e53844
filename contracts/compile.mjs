#!/usr/bin/env node
// Compiles contracts/src/*.sol with solc-js (the exact compiler pinned in package.json, no download) and writes one
// artifact per contract to contracts/artifacts/<Name>.json: the ABI, the creation and runtime bytecode, and the
// compiler version and settings that produced them.
//
//   node contracts/compile.mjs           writes the artifacts
//   node contracts/compile.mjs --check   compiles in memory and exits 1, naming each contract, when a committed
//                                        artifact differs from what the sources compile to (or is missing)
//
// The artifacts are committed so that the C# chain client and the deploy script need no compiler. They are
// reproducible: the settings below are fixed, imports resolve only to the pinned @openzeppelin/contracts in
// node_modules, and source names are relative ("src/X.sol", "@openzeppelin/…"), so the metadata hash embedded at the
// end of the bytecode does not depend on where the repository is checked out. The sources are compared as committed
// (LF line endings, see .gitattributes): a CRLF checkout would change that hash.
//
// Exit codes: 0 done (or up to date), 1 compile error or stale artifact, 2 bad usage, 3 npm packages not installed.

import { readFileSync, writeFileSync, readdirSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The contracts that get an artifact (others in the output, e.g. OpenZeppelin's, are left out). */
export const CONTRACTS = ['IChatToken', 'RelayStaking', 'RewardDistributor'];

/** Fixed compiler settings; changing any of them changes every artifact. */
export const SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  viaIR: false,
  metadata: { bytecodeHash: 'ipfs', appendCBOR: true },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

function loadSolc() {
  try {
    return require('solc');
  } catch (error) {
    if (error?.code !== 'MODULE_NOT_FOUND') throw error;
    process.stderr.write('compile: the npm packages are not installed; run: npm ci --prefix contracts\n');
    process.exit(3);
  }
}

function findImport(path) {
  if (!path.startsWith('@openzeppelin/contracts/')) return { error: `import outside @openzeppelin/contracts: ${path}` };
  try {
    return { contents: readFileSync(require.resolve(path), 'utf8') };
  } catch (error) {
    return { error: `cannot read ${path}: ${error.message}` };
  }
}

/** Compiles the sources and returns a map from contract name to its artifact text (as written to disk). */
export function compile() {
  const solc = loadSolc();
  const sources = {};
  for (const file of readdirSync(join(here, 'src')).filter((f) => f.endsWith('.sol')).sort()) {
    sources[`src/${file}`] = { content: readFileSync(join(here, 'src', file), 'utf8') };
  }
  const input = { language: 'Solidity', sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  for (const e of output.errors ?? []) process.stderr.write(`${e.formattedMessage ?? e.message}\n`);
  if (errors.length > 0) throw new Error(`solc reported ${errors.length} error(s)`);

  const artifacts = new Map();
  for (const name of CONTRACTS) {
    const sourceName = `src/${name}.sol`;
    const out = output.contracts?.[sourceName]?.[name];
    if (!out) throw new Error(`${sourceName} did not produce contract ${name}`);
    const artifact = {
      contractName: name,
      sourceName,
      compiler: { name: 'solc', version: solc.version(), settings: { ...SETTINGS, outputSelection: undefined } },
      abi: out.abi,
      bytecode: `0x${out.evm.bytecode.object}`,
      deployedBytecode: `0x${out.evm.deployedBytecode.object}`,
    };
    artifacts.set(name, `${JSON.stringify(artifact, null, 2)}\n`);
  }
  return artifacts;
}

function main(args) {
  if (args.length > 1 || (args.length === 1 && args[0] !== '--check')) {
    process.stderr.write('usage: node contracts/compile.mjs [--check]\n');
    return 2;
  }
  const artifactsDir = join(here, 'artifacts');
  let artifacts;
  try {
    artifacts = compile();
  } catch (error) {
    process.stderr.write(`compile: ${error.message}\n`);
    return 1;
  }
  if (args[0] === '--check') {
    const stale = [];
    for (const [name, text] of artifacts) {
      const file = join(artifactsDir, `${name}.json`);
      if (!existsSync(file)) stale.push(`${name} (artifacts/${name}.json is missing)`);
      else if (readFileSync(file, 'utf8') !== text) stale.push(`${name} (artifacts/${name}.json differs from src/)`);
    }
    if (stale.length > 0) {
      process.stderr.write(`compile: stale artifacts: ${stale.join(', ')}; run: node contracts/compile.mjs\n`);
      return 1;
    }
    process.stdout.write(`compile: ${artifacts.size} artifacts match the sources\n`);
    return 0;
  }
  mkdirSync(artifactsDir, { recursive: true });
  for (const [name, text] of artifacts) writeFileSync(join(artifactsDir, `${name}.json`), text);
  process.stdout.write(`compile: wrote ${[...artifacts.keys()].map((n) => `artifacts/${n}.json`).join(', ')}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
