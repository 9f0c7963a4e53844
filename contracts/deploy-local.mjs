#!/usr/bin/env node
// Deploys the three contracts from the committed artifacts to an EVM node that is already running (it starts nothing),
// grants the roles, and prints the addresses as one JSON line:
//
//   DEPLOYER_PRIVATE_KEY=0x… node contracts/deploy-local.mjs --rpc http://127.0.0.1:8545 --anchor 0x… [--governance 0x…]
//
// (--key 0x… works too, but puts the key in the process list.)
//
// What it does, in order, each transaction waited for before the next:
//   1. RewardDistributor(admin = deployer), whose constructor deploys IChatToken with the distributor as its
//      immutable minter: no grant is needed, and no other address can ever mint;
//   2. RelayStaking(token, admin = deployer): the deployer holds DEFAULT_ADMIN_ROLE and GOVERNANCE_ROLE;
//   3. ANCHOR_ROLE on the distributor and on staking to --anchor (the cluster's anchor worker);
//   4. GOVERNANCE_ROLE on staking to --governance when it is given and is not the deployer.
// The deployer stays admin of both: hand DEFAULT_ADMIN_ROLE to a multisig and renounce it for anything but a local node.
//
// Exit codes (cli.mjs): 0 deployed, 1 a transaction failed or the node cannot be reached, 2 bad usage, 3 npm packages
// not installed.

import { artifact, connect, importInstalled, readArguments, runScript, UsageError } from './cli.mjs';

export { artifact };

/**
 * Deploys and wires the contracts with `deployer` (an ethers 6 signer connected to a provider).
 * @returns the addresses, plus ethers Contract objects bound to the deployer in `contracts`.
 */
export async function deployAll(ethers, deployer, { anchor, governance } = {}) {
  if (!ethers.isAddress(anchor)) throw new Error(`anchor must be an address, got ${anchor}`);
  const deployerAddress = await deployer.getAddress();
  governance ??= deployerAddress;
  if (!ethers.isAddress(governance)) throw new Error(`governance must be an address, got ${governance}`);

  const factory = (name) => {
    const a = artifact(name);
    return new ethers.ContractFactory(a.abi, a.bytecode, deployer);
  };
  const waitFor = async (txPromise) => (await (await txPromise).wait());

  const distributor = await factory('RewardDistributor').deploy(deployerAddress);
  await distributor.waitForDeployment();
  const tokenAddress = await distributor.token();
  const token = new ethers.Contract(tokenAddress, artifact('IChatToken').abi, deployer);

  const staking = await factory('RelayStaking').deploy(tokenAddress, deployerAddress);
  await staking.waitForDeployment();

  await waitFor(distributor.grantRole(await distributor.ANCHOR_ROLE(), anchor));
  await waitFor(staking.grantRole(await staking.ANCHOR_ROLE(), anchor));
  if (governance.toLowerCase() !== deployerAddress.toLowerCase()) {
    await waitFor(staking.grantRole(await staking.GOVERNANCE_ROLE(), governance));
  }

  const { chainId } = await deployer.provider.getNetwork();
  return {
    chainId: chainId.toString(),
    deployer: deployerAddress,
    anchor: ethers.getAddress(anchor),
    governance: ethers.getAddress(governance),
    token: tokenAddress,
    staking: await staking.getAddress(),
    distributor: await distributor.getAddress(),
    contracts: { token, staking, distributor },
  };
}

const usage = 'DEPLOYER_PRIVATE_KEY=0x… node contracts/deploy-local.mjs --rpc <url> --anchor <address> '
  + '[--governance <address>] [--key <private key>]';

async function main(argv) {
  const { options, positionals } = readArguments(argv, ['rpc', 'key', 'anchor', 'governance']);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  options.key ??= process.env.DEPLOYER_PRIVATE_KEY;
  for (const name of ['rpc', 'anchor']) if (!options[name]) throw new UsageError(`--${name} is required`);
  if (!options.key) throw new UsageError('no key: set DEPLOYER_PRIVATE_KEY or pass --key');
  const ethers = await importInstalled('ethers');
  const { provider, signer } = await connect(ethers, options.rpc, options.key);
  try {
    const { contracts, ...addresses } = await deployAll(ethers, signer, options);
    process.stdout.write(`${JSON.stringify(addresses)}\n`);
  } finally {
    provider.destroy();
  }
}

await runScript(import.meta.url, 'deploy-local', usage, main);
