// contracts/deploy-local.mjs run as the README runs it, as a separate process against a real anvil: the printed
// addresses hold the contracts, and the roles are where the script says.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startAnvil, freePort, ethers, artifact, send, TOKEN } from './chain.mjs';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';

const script = fileURLToPath(new URL('../deploy-local.mjs', import.meta.url));

let chain;
before(async () => { chain = await startAnvil(); });
after(async () => { await chain?.stop(); });

function run(args, env = {}) {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

test('DeployLocal_KeyFromEnvironment_PrintsAddressesAndGrantsRoles', async () => {
  const [deployer, anchor, governance] = chain.wallets;
  const { code, stdout, stderr } = await run(['--rpc', chain.url, '--anchor', anchor.address, '--governance', governance.address],
    { DEPLOYER_PRIVATE_KEY: deployer.privateKey });
  assert.equal(code, 0, stderr);
  assert.ok(!stdout.includes(deployer.privateKey.slice(2)) && !stderr.includes(deployer.privateKey.slice(2)));
  const out = JSON.parse(stdout);
  assert.deepEqual(Object.keys(out).sort(), ['anchor', 'chainId', 'deployer', 'distributor', 'governance', 'staking', 'token']);
  assert.equal(out.chainId, '31337');
  assert.equal(out.deployer, deployer.address);

  const p = chain.provider;
  const token = new ethers.Contract(out.token, artifact('IChatToken').abi, p);
  const staking = new ethers.Contract(out.staking, artifact('RelayStaking').abi, p);
  const distributor = new ethers.Contract(out.distributor, artifact('RewardDistributor').abi, p);
  // The runtime code is the committed artifact's, with the immutable address (the token's minter, the others' token)
  // filled in where the artifact has zeros.
  const word = (address) => '000000000000000000000000' + address.slice(2).toLowerCase();
  for (const [name, address, immutable] of [['IChatToken', out.token, out.distributor],
    ['RelayStaking', out.staking, out.token], ['RewardDistributor', out.distributor, out.token]]) {
    const code = (await p.getCode(address)).replaceAll(word(immutable), '00'.repeat(32));
    assert.ok(code === artifact(name).deployedBytecode,
      `${name} at ${address} does not run the committed artifact's code`);
  }
  assert.equal(await token.minter(), out.distributor);
  assert.equal(await distributor.token(), out.token);
  assert.equal(await staking.token(), out.token);

  const ADMIN = '0x' + '00'.repeat(32);
  assert.equal(await distributor.hasRole(await distributor.ANCHOR_ROLE(), anchor.address), true);
  assert.equal(await staking.hasRole(await staking.ANCHOR_ROLE(), anchor.address), true);
  assert.equal(await staking.hasRole(await staking.GOVERNANCE_ROLE(), governance.address), true);
  assert.equal(await distributor.hasRole(ADMIN, deployer.address), true);
  assert.equal(await staking.hasRole(ADMIN, deployer.address), true);
  assert.equal(await distributor.hasRole(await distributor.ANCHOR_ROLE(), deployer.address), false);
  assert.equal(await staking.hasRole(await staking.ANCHOR_ROLE(), deployer.address), false);

  // The anchor address can do its work on what was deployed: anchor a batch, and the operator claims and stakes.
  const operator = chain.wallets[3];
  const tree = StandardMerkleTree.of([[operator.address, (1_000_000n * TOKEN).toString(), '0']], ['address', 'uint256', 'uint256']);
  await send(distributor.connect(anchor).anchor(1n, tree.root));
  await send(distributor.connect(operator).claim(1n, operator.address, 1_000_000n * TOKEN, 0n, []));
  await send(token.connect(operator).approve(out.staking, 1_000_000n * TOKEN));
  await send(staking.connect(operator).stake(1_000_000n * TOKEN));
  assert.equal(await staking.isRelay(operator.address), true);
  await send(staking.connect(anchor).slash(operator.address, TOKEN, 1n));
  assert.equal(await staking.isRelay(operator.address), false);
});

test('DeployLocal_WithoutAnchorOrKey_ExitsWithUsage', async () => {
  const noAnchor = await run(['--rpc', chain.url], { DEPLOYER_PRIVATE_KEY: chain.wallets[0].privateKey });
  assert.equal(noAnchor.code, 2);
  assert.match(noAnchor.stderr, /usage/);
  const noKey = await run(['--rpc', chain.url, '--anchor', chain.wallets[1].address], { DEPLOYER_PRIVATE_KEY: '' });
  assert.equal(noKey.code, 2);
});

test('DeployLocal_UnfundedDeployer_ExitsWithOneAndNoKeyInOutput', async () => {
  const key = ethers.keccak256(ethers.toUtf8Bytes('an unfunded deployer'));
  const { code, stdout, stderr } = await run(['--rpc', chain.url, '--anchor', chain.wallets[1].address, '--key', key]);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /^deploy-local: /);
  assert.ok(!stderr.includes(key.slice(2)));
});

test('DeployLocal_NodeDown_ExitsOneWithOneLine', async () => {
  const rpc = `http://127.0.0.1:${await freePort()}`;
  const { code, stdout, stderr } = await run(['--rpc', rpc, '--anchor', chain.wallets[1].address],
    { DEPLOYER_PRIVATE_KEY: chain.wallets[0].privateKey });
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, new RegExp(`^deploy-local: Cannot reach the chain node at ${rpc}/ \\(.*ECONNREFUSED.*\\)\\. [^\\n]*\\n$`));
});
