// What the contract scripts (deploy-local.mjs, fund-local.mjs) share: the committed artifacts, the `--name value`
// arguments, the connection to a node that is already running, and one way of ending, so that every script answers a
// mistake with one line on stderr and the same exit codes:
//
//   0 done, 1 a transaction or the chain failed, 2 bad usage, 3 npm packages not installed.
//
// Error messages keep to ethers' short reason: its long messages can quote the signed request, and a script must
// never print a private key.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Reads a committed artifact (ABI and bytecode) by contract name. */
export function artifact(name) {
  return JSON.parse(readFileSync(join(here, 'artifacts', `${name}.json`), 'utf8'));
}

/** A mistake in the command line or in a file it names: exit code 2, with the usage text after the message. */
export class UsageError extends Error {}

/** The npm packages are missing: exit code 3. */
export class NotInstalledError extends Error {}

/**
 * Splits `argv` into `--name value` options (only the names in `names`) and the remaining positional arguments.
 * @throws UsageError for an unknown option or an option without a value.
 */
export function readArguments(argv, names) {
  const options = {};
  const positionals = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) { positionals.push(arg); continue; }
    const name = arg.slice(2);
    if (!names.includes(name)) throw new UsageError(`unknown option ${arg}`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
    options[name] = value;
  }
  return { options, positionals };
}

/** Imports an npm package of contracts/package.json; NotInstalledError when `npm ci` has not been run. */
export async function importInstalled(specifier) {
  try {
    return await import(specifier);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new NotInstalledError('the npm packages are not installed; run: npm ci --prefix contracts');
  }
}

/**
 * A wallet for `key` on a provider for `rpc`, once the node has answered `eth_chainId` (and, when `chainId` is given,
 * answered with it). The network is fixed from that answer: ethers' own network detection would retry an unreachable
 * node every second for ever, printing to the console, where a script should stop with one line.
 * @returns { provider, signer }; the caller destroys the provider.
 */
export async function connect(ethers, rpc, key, { chainId } = {}) {
  let wallet;
  try {
    wallet = new ethers.Wallet(key);
  } catch {
    // The value is not echoed: it may be a key with one character wrong.
    throw new UsageError('the private key is not 32 bytes of hex (64 hex digits, with or without 0x)');
  }
  let url;
  try {
    url = new URL(rpc);
  } catch {
    throw new UsageError(`--rpc must be a URL such as http://127.0.0.1:8545, got ${rpc}`);
  }
  const probe = new ethers.JsonRpcProvider(url.href, undefined, { staticNetwork: true });
  let nodeChainId;
  try {
    nodeChainId = BigInt(await probe.send('eth_chainId', []));
  } catch (error) {
    throw new Error(`Cannot reach the chain node at ${url.href} (${error.shortMessage ?? error.message}). `
      + 'Is it running? Pass its JSON-RPC URL with --rpc.');
  } finally {
    probe.destroy();
  }
  if (chainId !== undefined && nodeChainId !== BigInt(chainId)) {
    throw new Error(`The node at ${url.href} is chain ${nodeChainId}, but the contracts file is for chain ${chainId}: `
      + 'pass the URL of the node the contracts were deployed to.');
  }
  const provider = new ethers.JsonRpcProvider(url.href, ethers.Network.from(nodeChainId),
    { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
  return { provider, signer: wallet.connect(provider) };
}

/** The short reason of an error, with the decoded custom error of a revert when the ABI knew it. */
export function reason(error) {
  const text = error.shortMessage ?? error.message;
  const revert = error.revert;
  return revert && !text.includes(revert.name) ? `${text}: ${revert.name}(${revert.args.join(', ')})` : text;
}

/**
 * Runs `main(argv)` when the module at `moduleUrl` is the script node was started with, and sets the exit code from
 * what it returns or throws. `usage` is printed after a UsageError.
 */
export async function runScript(moduleUrl, name, usage, main) {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  try {
    await main(process.argv.slice(2));
    process.exitCode = 0;
  } catch (error) {
    process.stderr.write(`${name}: ${reason(error)}\n`);
    if (error instanceof UsageError) process.stderr.write(`usage: ${usage}\n`);
    process.exitCode = error instanceof UsageError ? 2 : error instanceof NotInstalledError ? 3 : 1;
  }
}
