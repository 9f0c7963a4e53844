// RewardDistributor on a real anvil: anchoring once per epoch, and claims proved with the tree the cluster builds
// (@openzeppelin/merkle-tree's StandardMerkleTree, docs/PROTOCOL.md "Epoch batches and Merkle proofs").

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { startAnvil, deploy, assertRevert, events, send, TOKEN } from './chain.mjs';

const ENCODING = ['address', 'uint256', 'uint256'];

let chain;
before(async () => { chain = await startAnvil(); });
after(async () => { await chain?.stop(); });

async function deployed() {
  const deployment = await deploy(chain);
  const { distributor, token } = deployment.contracts;
  return { distributor, token, anchor: chain.wallets[1], stranger: chain.wallets[9] };
}

/** A batch of the operators at accounts 3..7 with distinct rewards and one slash. */
function batch() {
  const lines = chain.wallets.slice(3, 8).map((w, i) => [w.address, (BigInt(i + 1) * TOKEN + BigInt(i)).toString(), '0']);
  lines[2][2] = (3n * TOKEN).toString();
  return StandardMerkleTree.of(lines, ENCODING);
}

test('RewardDistributor_AnchorByAnchorRole_StoresRootOnceAndEmitsAnchored', async () => {
  const { distributor, anchor } = await deployed();
  const root = batch().root;
  assert.equal(await distributor.anchoredRoot(5n), '0x' + '00'.repeat(32));

  const receipt = await send(distributor.connect(anchor).anchor(5n, root));
  assert.deepEqual(events(receipt, distributor, 'Anchored'), [[5n, root, anchor.address]]);
  assert.equal(await distributor.anchoredRoot(5n), root);

  const other = '0x' + 'ab'.repeat(32);
  await assertRevert(distributor.connect(anchor).anchor(5n, other), distributor, 'EpochAlreadyAnchored', [5n]);
  assert.equal(await distributor.anchoredRoot(5n), root);
  await send(distributor.connect(anchor).anchor(6n, other));
  assert.equal(await distributor.anchoredRoot(6n), other);
});

test('RewardDistributor_AnchorByOthersOrZeroRoot_Reverts', async () => {
  const { distributor, anchor, stranger } = await deployed();
  const role = await distributor.ANCHOR_ROLE();
  for (const wallet of [chain.wallets[0], chain.wallets[2], stranger]) {
    await assertRevert(distributor.connect(wallet).anchor(1n, batch().root), distributor,
      'AccessControlUnauthorizedAccount', [wallet.address, role]);
  }
  await assertRevert(distributor.connect(anchor).anchor(1n, '0x' + '00'.repeat(32)), distributor, 'ZeroRoot', [1n]);
  assert.equal(await distributor.anchoredRoot(1n), '0x' + '00'.repeat(32));
});

test('RewardDistributor_ClaimEveryLineWithItsProof_MintsExactlyEachReward', async () => {
  const { distributor, token, anchor, stranger } = await deployed();
  const tree = batch();
  await send(distributor.connect(anchor).anchor(9n, tree.root));
  let total = 0n;
  for (const [i, [account, reward, slash]] of tree.entries()) {
    assert.equal(await distributor.leaf(account, reward, slash), tree.leafHash([account, reward, slash]));
    // Anyone may submit a claim; the reward still goes to the line's account.
    const receipt = await send(distributor.connect(stranger).claim(9n, account, reward, slash, tree.getProof(i)));
    assert.deepEqual(events(receipt, distributor, 'Claimed'), [[9n, account, BigInt(reward), BigInt(slash)]]);
    assert.deepEqual(events(receipt, token, 'Transfer'), [['0x0000000000000000000000000000000000000000', account, BigInt(reward)]]);
    assert.equal(await token.balanceOf(account), BigInt(reward));
    assert.equal(await distributor.claimed(9n, account), true);
    total += BigInt(reward);
  }
  assert.equal(await token.totalSupply(), total);
  assert.equal(await token.balanceOf(stranger.address), 0n);
});

test('RewardDistributor_SecondClaim_RevertsWithAlreadyClaimed', async () => {
  const { distributor, token, anchor } = await deployed();
  const tree = batch();
  await send(distributor.connect(anchor).anchor(3n, tree.root));
  const [account, reward, slash] = tree.at(0);
  await send(distributor.claim(3n, account, reward, slash, tree.getProof(0)));
  await assertRevert(distributor.claim(3n, account, reward, slash, tree.getProof(0)), distributor, 'AlreadyClaimed',
    [3n, account]);
  assert.equal(await token.balanceOf(account), BigInt(reward));
});

test('RewardDistributor_WrongRewardSlashAccountProofOrEpoch_RevertsAndMintsNothing', async () => {
  const { distributor, token, anchor } = await deployed();
  const tree = batch();
  await send(distributor.connect(anchor).anchor(4n, tree.root));
  const [account, reward, slash] = tree.at(2);
  const r = BigInt(reward);
  const s = BigInt(slash);
  const proof = tree.getProof(2);
  await assertRevert(distributor.claim(4n, account, r + 1n, s, proof), distributor, 'InvalidProof', [4n, account, r + 1n, s]);
  await assertRevert(distributor.claim(4n, account, r - 1n, s, proof), distributor, 'InvalidProof', [4n, account, r - 1n, s]);
  await assertRevert(distributor.claim(4n, account, r, 0n, proof), distributor, 'InvalidProof', [4n, account, r, 0n]);
  const other = tree.at(1)[0];
  await assertRevert(distributor.claim(4n, other, r, s, proof), distributor, 'InvalidProof', [4n, other, r, s]);
  await assertRevert(distributor.claim(4n, account, r, s, tree.getProof(1)), distributor, 'InvalidProof', [4n, account, r, s]);
  await assertRevert(distributor.claim(4n, account, r, s, []), distributor, 'InvalidProof', [4n, account, r, s]);
  await assertRevert(distributor.claim(5n, account, r, s, proof), distributor, 'EpochNotAnchored', [5n]);
  assert.equal(await token.totalSupply(), 0n);
  assert.equal(await distributor.claimed(4n, account), false);
});

test('RewardDistributor_ProtocolWorkedExample_LeavesRootAndProofVerifyOnChain', async () => {
  const { distributor, token, anchor } = await deployed();
  // docs/PROTOCOL.md, "Epoch batches and Merkle proofs": the two-line worked example, with its numbers copied here
  // so that a change on either side shows.
  const line1 = ['0x1111111111111111111111111111111111111111', 5000000000000000000n, 0n];
  const line2 = ['0x2222222222222222222222222222222222222222', 2500000000000000000n, 1000000000000000000n];
  const leaf1 = '0x87154fe5ef1c22947871e7c9901796364fd1119406210dcdce666c069fcd7a00';
  const leaf2 = '0x37fb6e79b3193ba900cf41d3374f0939e622b7764d495249a5ad8d7a3f7943a5';
  const root = '0xd6d5434d170b5e99b4b7176b792e5f510f56b3c926c412070e4c20361fd3504a';

  assert.equal(await distributor.leaf(...line1), leaf1);
  assert.equal(await distributor.leaf(...line2), leaf2);
  const tree = StandardMerkleTree.of([line1, line2].map((l) => l.map(String)), ENCODING);
  assert.equal(tree.root, root);

  await send(distributor.connect(anchor).anchor(1n, root));
  const receipt = await send(distributor.claim(1n, ...line1, [leaf2]));
  assert.deepEqual(events(receipt, distributor, 'Claimed'), [[1n, ...line1]]);
  assert.equal(await token.balanceOf(line1[0]), line1[1]);
  const receipt2 = await send(distributor.claim(1n, ...line2, [leaf1]));
  assert.deepEqual(events(receipt2, distributor, 'Claimed'), [[1n, ...line2]]);
  assert.equal(await token.balanceOf(line2[0]), line2[1]);
});

test('RewardDistributor_OneLineBatch_ClaimsWithEmptyProof', async () => {
  const { distributor, token, anchor } = await deployed();
  const account = chain.wallets[5].address;
  const tree = StandardMerkleTree.of([[account, '1', '0']], ENCODING);
  assert.deepEqual(tree.getProof(0), []);
  await send(distributor.connect(anchor).anchor(2n, tree.root));
  await send(distributor.claim(2n, account, 1n, 0n, []));
  assert.equal(await token.balanceOf(account), 1n);
});

test('RewardDistributor_ZeroRewardLine_ClaimsWithoutMinting', async () => {
  const { distributor, token, anchor } = await deployed();
  const account = chain.wallets[6].address;
  const tree = StandardMerkleTree.of([[account, '0', (5n * TOKEN).toString()], [chain.wallets[7].address, '1', '0']], ENCODING);
  await send(distributor.connect(anchor).anchor(8n, tree.root));
  const index = [...tree.entries()].find(([, v]) => v[0] === account)[0];
  const receipt = await send(distributor.claim(8n, account, 0n, 5n * TOKEN, tree.getProof(index)));
  assert.deepEqual(events(receipt, distributor, 'Claimed'), [[8n, account, 0n, 5n * TOKEN]]);
  assert.deepEqual(events(receipt, token, 'Transfer'), []);
  assert.equal(await distributor.claimed(8n, account), true);
  assert.equal(await token.totalSupply(), 0n);
});
