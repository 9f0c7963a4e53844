// contracts/fund-local.mjs run as the README runs it, as a separate process against a real anvil, on a deployment of
// its own per test and the contracts file deploy-local.mjs would have printed for it: the accounts get exactly their
// amounts through one anchored batch, epochs are taken from 1 upward, and every refusal is one line and an exit code
// before anything is sent.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAnvil, deploy, freePort, ethers, TOKEN } from './chain.mjs';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';

const script = fileURLToPath(new URL('../fund-local.mjs', import.meta.url));

let chain;
let dir;
before(async () => {
  chain = await startAnvil();
  dir = mkdtempSync(join(tmpdir(), 'fund-local-'));
});
after(async () => {
  await chain?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(args, env = {}) {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

let files = 0;

/** A fresh deployment and the contracts file of it, as deploy-local.mjs prints it. */
async function deployed() {
  const { contracts, ...addresses } = await deploy(chain);
  const file = join(dir, `contracts-${++files}.json`);
  writeFileSync(file, `${JSON.stringify(addresses)}\n`);
  return { file, distributor: contracts.distributor, token: contracts.token };
}

/** Runs the script with the anchor account's key (account 1) in the environment, as the README does. */
function fundLocal(file, lines, { key = chain.wallets[1].privateKey, rpc = chain.url } = {}) {
  return run(['--rpc', rpc, '--contracts', file, ...lines], { ANCHOR_PRIVATE_KEY: key });
}

test('FundLocal_TwoAccounts_MintsExactAmountsUnderEpochOne', async () => {
  const { file, distributor, token } = await deployed();
  const [a, b] = [chain.wallets[3].address, chain.wallets[4].address];
  const { code, stdout, stderr } = await fundLocal(file, [`${a}=1000000`, `${b.toLowerCase()}=2.5`]);
  assert.equal(code, 0, stderr);

  assert.equal(await token.balanceOf(a), 1_000_000n * TOKEN);
  assert.equal(await token.balanceOf(b), 5n * TOKEN / 2n);
  assert.equal(await token.totalSupply(), 1_000_000n * TOKEN + 5n * TOKEN / 2n);

  const out = JSON.parse(stdout);
  assert.equal(out.epoch, '1');
  assert.equal(out.root, await distributor.anchoredRoot(1n));
  const tree = StandardMerkleTree.of([[a, (1_000_000n * TOKEN).toString(), '0'], [b, (5n * TOKEN / 2n).toString(), '0']],
    ['address', 'uint256', 'uint256']);
  assert.equal(out.root, tree.root, 'the anchored root is the batch of exactly the given lines');
  assert.deepEqual(out.funded.map(({ account, amount }) => [account, amount]), [[a, '1000000'], [b, '2.5']]);
  for (const { account, tx } of out.funded) {
    const receipt = await chain.provider.getTransactionReceipt(tx);
    assert.equal(receipt.status, 1);
    assert.equal(receipt.to, distributor.target);
    assert.equal(await distributor.claimed(1n, account), true);
  }
  assert.equal(stderr, `Funded ${a} with 1000000 iChat (launch allocation, epoch 1)\n`
    + `Funded ${b} with 2.5 iChat (launch allocation, epoch 1)\n`);
  const key = chain.wallets[1].privateKey.slice(2);
  assert.ok(!stdout.includes(key) && !stderr.includes(key));
});

test('FundLocal_SecondRun_TakesEpochTwoAndAddsToTheBalance', async () => {
  const { file, distributor, token } = await deployed();
  const account = chain.wallets[3].address;
  const first = await fundLocal(file, [`${account}=1000000`]);
  assert.equal(first.code, 0, first.stderr);
  const second = await fundLocal(file, [`${account}=0.000000000000000001`]);
  assert.equal(second.code, 0, second.stderr);

  assert.equal(JSON.parse(second.stdout).epoch, '2');
  assert.notEqual(await distributor.anchoredRoot(2n), ethers.ZeroHash);
  assert.equal(await distributor.anchoredRoot(3n), ethers.ZeroHash);
  assert.equal(await token.balanceOf(account), 1_000_000n * TOKEN + 1n);
  assert.match(second.stderr, /^Funded 0x[0-9a-fA-F]{40} with 0\.000000000000000001 iChat \(launch allocation, epoch 2\)\n$/);
});

test('FundLocal_KeyWithoutAnchorRole_ExitsOneAndSendsNothing', async () => {
  const { file, distributor } = await deployed();
  const admin = chain.wallets[0];  // the deployer: admin of the distributor, but not its anchor
  const nonce = await chain.provider.getTransactionCount(admin.address);
  const { code, stdout, stderr } = await fundLocal(file, [`${chain.wallets[3].address}=1`], { key: admin.privateKey });
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.equal(stderr, `fund-local: ${admin.address} does not hold ANCHOR_ROLE on RewardDistributor ${distributor.target}; `
    + 'pass the key of the account given to deploy-local.mjs as --anchor\n');
  assert.equal(await distributor.anchoredRoot(1n), ethers.ZeroHash);
  assert.equal(await chain.provider.getTransactionCount(admin.address), nonce);
});

test('FundLocal_BadAmount_ExitsTwoNamingIt', async () => {
  const { file, distributor } = await deployed();
  const account = chain.wallets[3].address;
  for (const [amount, message] of [
    ['0', 'must be more than 0'], ['0.0', 'must be more than 0'], ['-5', 'got -5'], ['1e6', 'got 1e6'],
    ['1,000', 'got 1,000'], ['abc', 'got abc'], ['', 'got nothing'], ['0.1234567890123456789', 'at most 18 digits'],
  ]) {
    const { code, stdout, stderr } = await fundLocal(file, [`${account}=${amount}`]);
    assert.equal(code, 2, `amount "${amount}": ${stderr}`);
    assert.equal(stdout, '');
    assert.ok(stderr.startsWith(`fund-local: the amount for ${account} `) && stderr.includes(message),
      `amount "${amount}": ${stderr}`);
  }
  assert.equal(await distributor.anchoredRoot(1n), ethers.ZeroHash);
});

test('FundLocal_SameAddressTwice_ExitsTwo', async () => {
  const { file, distributor } = await deployed();
  const account = chain.wallets[3].address;
  const { code, stderr } = await fundLocal(file, [`${account}=1`, `${chain.wallets[4].address}=1`,
    `${account.toLowerCase()}=2`]);
  assert.equal(code, 2);
  assert.match(stderr, new RegExp(`^fund-local: ${account} is given twice; give each account one line\\n`));
  assert.equal(await distributor.anchoredRoot(1n), ethers.ZeroHash);
});

test('FundLocal_BadAddressOrNoLines_ExitsTwo', async () => {
  const { file } = await deployed();
  // A real address with the case of one letter flipped: its mixed-case checksum no longer holds.
  const valid = chain.wallets[3].address;
  const i = valid.slice(2).search(/[a-fA-F]/) + 2;
  const flipped = valid[i] === valid[i].toUpperCase() ? valid[i].toLowerCase() : valid[i].toUpperCase();
  const badChecksum = valid.slice(0, i) + flipped + valid.slice(i + 1);
  for (const [lines, message] of [
    [['0x1234=1'], '0x1234 is not an address'],
    [[`${badChecksum}=1`], `${badChecksum} is not an address`],
    [[`${chain.wallets[3].address}`], 'expected ADDRESS=AMOUNT'],
    [[], 'nothing to fund'],
  ]) {
    const { code, stderr } = await fundLocal(file, lines);
    assert.equal(code, 2, `${lines}: ${stderr}`);
    assert.ok(stderr.startsWith('fund-local: ') && stderr.includes(message), `${lines}: ${stderr}`);
  }
});

test('FundLocal_MissingOrBrokenContractsFile_ExitsTwo', async () => {
  const line = `${chain.wallets[3].address}=1`;
  const missing = await fundLocal(join(dir, 'no-such-contracts.json'), [line]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^fund-local: cannot read the contracts file .*no-such-contracts\.json \(ENOENT\)/);

  const notJson = join(dir, 'not-json.json');
  writeFileSync(notJson, '{"distributor":');
  const broken = await fundLocal(notJson, [line]);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /^fund-local: the contracts file .*not-json\.json is not JSON/);

  const noDistributor = join(dir, 'no-distributor.json');
  writeFileSync(noDistributor, '{"chainId":"31337"}');
  const empty = await fundLocal(noDistributor, [line]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /^fund-local: the contracts file .*no-distributor\.json has no valid "distributor" address/);
});

test('FundLocal_OtherChainOrNoCode_ExitsOne', async () => {
  const { file, distributor } = await deployed();
  const line = `${chain.wallets[3].address}=1`;
  const deployment = JSON.parse(readFileSync(file, 'utf8'));

  const otherChain = join(dir, 'other-chain.json');
  writeFileSync(otherChain, JSON.stringify({ ...deployment, chainId: '1' }));
  const wrongChain = await fundLocal(otherChain, [line]);
  assert.equal(wrongChain.code, 1);
  assert.match(wrongChain.stderr, /^fund-local: The node at .* is chain 31337, but the contracts file is for chain 1/);

  const nowhere = ethers.getAddress(`0x${'42'.repeat(20)}`);
  const noCode = join(dir, 'no-code.json');
  writeFileSync(noCode, JSON.stringify({ ...deployment, distributor: nowhere }));
  const empty = await fundLocal(noCode, [line]);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, new RegExp(`^fund-local: No contract at ${nowhere} \\(RewardDistributor\\) on chain 31337`));
  assert.equal(await distributor.anchoredRoot(1n), ethers.ZeroHash);
});

test('FundLocal_NodeDown_ExitsOne', async () => {
  const { file } = await deployed();
  const rpc = `http://127.0.0.1:${await freePort()}`;
  const { code, stdout, stderr } = await fundLocal(file, [`${chain.wallets[3].address}=1`], { rpc });
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, new RegExp(`^fund-local: Cannot reach the chain node at ${rpc}/ \\(.*ECONNREFUSED.*\\)\\. Is it running\\?`));
});
