#!/usr/bin/env node
// The launch allocation of a local network: gives accounts their first iChat, to a deployment that deploy-local.mjs
// made on a node that is already running, and prints what it did as one JSON line:
//
//   ANCHOR_PRIVATE_KEY=0x… node contracts/fund-local.mjs [--rpc http://127.0.0.1:8545] --contracts contracts.json \
//     ADDRESS=AMOUNT [ADDRESS=AMOUNT …]
//   {"epoch":"1","root":"0x…","funded":[{"account":"0x…","amount":"1000000","tx":"0x…"}]}
//
// (--key 0x… works too, but puts the key in the process list.) AMOUNT is whole iChat, a decimal number with up to 18
// digits after the point; stderr gets one "Funded …" line per account as its claim is mined.
//
// Why a batch and not a mint: the token's only minter is the RewardDistributor, fixed at deployment, and the
// distributor mints only for a claim of a line (account, reward, slash) in a batch whose Merkle root an ANCHOR_ROLE
// account anchored. No key can mint outside that, so tokens come to exist the way rewards do. On a real network the
// first batch is the launch allocation, anchored once by whoever holds the anchor role; this script is that step for a
// local chain, with the anchor key deploy-local.mjs was given (--anchor).
//
// What it does, in order, each transaction waited for before the next:
//   1. checks, before sending anything, that the node answers with the contracts file's chain id, that the
//      distributor has code, and that the key's account holds ANCHOR_ROLE on it;
//   2. anchors ONE batch holding every line (account, amount, 0), under the lowest epoch number from 1 upward that has
//      no root yet. Real epochs are numbered by the Unix time of their start (about 1.8e9), so small numbers never
//      collide with them, and a second run takes the next number;
//   3. claims every line for its account (anyone may send a claim; the tokens always go to the line's account).
// If a claim fails after the anchor, the error names the epoch and the accounts already funded: fund the others with
// another run (a new epoch), not the same list again, or the funded ones are paid twice.
//
// Exit codes (cli.mjs): 0 funded, 1 a transaction failed or the chain is not the expected one, 2 bad usage (including
// the contracts file), 3 npm packages not installed.

import { readFileSync } from 'node:fs';
import { artifact, connect, importInstalled, readArguments, reason, runScript, UsageError } from './cli.mjs';

/** The leaf types of every batch (docs/PROTOCOL.md): account, reward, slash. */
const LINE_TYPES = ['address', 'uint256', 'uint256'];

/**
 * Checks `grants` ([account, amount in base units] pairs) and returns them with checksummed addresses.
 * @throws RangeError naming the first line that is wrong: no lines, a bad address, an amount that is not a bigint in
 * 1 … 2^256 − 1, or an account given twice (its second claim would revert, after the anchor).
 */
export function checkGrants(ethers, grants) {
  if (grants.length === 0) throw new RangeError('nothing to fund: give at least one account and amount');
  const seen = new Set();
  return grants.map(([account, amount]) => {
    if (!ethers.isAddress(account)) {
      throw new RangeError(`${account} is not an address (0x and 40 hex digits; mixed case must be a valid checksum)`);
    }
    const address = ethers.getAddress(account);
    if (typeof amount !== 'bigint' || amount <= 0n) throw new RangeError(`the amount for ${address} must be more than 0`);
    if (amount > ethers.MaxUint256) throw new RangeError(`the amount for ${address} does not fit in uint256`);
    if (seen.has(address)) throw new RangeError(`${address} is given twice; give each account one line`);
    seen.add(address);
    return [address, amount];
  });
}

/** The lowest epoch number from 1 upward with no root anchored on `distributor` (an ethers Contract). */
export async function firstFreeEpoch(ethers, distributor) {
  for (let epoch = 1n; ; epoch++) {
    if ((await distributor.anchoredRoot(epoch)) === ethers.ZeroHash) return epoch;
  }
}

/**
 * Mints `grants` ([account, amount in base units] pairs) the only way tokens come to exist: `anchorSigner` (an ethers 6
 * signer connected to a provider, holding ANCHOR_ROLE) anchors one batch of all lines (account, amount, 0) and then
 * claims each line, waiting for every receipt. `epoch` defaults to the lowest free one from 1 upward; `onFunded(line,
 * epoch)` is called with each funded line as its claim is mined.
 * @returns { epoch, root, funded: [{ account, amount, tx }] }, amounts in base units.
 */
export async function fundAll(ethers, anchorSigner, distributorAddress, grants, { epoch, onFunded } = {}) {
  const lines = checkGrants(ethers, grants);
  const distributor = new ethers.Contract(distributorAddress, artifact('RewardDistributor').abi, anchorSigner);
  const anchorAddress = await anchorSigner.getAddress();
  if (!(await distributor.hasRole(await distributor.ANCHOR_ROLE(), anchorAddress))) {
    throw new Error(`${anchorAddress} does not hold ANCHOR_ROLE on RewardDistributor ${distributor.target}; `
      + 'pass the key of the account given to deploy-local.mjs as --anchor');
  }
  epoch = epoch === undefined ? await firstFreeEpoch(ethers, distributor) : BigInt(epoch);

  const { StandardMerkleTree } = await importInstalled('@openzeppelin/merkle-tree');
  const tree = StandardMerkleTree.of(lines.map(([account, amount]) => [account, amount.toString(), '0']), LINE_TYPES);
  try {
    await (await distributor.anchor(epoch, tree.root)).wait();
  } catch (error) {
    throw new Error(`anchoring epoch ${epoch} failed, nothing was funded: ${reason(error)}`);
  }

  const funded = [];
  for (const [i, [account, amount]] of tree.entries()) {
    let receipt;
    try {
      receipt = await (await distributor.claim(epoch, account, amount, 0n, tree.getProof(i))).wait();
    } catch (error) {
      const done = funded.length === 0 ? 'no account' : funded.map((line) => line.account).join(', ');
      throw new Error(`epoch ${epoch} is anchored and ${done} funded, but the claim for ${account} failed: `
        + `${reason(error)}; fund the accounts not yet funded with another run`);
    }
    const line = { account, amount: BigInt(amount), tx: receipt.hash };
    funded.push(line);
    onFunded?.(line, epoch);
  }
  return { epoch, root: tree.root, funded };
}

const usage = 'ANCHOR_PRIVATE_KEY=0x… node contracts/fund-local.mjs [--rpc <url>] --contracts <contracts.json> '
  + '<address>=<iChat> [<address>=<iChat> …] [--key <private key>]';

/** Whole iChat: digits, optionally a point and up to 18 more (the token's decimals). */
const AMOUNT = /^[0-9]+(\.[0-9]{1,18})?$/;

/** The `ADDRESS=AMOUNT` arguments as checked [address, base units] pairs; UsageError naming the first bad one. */
function readGrants(ethers, args) {
  const grants = args.map((arg) => {
    const [account, amount, ...rest] = arg.split('=');
    if (amount === undefined || rest.length > 0) throw new UsageError(`expected ADDRESS=AMOUNT, got ${arg}`);
    if (!AMOUNT.test(amount)) {
      throw new UsageError(`the amount for ${account} must be whole iChat as a decimal number with at most 18 digits `
        + `after the point (1000000, 0.5), got ${amount || 'nothing'}`);
    }
    return [account, ethers.parseUnits(amount, 18)];
  });
  try {
    return checkGrants(ethers, grants);
  } catch (error) {
    throw new UsageError(error.message);
  }
}

/** The chain id and distributor address from the JSON line deploy-local.mjs printed. */
function readContractsFile(ethers, path) {
  const hint = 'pass the file deploy-local.mjs printed to, with --contracts';
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the contracts file ${path} (${error.code ?? error.message}); ${hint}`);
  }
  let deployment;
  try {
    deployment = JSON.parse(text);
  } catch {
    throw new UsageError(`the contracts file ${path} is not JSON; ${hint}`);
  }
  if (!ethers.isAddress(deployment?.distributor)) {
    throw new UsageError(`the contracts file ${path} has no valid "distributor" address; ${hint}`);
  }
  if (!/^[0-9]+$/.test(String(deployment.chainId))) {
    throw new UsageError(`the contracts file ${path} has no "chainId"; ${hint}`);
  }
  return { chainId: BigInt(deployment.chainId), distributor: ethers.getAddress(deployment.distributor) };
}

/** Base units as whole iChat, without a trailing ".0". */
function iChat(ethers, amount) {
  return ethers.formatUnits(amount, 18).replace(/\.0$/, '');
}

async function main(argv) {
  const { options, positionals } = readArguments(argv, ['rpc', 'key', 'contracts']);
  options.rpc ??= 'http://127.0.0.1:8545';
  options.key ??= process.env.ANCHOR_PRIVATE_KEY;
  if (!options.contracts) throw new UsageError('--contracts is required: the file deploy-local.mjs printed to');
  if (!options.key) throw new UsageError('no key: set ANCHOR_PRIVATE_KEY or pass --key');
  if (positionals.length === 0) throw new UsageError('nothing to fund: give at least one ADDRESS=AMOUNT');
  const ethers = await importInstalled('ethers');
  await importInstalled('@openzeppelin/merkle-tree');
  const grants = readGrants(ethers, positionals);
  const deployment = readContractsFile(ethers, options.contracts);

  const { provider, signer } = await connect(ethers, options.rpc, options.key, { chainId: deployment.chainId });
  try {
    if ((await provider.getCode(deployment.distributor)) === '0x') {
      throw new Error(`No contract at ${deployment.distributor} (RewardDistributor) on chain ${deployment.chainId} at `
        + `${options.rpc}: the contracts file is from another deployment (redeploy with contracts/deploy-local.mjs, `
        + 'or pass the right --contracts)');
    }
    const result = await fundAll(ethers, signer, deployment.distributor, grants, {
      onFunded: ({ account, amount }, epoch) => process.stderr.write(
        `Funded ${account} with ${iChat(ethers, amount)} iChat (launch allocation, epoch ${epoch})\n`),
    });
    process.stdout.write(`${JSON.stringify({
      epoch: result.epoch.toString(),
      root: result.root,
      funded: result.funded.map(({ account, amount, tx }) => ({ account, amount: iChat(ethers, amount), tx })),
    })}\n`);
  } finally {
    provider.destroy();
  }
}

await runScript(import.meta.url, 'fund-local', usage, main);
