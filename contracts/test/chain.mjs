// A real local chain for the rule tests: starts the anvil binary of the pinned @foundry-rs/anvil-linux-amd64 1.7.1
// package on 127.0.0.1 on a free port, with the fixed "test … junk" mnemonic (the ten funded accounts every Foundry
// and Hardhat user knows), and stops it when the test file ends, however it ends (the process 'exit' hook covers a
// crash or a failed assertion outside a test). Also the small helpers the tests share: revert and event assertions,
// time travel, and a deployment of all three contracts through deploy-local.mjs, the script the README uses.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import * as ethers from 'ethers';
import { artifact } from '../cli.mjs';
import { deployAll } from '../deploy-local.mjs';
import { fundAll } from '../fund-local.mjs';

const require = createRequire(import.meta.url);

export { ethers, artifact };

export const MNEMONIC = 'test test test test test test test test test test test junk';
export const CHAIN_ID = 31337n;
export const TOKEN = 10n ** 18n;

/** The anvil executable shipped in the platform package (the @foundry-rs/anvil wrapper only launches this file). */
export function anvilPath() {
  const pkg = `@foundry-rs/anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`;
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
}

/** A port on 127.0.0.1 that was free a moment ago (nothing listens on it once this resolves). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts anvil and resolves once it answers eth_chainId; `stop()` kills it. The free port is found before anvil binds
 * it, so another process may take it in between: anvil then exits at once, and a new port is tried (three times).
 */
export async function startAnvil() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startAnvilOnce(await freePort());
    } catch (error) {
      if (!error.anvilExited || attempt === 3) throw error;
    }
  }
}

async function startAnvilOnce(port) {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(anvilPath(), [
    '--host', '127.0.0.1', '--port', String(port), '--mnemonic', MNEMONIC, '--accounts', '10',
    '--balance', '10000', '--chain-id', String(CHAIN_ID), '--silent',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const kill = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
  process.on('exit', kill);

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw Object.assign(new Error(`anvil exited with ${child.exitCode}: ${stderr}`), { anvilExited: true });
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) { kill(); throw new Error(`anvil did not answer on ${url} within 30 s: ${stderr}`); }
    await new Promise((r) => setTimeout(r, 100));
  }

  const provider = new ethers.JsonRpcProvider(url, CHAIN_ID, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1 });
  // Plain wallets: each transaction asks the node for the pending nonce, so a refused transaction leaves no gap.
  const wallets = Array.from({ length: 10 }, (_, i) =>
    ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).connect(provider));
  return {
    url,
    provider,
    wallets,
    async stop() {
      provider.destroy();
      kill();
      process.off('exit', kill);
    },
  };
}

/**
 * Deploys the contracts with account 0 as deployer and admin; account 1 holds ANCHOR_ROLE, account 2 GOVERNANCE_ROLE.
 * Accounts 3 and up are operators and strangers.
 */
export async function deploy(chain) {
  const [deployer, anchor, governance] = chain.wallets;
  const result = await deployAll(ethers, deployer, {
    anchor: await anchor.getAddress(),
    governance: await governance.getAddress(),
  });
  return result;
}

// Far above the small numbers fund-local.mjs takes from 1 upward, so a test may run both without a collision.
let fundingEpoch = 1_000_000_000n;

/**
 * Gives each `[address, amount]` tokens the only way tokens come to exist, through fund-local.mjs: a batch anchored by
 * the anchor account (account 1) for an epoch of its own, claimed line by line.
 */
export async function fund(chain, deployment, grants) {
  return fundAll(ethers, chain.wallets[1], deployment.distributor, grants, { epoch: fundingEpoch++ });
}

/** Sends a transaction and waits for its receipt. */
export async function send(txPromise) {
  const tx = await txPromise;
  return tx.wait();
}

/** Asserts that `txPromise` reverts with the custom error `name` (decoded with `contract`'s ABI) and, if given, `args`. */
export async function assertRevert(txPromise, contract, name, args) {
  let error;
  try {
    const tx = await txPromise;
    await tx.wait();
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected a revert with ${name}, but the transaction succeeded`);
  let decoded = error.revert;
  if (!decoded && error.data) decoded = contract.interface.parseError(error.data);
  assert.ok(decoded, `expected a revert with ${name}, got: ${error.shortMessage ?? error.message}`);
  assert.equal(decoded.name, name, `expected ${name}, got ${decoded.name}(${decoded.args?.join(', ')})`);
  if (args) assert.deepEqual([...decoded.args], args);
}

/** The decoded events named `name` that `contract` emitted in `receipt`. */
export function events(receipt, contract, name) {
  const address = contract.target.toLowerCase();
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === address)
    .map((log) => contract.interface.parseLog(log))
    .filter((parsed) => parsed?.name === name)
    .map((parsed) => [...parsed.args]);
}

/** Moves the chain's clock forward by `seconds` and mines a block at the new time. */
export async function increaseTime(provider, seconds) {
  await provider.send('evm_increaseTime', [Number(seconds)]);
  await provider.send('evm_mine', []);
}

/** The timestamp of the latest block. */
export async function now(provider) {
  return BigInt((await provider.getBlock('latest')).timestamp);
}
