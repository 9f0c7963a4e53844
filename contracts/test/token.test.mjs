// IChatToken on a real anvil: what it is called, and that only the RewardDistributor can create tokens.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAnvil, deploy, fund, assertRevert, events, send, TOKEN } from './chain.mjs';

let chain;
before(async () => { chain = await startAnvil(); });
after(async () => { await chain?.stop(); });

test('IChatToken_Deployed_IsNamedIChatWith18DecimalsAndTheDistributorAsMinter', async () => {
  const { contracts: { token }, distributor } = await deploy(chain);
  assert.equal(await token.name(), 'iChat');
  assert.equal(await token.symbol(), 'ICHAT');
  assert.equal(await token.decimals(), 18n);
  assert.equal(await token.totalSupply(), 0n);
  assert.equal(await token.minter(), distributor);
});

test('IChatToken_MintByAnyAccount_RevertsWithNotMinter', async () => {
  const { contracts: { token } } = await deploy(chain);
  const [deployer, anchor, governance, stranger] = chain.wallets;
  for (const wallet of [deployer, anchor, governance, stranger]) {
    await assertRevert(token.connect(wallet).mint(wallet.address, TOKEN), token, 'NotMinter', [wallet.address]);
  }
  assert.equal(await token.totalSupply(), 0n);
});

test('IChatToken_ClaimThroughDistributor_MintsAndEmitsTransferFromZero', async () => {
  const deployment = await deploy(chain);
  const { token, distributor } = deployment.contracts;
  const operator = chain.wallets[3].address;
  const before = await chain.provider.getBlockNumber();
  await fund(chain, deployment, [[operator, 7n * TOKEN]]);
  assert.equal(await token.balanceOf(operator), 7n * TOKEN);
  assert.equal(await token.totalSupply(), 7n * TOKEN);
  const transfers = await token.queryFilter(token.filters.Transfer(), before + 1);
  assert.deepEqual(transfers.map((e) => [...e.args]), [['0x0000000000000000000000000000000000000000', operator, 7n * TOKEN]]);
  assert.ok(await distributor.claimed(1_000_000_000n, operator));
});

test('IChatToken_HolderBurns_SupplyDrops', async () => {
  const deployment = await deploy(chain);
  const { token } = deployment.contracts;
  const holder = chain.wallets[4];
  await fund(chain, deployment, [[holder.address, 3n * TOKEN]]);
  const receipt = await send(token.connect(holder).burn(TOKEN));
  assert.deepEqual(events(receipt, token, 'Transfer'), [[holder.address, '0x0000000000000000000000000000000000000000', TOKEN]]);
  assert.equal(await token.totalSupply(), 2n * TOKEN);
});
